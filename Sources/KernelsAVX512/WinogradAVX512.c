// Winograd F(4×4, 3×3) for 3×3 convolutions with stride 1 and padding 1 (Lavin & Gray 2015,
// "Fast Algorithms for Convolutional Neural Networks"). A 4×4 block of outputs is computed from
// the 6×6 input window around it with 36 multiplications per (filter, channel) instead of 144:
//
//   Y = Aᵀ [ Σ_c (G g_fc Gᵀ) ⊙ (Bᵀ d_c B) ] A
//
// with the interpolation points 0, 1, −1, 2, −2, ∞. Per layer the three steps are: the weights
// U[ξ][in][out] = G g Gᵀ, the input tiles V[ξ][in][t] = Bᵀ d B, then for each of the 36 positions
// ξ one product M[ξ] = U[ξ] · V[ξ] (the AVX-512 sgemm, in Tensors; U is stored [ξ][in][out], the
// transposed operand), and the output tiles
// Y = Aᵀ M A. The weight gradient runs the same way backwards: ∂M̃[ξ][f][t] = A ∂Y Aᵀ, one product
// ∂U[ξ] = ∂M̃[ξ] · V[ξ]ᵀ per position, and ∂W += Gᵀ ∂U G.
//
// Tiles are numbered image by image, row by row within an image's grid of ⌈H/4⌉ × ⌈W/4⌉ tiles;
// the transforms work on 16 consecutive tiles at a time (one per lane). Input windows are read
// with masked gathers (positions outside the image are the zero padding, so no padded copy is
// made); output and ∂Y tiles are exactly 16 floats, moved between tile-major and lane-major with
// one 16 × 16 transpose. Compiled for AVX-512 alone, like the other files of this target.
#include "KernelsAVX512.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma")))
#define INLINE static inline __attribute__((always_inline))

#include "Transpose16.h"

static inline long min_l(long a, long b) { return a < b ? a : b; }

#define SET(x) _mm512_set1_ps(x)
#define ADD _mm512_add_ps
#define SUB _mm512_sub_ps
#define FMA(a, b, c) _mm512_fmadd_ps(SET(a), b, c)  // a · b + c, a a constant

// MARK: the 1-D transforms (rows of Bᵀ, G, Aᵀ, and the transposed ones for the weight gradient)

// v = Bᵀ d, six points to six.
AVX512 INLINE void input_1d(const __m512 d[6], __m512 v[6]) {
    const __m512 d12 = ADD(d[1], d[2]), d34 = ADD(d[3], d[4]);
    const __m512 e12 = SUB(d[1], d[2]), e43 = SUB(d[4], d[3]);
    const __m512 d42 = SUB(d[4], d[2]), d31 = SUB(d[3], d[1]);
    v[0] = FMA(4, d[0], FMA(-5, d[2], d[4]));
    v[1] = FMA(-4, d12, d34);
    v[2] = FMA(4, e12, e43);
    v[3] = FMA(2, d31, d42);
    v[4] = FMA(-2, d31, d42);
    v[5] = FMA(4, d[1], FMA(-5, d[3], d[5]));
}

// y = Aᵀ m, six points to four outputs.
AVX512 INLINE void output_1d(const __m512 m[6], __m512 y[4]) {
    const __m512 p12 = ADD(m[1], m[2]), q12 = SUB(m[1], m[2]);
    const __m512 p34 = ADD(m[3], m[4]), q34 = SUB(m[3], m[4]);
    y[0] = ADD(ADD(m[0], p12), p34);
    y[1] = FMA(2, q34, q12);
    y[2] = FMA(4, p34, p12);
    y[3] = ADD(FMA(8, q34, q12), m[5]);
}

