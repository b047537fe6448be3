// Direct 1×1 convolutions for AVX-512 (see KernelsAVX512.h): the GEMMs Y = W·X, ∂X = Wᵀ·∂Y and
// ∂W += ∂Y·Xᵀ of a 1×1 convolution, reading the N×C×H×W planes as they are. The product's
// inner dimension is a channel count (8–128 in the narrow bottlenecks), so a packed GEMM spends
// as long copying its panels as multiplying them; here nothing is packed:
//
// - forward (and the input gradient, the same product with the weight read transposed): a tile
//   of 6 filters × 4 vectors of 16 pixels keeps 24 sums in registers; each channel step loads 4
//   input vectors and broadcasts 6 weights (the last < 64 pixels of a plane: 8 filters × 1–3
//   vectors). The loop over filter blocks runs inside the loop over 64-pixel blocks, so the
//   block's C × 64 inputs stay in L1 while every filter reads them.
// - weight gradient: a tile of 4 filters × 6 channels keeps 24 vector sums over the pixels of all
//   the images of one call (each step loads 4 + 6 vectors), reduced across lanes once at the end.
//
// Every function is compiled for AVX-512 alone (like the rest of this target) and is called only
// on a CPU that has it (`KernelVariant.avx512`).
#include "KernelsAVX512.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma")))
#define INLINE static inline __attribute__((always_inline))

static inline long min_l1(long a, long b) { return a < b ? a : b; }

static inline __mmask16 tail_mask(long count) {
    return count >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << count) - 1);
}

// MARK: forward and input gradient

// out[f][p] (f < FB, V vectors of 16 pixels from p0; the last vector masked by `last`) =
// residual[f][p] + shift[f] + Σ_c w[f·wf + c·wc] · x[c·plane + p] (residual, shift if not null).
// FB and V are constants at every call, so the compiler unrolls the loops over them and keeps
// the sums in registers.
AVX512 INLINE void tile_forward(const int FB, const int V, const float *restrict x, long channels, long plane,
                                const float *restrict w, long wf, long wc, const float *shift,
                                const float *residual, float *restrict out, __mmask16 last) {
    __m512 s[8][4];
#pragma clang loop unroll(full)
    for (int f = 0; f < FB; f++) {
        const __m512 init = shift ? _mm512_set1_ps(shift[f]) : _mm512_setzero_ps();
#pragma clang loop unroll(full)
        for (int v = 0; v < V; v++)
            s[f][v] = residual ? _mm512_add_ps(init, _mm512_maskz_loadu_ps(v == V - 1 ? last : 0xFFFF,
                                                                           residual + f * plane + 16 * v))
                               : init;
    }
    for (long c = 0; c < channels; c++) {
        const float *xc = x + c * plane;
        __m512 in[4];
#pragma clang loop unroll(full)
        for (int v = 0; v < V; v++) in[v] = v == V - 1 ? _mm512_maskz_loadu_ps(last, xc + 16 * v) : _mm512_loadu_ps(xc + 16 * v);
        const float *wcol = w + c * wc;
#pragma clang loop unroll(full)
        for (int f = 0; f < FB; f++) {
            const __m512 a = _mm512_set1_ps(wcol[f * wf]);
#pragma clang loop unroll(full)
            for (int v = 0; v < V; v++) s[f][v] = _mm512_fmadd_ps(a, in[v], s[f][v]);
        }
    }
#pragma clang loop unroll(full)
    for (int f = 0; f < FB; f++) {
#pragma clang loop unroll(full)
        for (int v = 0; v < V; v++) {
            if (v == V - 1) _mm512_mask_storeu_ps(out + f * plane + 16 * v, last, s[f][v]);
            else _mm512_storeu_ps(out + f * plane + 16 * v, s[f][v]);
        }
    }
}

// All the filters of one block of V vectors: tiles of 6 filters × 4 vectors or 8 × 3 (or fewer)
// vectors, 24 sums either way, then 4, 2, 1 filters for the rest.
AVX512 INLINE void block_forward(const int V, const float *x, long channels, long plane, const float *w, long wf,
                                 long wc, long filters, const float *shift, const float *residual, float *out,
                                 __mmask16 last) {
    long f = 0;
    if (V == 4)
        for (; f + 6 <= filters; f += 6)
            tile_forward(6, V, x, channels, plane, w + f * wf, wf, wc, shift ? shift + f : 0,
                         residual ? residual + f * plane : 0, out + f * plane, last);
    else
        for (; f + 8 <= filters; f += 8)
            tile_forward(8, V, x, channels, plane, w + f * wf, wf, wc, shift ? shift + f : 0,
                         residual ? residual + f * plane : 0, out + f * plane, last);
    if (f + 4 <= filters) {
        tile_forward(4, V, x, channels, plane, w + f * wf, wf, wc, shift ? shift + f : 0,
                         residual ? residual + f * plane : 0, out + f * plane, last);
        f += 4;
    }
    if (f + 2 <= filters) {
        tile_forward(2, V, x, channels, plane, w + f * wf, wf, wc, shift ? shift + f : 0,
                         residual ? residual + f * plane : 0, out + f * plane, last);
        f += 2;
    }
    if (f < filters)
        tile_forward(1, V, x, channels, plane, w + f * wf, wf, wc, shift ? shift + f : 0,
                         residual ? residual + f * plane : 0, out + f * plane, last);
}

