// 16-wide AVX-512 variants of the direct 3×3 convolution kernels of `Tensors/Convolution3x3.swift`.
// They read and write the same layouts (zero-bordered planes, weights packed by `Conv3x3.packWeights`)
// and compute the same sums in another order, so results agree within rounding. Every function
// here is compiled for AVX-512 (F, VL, BW, DQ) alone, whatever the rest of the build targets;
// call one only when `prunelab_avx512_available()` says the CPU running the program has it.
#ifndef PRUNELAB_KERNELS_AVX512_H
#define PRUNELAB_KERNELS_AVX512_H

#ifdef __cplusplus
extern "C" {
#endif

/// 1 when this CPU and OS run AVX-512 F, VL, BW and DQ (the registers saved on context switch), else 0.
/// Always 0 off x86-64.
int prunelab_avx512_available(void);

/// out[F][H][W] = epilogue(Σ_c Σ_taps W[f][c][tap] · padded[c][y + ki][x + kj]), 16 pixels at a time:
/// `width` must be a multiple of 16 (16 of a row), or 8 with an even `height` (two rows of 8);
/// weights packed in blocks of 4 filters.
/// The epilogue is sum · scale[f] (if scale) + shift[f] (if shift), then max(0, ·) if relu.
void prunelab_avx512_conv3x3_by_pixels(const float *padded, long channels, long height, long width,
                                       const float *packed, long filters,
                                       const float *scale, const float *shift, int relu, float *output);

/// The same convolution for any width, 16 filters at a time: weights packed in blocks of 16 filters.
void prunelab_avx512_conv3x3_by_filters(const float *padded, long channels, long height, long width,
                                        const float *packed, long filters,
                                        const float *scale, const float *shift, int relu, float *output);

/// ∂W[f][c][tap] += Σ_(image,y,x) ∂Y[f][y][x] · padded[c][y + ki][x + kj] over `images` consecutive
/// images (padded copies C·(H+2)·(W+2) apart, ∂Y images F·H·W apart); `width` and `height` as for
/// `prunelab_avx512_conv3x3_by_pixels`.
void prunelab_avx512_conv3x3_weight_gradient_by_pixels(const float *padded, long channels, long height, long width,
                                                       long images, const float *grad_output, long filters,
                                                       float *grad_weight);

/// The same weight gradient for any width, from ∂Y transposed by pixel as `Conv3x3.transposeByPixel`
/// writes it: [images·H·W][F rounded up to 16].
void prunelab_avx512_conv3x3_weight_gradient_by_filters(const float *padded, long channels, long height, long width,
                                                        long images, const float *grad_output_by_pixel, long filters,
                                                        float *grad_weight);

/// A 1×1 convolution of `images` consecutive images without packing: output[f][p] = residual[f][p] +
/// shift[f] (each 0 when null) + Σ_c weight[f·weight_filter_stride + c·weight_channel_stride] · x[c][p],
/// each image C·plane floats of x and F·plane of output and residual. Strides (C, 1) read a F×C weight as it is (forward);
/// (1, F) read it transposed, for the input gradient ∂X = Wᵀ·∂Y (then `channels` is F, `filters` C).
void prunelab_avx512_conv1x1(const float *x, long channels, long plane, long images,
                             const float *weight, long weight_filter_stride, long weight_channel_stride,
                             long filters, const float *shift, const float *residual, float *output);

/// ∂W[f][c] += Σ_(image, p) ∂Y[f][p] · x[c][p] over `images` consecutive images (x images C·plane
/// floats apart, ∂Y images F·plane apart): the weight gradient of a 1×1 convolution.
void prunelab_avx512_conv1x1_weight_gradient(const float *x, long channels, long plane, long images,
                                             const float *grad_output, long filters, float *grad_weight);

// Winograd F(4×4, 3×3) for 3×3 convolutions with stride 1 and padding 1 (WinogradAVX512.c). Tiles of
// 4×4 outputs are numbered image by image, row by row within an image's ⌈H/4⌉ × ⌈W/4⌉ grid; the
// 36 positions ξ = 6·i + j of the 6×6 transformed tiles index the first dimension of every buffer.
// Each function handles `count` tiles (or kernels) from `first`, so callers can share a batch out;
// the transformed tiles' buffers (v, m, grad_m) point at the column of tile `first`.

/// U[ξ][in][out] = (G g Gᵀ)[ξ] for kernels k = in · outs + out in [first, first + count): forward,
/// g = W[f][c] (outs F, ins C); `for_input_gradient`, g = W[f][c] rotated by 180° with out = c,
/// in = f (outs C, ins F). u has 36 · F · C floats.
void prunelab_winograd4_weights(const float *weight, long filters, long channels, int for_input_gradient,
                                long first, long count, float *u);

/// ∂W[f][c][tap] += (Gᵀ ∂U G)[tap] for kernels k = f · C + c in [first, first + count), from
/// ∂U[ξ][f][c] (36 · F · C floats).
void prunelab_winograd4_add_weight_gradient(const float *grad_u, long filters, long channels,
                                            long first, long count, float *grad_weight);

/// V[ξ][c][t − first] = (Bᵀ d B)[ξ] of tiles [first, first + count) of consecutive C×H×W images at x
/// (rows of V `row_length` floats apart, C rows per position); outside the image d is the zero padding.
void prunelab_winograd4_input(const float *x, long channels, long height, long width,
                              long first, long count, long row_length, float *v);

/// y[image][f] tile t = epilogue((Aᵀ M A) over M[ξ][f][t − first]) for tiles [first, first + count), clipped to
/// the H×W plane; the epilogue as for `prunelab_avx512_conv3x3_by_pixels`.
void prunelab_winograd4_output(const float *m, long filters, long height, long width,
                               long first, long count, long row_length,
                               const float *scale, const float *shift, int relu, float *y);

/// ∂M̃[ξ][f][t − first] = (A ∂Y Aᵀ)[ξ] of tiles [first, first + count) of consecutive F×H×W ∂Y images (zeros
/// outside the plane): the weight gradient's ∂Y tiles, ∂U[ξ] = ∂M̃[ξ] · V[ξ]ᵀ.
void prunelab_winograd4_grad_output(const float *grad_output, long filters, long height, long width,
                                    long first, long count, long row_length, float *grad_m);

/// C = alpha · op(A) · op(B) + beta · C, row-major, on the calling thread, as `cblas_sgemm` with
/// CblasRowMajor: op(A) is m×k (A stored m×k, or k×m when `trans_a`), op(B) k×n (stored k×n, or
/// n×k when `trans_b`); leading dimensions are the stored row lengths. beta = 0 overwrites C
/// without reading it; only the m×n block of C (rows ldc apart) is touched.
void prunelab_avx512_sgemm(int trans_a, int trans_b, long m, long n, long k, float alpha,
                           const float *a, long lda, const float *b, long ldb,
                           float beta, float *c, long ldc);

#ifdef __cplusplus
}
#endif

#endif