// u = G g, three taps to six points.
AVX512 INLINE void weight_1d(const __m512 g[3], __m512 u[6]) {
    const __m512 p02 = ADD(g[0], g[2]);
    u[0] = _mm512_mul_ps(SET(1.0f / 4), g[0]);
    u[1] = _mm512_mul_ps(SET(-1.0f / 6), ADD(p02, g[1]));
    u[2] = _mm512_mul_ps(SET(-1.0f / 6), SUB(p02, g[1]));
    u[3] = FMA(1.0f / 24, g[0], FMA(1.0f / 12, g[1], _mm512_mul_ps(SET(1.0f / 6), g[2])));
    u[4] = FMA(1.0f / 24, g[0], FMA(-1.0f / 12, g[1], _mm512_mul_ps(SET(1.0f / 6), g[2])));
    u[5] = g[2];
}

// z = A e (A = (Aᵀ)ᵀ), four ∂Y values to six points: the transform of ∂Y for the weight gradient.
AVX512 INLINE void grad_output_1d(const __m512 e[4], __m512 z[6]) {
    const __m512 p02 = ADD(e[0], e[2]), p13 = ADD(e[1], e[3]);
    const __m512 q02 = FMA(4, e[2], e[0]), q13 = FMA(8, e[3], _mm512_mul_ps(SET(2), e[1]));
    z[0] = e[0];
    z[1] = ADD(p02, p13);
    z[2] = SUB(p02, p13);
    z[3] = ADD(q02, q13);
    z[4] = SUB(q02, q13);
    z[5] = e[3];
}

// r = Gᵀ q, six points back to three taps: the transform of ∂U for the weight gradient.
AVX512 INLINE void weight_gradient_1d(const __m512 q[6], __m512 r[3]) {
    const __m512 p12 = ADD(q[1], q[2]), q21 = SUB(q[2], q[1]);
    const __m512 p34 = ADD(q[3], q[4]), q34 = SUB(q[3], q[4]);
    r[0] = FMA(1.0f / 4, q[0], FMA(-1.0f / 6, p12, _mm512_mul_ps(SET(1.0f / 24), p34)));
    r[1] = FMA(1.0f / 6, q21, _mm512_mul_ps(SET(1.0f / 12), q34));
    r[2] = FMA(1.0f / 6, SUB(p34, p12), q[5]);
}

// MARK: tiles

// Where the 16 tiles first … first + 15 of a grid of `tiles_x` × `tiles_y` tiles per image sit:
// their image and the top-left output pixel. Lanes past `count` repeat the last tile.
typedef struct { int image[16], row[16], column[16]; } TileCorners;

static void tile_corners(long first, long count, long tiles_x, long tiles_y, TileCorners *corners) {
    for (long lane = 0; lane < 16; lane++) {
        const long t = first + min_l(lane, count - 1), per_image = tiles_x * tiles_y;
        const long r = t % per_image;
        corners->image[lane] = (int)(t / per_image);
        corners->row[lane] = (int)(r / tiles_x * 4);
        corners->column[lane] = (int)(r % tiles_x * 4);
    }
}

static inline __mmask16 lanes_mask(long count) { return count >= 16 ? 0xFFFF : (__mmask16)((1u << count) - 1); }

// MARK: weights

AVX512 void prunelab_winograd4_weights(const float *weight, long filters, long channels, int for_input_gradient,
                                       long first, long count, float *u) {
    // The convolution these weights run: `outs` outputs over `ins` inputs; kernel k = in · outs + out,
    // so U[ξ] is stored as the transposed operand of the products, which the GEMM packs cheaply.
    const long outs = for_input_gradient ? channels : filters, kernels = filters * channels;
    for (long k0 = first; k0 < first + count; k0 += 16) {
        const long n = min_l(16, first + count - k0);
        int offset[16];
        for (long lane = 0; lane < 16; lane++) {
            const long k = k0 + min_l(lane, n - 1), o = k % outs, i = k / outs;
            offset[lane] = (int)((for_input_gradient ? i * channels + o : o * channels + i) * 9);
        }
        const __m512i index = _mm512_loadu_si512(offset);
        __m512 g[3][3];  // g[row][column] of 16 kernels; the input gradient's kernel is rotated by 180°
        for (int tap = 0; tap < 9; tap++) {
            const int source = for_input_gradient ? 8 - tap : tap;
            g[tap / 3][tap % 3] = _mm512_i32gather_ps(_mm512_add_epi32(index, _mm512_set1_epi32(source)), weight, 4);
        }
        __m512 column[3][6];  // G g, one column of g at a time
        for (int b = 0; b < 3; b++) {
            const __m512 taps[3] = {g[0][b], g[1][b], g[2][b]};
            weight_1d(taps, column[b]);
        }
        const __mmask16 mask = lanes_mask(n);
        for (int a = 0; a < 6; a++) {
            const __m512 row[3] = {column[0][a], column[1][a], column[2][a]};
            __m512 out[6];
            weight_1d(row, out);
            for (int j = 0; j < 6; j++) _mm512_mask_storeu_ps(u + (a * 6 + j) * kernels + k0, mask, out[j]);
        }
    }
}