AVX512 void prunelab_avx512_conv1x1(const float *x, long channels, long plane, long images,
                                    const float *weight, long weight_filter_stride, long weight_channel_stride,
                                    long filters, const float *shift, const float *residual, float *output) {
    for (long image = 0; image < images; image++) {
        const float *xi = x + image * channels * plane;
        const float *ri = residual ? residual + image * filters * plane : 0;
        float *yi = output + image * filters * plane;
        long p = 0;
        for (; p + 64 <= plane; p += 64)
            block_forward(4, xi + p, channels, plane, weight, weight_filter_stride, weight_channel_stride, filters,
                          shift, ri ? ri + p : 0, yi + p, 0xFFFF);
        const long rest = plane - p;
        if (rest > 48)
            block_forward(4, xi + p, channels, plane, weight, weight_filter_stride, weight_channel_stride, filters,
                          shift, ri ? ri + p : 0, yi + p, tail_mask(rest - 48));
        else if (rest > 32)
            block_forward(3, xi + p, channels, plane, weight, weight_filter_stride, weight_channel_stride, filters,
                          shift, ri ? ri + p : 0, yi + p, tail_mask(rest - 32));
        else if (rest > 16)
            block_forward(2, xi + p, channels, plane, weight, weight_filter_stride, weight_channel_stride, filters,
                          shift, ri ? ri + p : 0, yi + p, tail_mask(rest - 16));
        else if (rest > 0)
            block_forward(1, xi + p, channels, plane, weight, weight_filter_stride, weight_channel_stride, filters,
                          shift, ri ? ri + p : 0, yi + p, tail_mask(rest));
    }
}

// MARK: weight gradient

// gw[f·channels + c] += Σ_(image, p) dy[f][p] · x[c][p] for FB filters × CB channels.
AVX512 INLINE void tile_weight_gradient(const int FB, const int CB, const float *restrict x, long channels,
                                        long plane, long images, const float *restrict dy, long filters,
                                        float *restrict gw) {
    __m512 s[4][6];
#pragma clang loop unroll(full)
    for (int f = 0; f < FB; f++)
#pragma clang loop unroll(full)
        for (int c = 0; c < CB; c++) s[f][c] = _mm512_setzero_ps();
    const long full = plane / 16 * 16;
    const __mmask16 last = tail_mask(plane - full);
    for (long image = 0; image < images; image++) {
        const float *xi = x + image * channels * plane, *dyi = dy + image * filters * plane;
        for (long p = 0; p < plane; p += 16) {
            const __mmask16 mask = p < full ? (__mmask16)0xFFFF : last;
            __m512 g[4];
#pragma clang loop unroll(full)
            for (int f = 0; f < FB; f++) g[f] = _mm512_maskz_loadu_ps(mask, dyi + f * plane + p);
#pragma clang loop unroll(full)
            for (int c = 0; c < CB; c++) {
                const __m512 in = _mm512_maskz_loadu_ps(mask, xi + c * plane + p);
#pragma clang loop unroll(full)
                for (int f = 0; f < FB; f++) s[f][c] = _mm512_fmadd_ps(g[f], in, s[f][c]);
            }
        }
    }
#pragma clang loop unroll(full)
    for (int f = 0; f < FB; f++)
#pragma clang loop unroll(full)
        for (int c = 0; c < CB; c++) gw[f * channels + c] += _mm512_reduce_add_ps(s[f][c]);
}

// One block of FB filters against every channel: tiles of 6 channels, then 4, 2, 1.
AVX512 INLINE void block_weight_gradient(const int FB, const float *x, long channels, long plane, long images,
                                         const float *dy, long filters, float *gw) {
    long c = 0;
    for (; c + 6 <= channels; c += 6) tile_weight_gradient(FB, 6, x + c * plane, channels, plane, images, dy, filters, gw + c);
    if (c + 4 <= channels) {
        tile_weight_gradient(FB, 4, x + c * plane, channels, plane, images, dy, filters, gw + c);
        c += 4;
    }
    if (c + 2 <= channels) {
        tile_weight_gradient(FB, 2, x + c * plane, channels, plane, images, dy, filters, gw + c);
        c += 2;
    }
    if (c < channels) tile_weight_gradient(FB, 1, x + c * plane, channels, plane, images, dy, filters, gw + c);
}

AVX512 void prunelab_avx512_conv1x1_weight_gradient(const float *x, long channels, long plane, long images,
                                                    const float *grad_output, long filters, float *grad_weight) {
    long f = 0;
    for (; f + 4 <= filters; f += 4)
        block_weight_gradient(4, x, channels, plane, images, grad_output + f * plane, filters, grad_weight + f * channels);
    if (f + 2 <= filters) {
        block_weight_gradient(2, x, channels, plane, images, grad_output + f * plane, filters, grad_weight + f * channels);
        f += 2;
    }
    if (f < filters)
        block_weight_gradient(1, x, channels, plane, images, grad_output + f * plane, filters, grad_weight + f * channels);
}

#else  // not x86-64: no AVX-512; Tensors never calls these.

void prunelab_avx512_conv1x1(const float *x, long channels, long plane, long images,
                             const float *weight, long weight_filter_stride, long weight_channel_stride,
                             long filters, const float *shift, const float *residual, float *output) {}
void prunelab_avx512_conv1x1_weight_gradient(const float *x, long channels, long plane, long images,
                                             const float *grad_output, long filters, float *grad_weight) {}
#endif