AVX512 void prunelab_winograd4_add_weight_gradient(const float *grad_u, long filters, long channels,
                                                   long first, long count, float *grad_weight) {
    const long kernels = filters * channels;  // ∂U[ξ][f][c], kernel k = f · C + c, as ∂W's order
    for (long k0 = first; k0 < first + count; k0 += 16) {
        const long n = min_l(16, first + count - k0);
        __m512 rows[6][3];  // Gᵀ ∂U, one row of ∂U at a time
        for (int a = 0; a < 6; a++) {
            __m512 q[6];
            for (int j = 0; j < 6; j++) q[j] = _mm512_maskz_loadu_ps(lanes_mask(n), grad_u + (a * 6 + j) * kernels + k0);
            weight_gradient_1d(q, rows[a]);
        }
        __m512 taps[3][3];
        for (int b = 0; b < 3; b++) {
            const __m512 q[6] = {rows[0][b], rows[1][b], rows[2][b], rows[3][b], rows[4][b], rows[5][b]};
            __m512 r[3];
            weight_gradient_1d(q, r);
            for (int a = 0; a < 3; a++) taps[a][b] = r[a];
        }
        // ∂W[k][tap] += taps: 16 kernels × 9 taps, through a 16-lane buffer.
        float values[9][16];
        for (int tap = 0; tap < 9; tap++) _mm512_storeu_ps(values[tap], taps[tap / 3][tap % 3]);
        for (long lane = 0; lane < n; lane++)
            for (int tap = 0; tap < 9; tap++) grad_weight[(k0 + lane) * 9 + tap] += values[tap][lane];
    }
}

// MARK: input tiles

AVX512 void prunelab_winograd4_input(const float *x, long channels, long height, long width,
                                     long first, long count, long row_length, float *v) {
    const long tiles_x = (width + 3) / 4, tiles_y = (height + 3) / 4, plane = height * width;
    const long position_stride = channels * row_length;  // V[ξ][c][t]
    for (long t0 = first; t0 < first + count; t0 += 16) {
        const long n = min_l(16, first + count - t0);
        TileCorners corners;
        tile_corners(t0, n, tiles_x, tiles_y, &corners);
        // The window of a tile starts one row and one column before its first output pixel.
        const __m512i top = _mm512_sub_epi32(_mm512_loadu_si512(corners.row), _mm512_set1_epi32(1));
        const __m512i left = _mm512_sub_epi32(_mm512_loadu_si512(corners.column), _mm512_set1_epi32(1));
        const __m512i image = _mm512_mullo_epi32(_mm512_loadu_si512(corners.image), _mm512_set1_epi32((int)(channels * plane)));
        const __m512i corner = _mm512_add_epi32(image, _mm512_add_epi32(_mm512_mullo_epi32(top, _mm512_set1_epi32((int)width)), left));
        // Which lanes read a pixel inside the image at window row r and column k (else zero padding).
        __mmask16 row_inside[6], column_inside[6];
        for (int r = 0; r < 6; r++) {
            const __m512i y = _mm512_add_epi32(top, _mm512_set1_epi32(r)), xk = _mm512_add_epi32(left, _mm512_set1_epi32(r));
            row_inside[r] = _mm512_cmpge_epi32_mask(y, _mm512_setzero_si512())
                & _mm512_cmplt_epi32_mask(y, _mm512_set1_epi32((int)height)) & lanes_mask(n);
            column_inside[r] = _mm512_cmpge_epi32_mask(xk, _mm512_setzero_si512())
                & _mm512_cmplt_epi32_mask(xk, _mm512_set1_epi32((int)width));
        }
        const __mmask16 store_mask = lanes_mask(n);
        for (long c = 0; c < channels; c++) {
            const float *xc = x + c * plane;
            __m512 rows[6][6];  // Bᵀ applied along each window row
            for (int r = 0; r < 6; r++) {
                __m512 d[6];
                for (int k = 0; k < 6; k++) {
                    const __m512i index = _mm512_add_epi32(corner, _mm512_set1_epi32((int)(r * width + k)));
                    d[k] = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), row_inside[r] & column_inside[k], index, xc, 4);
                }
                input_1d(d, rows[r]);
            }
            float *vc = v + c * row_length + (t0 - first);
            for (int j = 0; j < 6; j++) {
                const __m512 column[6] = {rows[0][j], rows[1][j], rows[2][j], rows[3][j], rows[4][j], rows[5][j]};
                __m512 out[6];
                input_1d(column, out);
                for (int i = 0; i < 6; i++) _mm512_mask_storeu_ps(vc + (i * 6 + j) * position_stride, store_mask, out[i]);
            }
        }
    }
}

// MARK: output tiles

// Stores tile `lane`'s 4×4 values (row-major in one vector) at `dst`, clipped to the plane.
AVX512 INLINE void store_tile(__m512 values, float *dst, long width, long rows, __mmask8 columns) {
    _mm_mask_storeu_ps(dst, columns, _mm512_castps512_ps128(values));
    if (rows > 1) _mm_mask_storeu_ps(dst + width, columns, _mm512_extractf32x4_ps(values, 1));
    if (rows > 2) _mm_mask_storeu_ps(dst + 2 * width, columns, _mm512_extractf32x4_ps(values, 2));
    if (rows > 3) _mm_mask_storeu_ps(dst + 3 * width, columns, _mm512_extractf32x4_ps(values, 3));
}

AVX512 void prunelab_winograd4_output(const float *m, long filters, long height, long width,
                                      long first, long count, long row_length,
                                      const float *scale, const float *shift, int relu, float *y) {
    const long tiles_x = (width + 3) / 4, tiles_y = (height + 3) / 4, plane = height * width;
    const long position_stride = filters * row_length;  // M[ξ][f][t]
    for (long t0 = first; t0 < first + count; t0 += 16) {
        const long n = min_l(16, first + count - t0);
        TileCorners corners;
        tile_corners(t0, n, tiles_x, tiles_y, &corners);
        const __mmask16 load_mask = lanes_mask(n);
        for (long f = 0; f < filters; f++) {
            const float *mf = m + f * row_length + (t0 - first);
            __m512 columns[6][4];  // Aᵀ applied down each column of M
            for (int j = 0; j < 6; j++) {
                __m512 column[6];
                for (int i = 0; i < 6; i++) column[i] = _mm512_maskz_loadu_ps(load_mask, mf + (i * 6 + j) * position_stride);
                output_1d(column, columns[j]);
            }
            __m512 out[16];  // out[4·row + column], lane = tile
            for (int i = 0; i < 4; i++) {
                const __m512 row[6] = {columns[0][i], columns[1][i], columns[2][i], columns[3][i], columns[4][i], columns[5][i]};
                output_1d(row, out + 4 * i);
            }
            for (int p = 0; p < 16; p++) {
                if (scale) out[p] = _mm512_mul_ps(out[p], SET(scale[f]));
                if (shift) out[p] = ADD(out[p], SET(shift[f]));
                if (relu) out[p] = _mm512_max_ps(out[p], _mm512_setzero_ps());
            }
            transpose16(out);  // out[lane] = that tile's 4×4 outputs
            for (long lane = 0; lane < n; lane++) {
                const long row = corners.row[lane], column = corners.column[lane];
                const long columns_inside = min_l(4, width - column);
                store_tile(out[lane], y + (corners.image[lane] * filters + f) * plane + row * width + column, width,
                           min_l(4, height - row), (__mmask8)((1u << columns_inside) - 1));
            }
        }
    }
}

// MARK: ∂Y tiles for the weight gradient

AVX512 void prunelab_winograd4_grad_output(const float *grad_output, long filters, long height, long width,
                                           long first, long count, long row_length, float *grad_m) {
    const long tiles_x = (width + 3) / 4, tiles_y = (height + 3) / 4, plane = height * width;
    const long position_stride = filters * row_length;  // ∂M̃[ξ][f][t]
    for (long t0 = first; t0 < first + count; t0 += 16) {
        const long n = min_l(16, first + count - t0);
        TileCorners corners;
        tile_corners(t0, n, tiles_x, tiles_y, &corners);
        const __mmask16 store_mask = lanes_mask(n);
        for (long f = 0; f < filters; f++) {
            __m512 e[16];  // lane-major: e[lane] = tile's 4×4 ∂Y, zeros outside the plane
            for (long lane = 0; lane < 16; lane++) {
                if (lane >= n) { e[lane] = _mm512_setzero_ps(); continue; }
                const long row = corners.row[lane], column = corners.column[lane];
                const long rows_inside = min_l(4, height - row), columns_inside = min_l(4, width - column);
                const float *src = grad_output + (corners.image[lane] * filters + f) * plane + row * width + column;
                const __mmask8 cols = (__mmask8)((1u << columns_inside) - 1);
                __m512 tile = _mm512_castps128_ps512(_mm_maskz_loadu_ps(cols, src));
                if (rows_inside > 1) tile = _mm512_insertf32x4(tile, _mm_maskz_loadu_ps(cols, src + width), 1);
                else tile = _mm512_insertf32x4(tile, _mm_setzero_ps(), 1);
                tile = _mm512_insertf32x4(tile, rows_inside > 2 ? _mm_maskz_loadu_ps(cols, src + 2 * width) : _mm_setzero_ps(), 2);
                tile = _mm512_insertf32x4(tile, rows_inside > 3 ? _mm_maskz_loadu_ps(cols, src + 3 * width) : _mm_setzero_ps(), 3);
                e[lane] = tile;
            }
            transpose16(e);  // e[4·row + column], lane = tile
            __m512 rows[4][6];  // A applied along each ∂Y row
            for (int i = 0; i < 4; i++) grad_output_1d(e + 4 * i, rows[i]);
            float *mf = grad_m + f * row_length + (t0 - first);
            for (int j = 0; j < 6; j++) {
                const __m512 column[4] = {rows[0][j], rows[1][j], rows[2][j], rows[3][j]};
                __m512 out[6];
                grad_output_1d(column, out);
                for (int i = 0; i < 6; i++) _mm512_mask_storeu_ps(mf + (i * 6 + j) * position_stride, store_mask, out[i]);
            }
        }
    }
}

#else  // not x86-64: no AVX-512; Tensors never calls these.

void prunelab_winograd4_weights(const float *weight, long filters, long channels, int for_input_gradient,
                                long first, long count, float *u) {}
void prunelab_winograd4_add_weight_gradient(const float *grad_u, long filters, long channels,
                                            long first, long count, float *grad_weight) {}
void prunelab_winograd4_input(const float *x, long channels, long height, long width,
                              long first, long count, long row_length, float *v) {}
void prunelab_winograd4_output(const float *m, long filters, long height, long width,
                               long first, long count, long row_length,
                               const float *scale, const float *shift, int relu, float *y) {}
void prunelab_winograd4_grad_output(const float *grad_output, long filters, long height, long width,
                                    long first, long count, long row_length, float *grad_m) {}
#endif
