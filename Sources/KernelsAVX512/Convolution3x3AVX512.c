// 16-wide AVX-512 variants of the direct 3×3 convolution kernels (see KernelsAVX512.h and
// Tensors/Convolution3x3.swift, whose layouts and loop structure these follow). The 8-wide Swift
// kernels are compiled for AVX2; a CPU with AVX-512 does twice the arithmetic per instruction
// here. Only the functions marked AVX512 use those instructions, so the rest of the program
// runs on any x86-64-v3 CPU, and Tensors calls these only after `prunelab_avx512_available()`.
#include "KernelsAVX512.h"

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

int prunelab_avx512_available(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    const unsigned fma = 1u << 12, osxsave = 1u << 27;
    if ((c & (fma | osxsave)) != (fma | osxsave)) return 0;
    unsigned xcr0_low, xcr0_high;
    __asm__("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    // The OS saves XMM, YMM, the opmask registers and both halves of the ZMM registers.
    const unsigned saved = (1u << 1) | (1u << 2) | (1u << 5) | (1u << 6) | (1u << 7);
    if ((xcr0_low & saved) != saved) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    const unsigned f = 1u << 16, dq = 1u << 17, bw = 1u << 30, vl = 1u << 31;
    return (b & (f | dq | bw | vl)) == (f | dq | bw | vl);
}

#define AVX512 __attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma")))
#define INLINE static inline __attribute__((always_inline))

static inline long min_long(long a, long b) { return a < b ? a : b; }

// What the forward kernels do to a finished sum of filter f before storing it (as Epilogue in Swift).
AVX512 INLINE __m512 finish(__m512 sum, const float *scale, const float *shift, int relu, long f) {
    if (scale) sum = _mm512_mul_ps(sum, _mm512_set1_ps(scale[f]));
    if (shift) sum = _mm512_add_ps(sum, _mm512_set1_ps(shift[f]));
    if (relu) sum = _mm512_max_ps(sum, _mm512_setzero_ps());
    return sum;
}

static inline float finish_one(float sum, const float *scale, const float *shift, int relu, long f) {
    if (scale) sum *= scale[f];
    if (shift) sum += shift[f];
    return relu && sum < 0 ? 0 : sum;
}

// The sums live in named variables, not arrays: the compiler keeps an array of vectors on the
// stack and stores to it after every multiply-add.
#define ZERO3(s) __m512 s##0 = _mm512_setzero_ps(), s##1 = _mm512_setzero_ps(), s##2 = _mm512_setzero_ps()
#define ZERO6(s) ZERO3(s); __m512 s##3 = _mm512_setzero_ps(), s##4 = _mm512_setzero_ps(), s##5 = _mm512_setzero_ps()

// MARK: vectorised over 16 pixels of a row

// 16 pixels from two rows of 8 that are `row_length` apart (an 8×8 plane: two output rows are
// 16 consecutive floats, their inputs are not).
AVX512 INLINE __m512 load_two_rows(const float *p, long row_length) {
    return _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_loadu_ps(p)), _mm256_loadu_ps(p + row_length), 1);
}

// A vector holds 16 pixels of one row (width a multiple of 16) or, with `two_rows`, two rows of 8.
#define LOAD_PIXELS(p) (two_rows ? load_two_rows(p, row_length) : _mm512_loadu_ps(p))

// A tile of NF filters (2, 4, 6 or 8: one or two packed blocks of 4, missing filters are zero
// weights) × NV vectors of 16 pixels (3 or 4), NF·NV ≤ 24 sums in registers (AVX-512 has 32):
// each input vector loaded feeds NF multiply-adds, each broadcast weight NV. Filters
// first … first + NF − 1, of which `valid` exist; vectors v0 … v(NV−1) of the plane.
#define SUMS4(f) __m512 s##f##0 = _mm512_setzero_ps(), s##f##1 = _mm512_setzero_ps(), \
                        s##f##2 = _mm512_setzero_ps(), s##f##3 = _mm512_setzero_ps()
AVX512 INLINE void pixel_tile(const int two_rows, const int NF, const int NV, const float *padded, long channels,
                              long width, long vectors_per_row, long row_length, long plane_length, long plane,
                              const float *weights, long block_floats, long first, long valid, long u, long units,
                              const float *scale, const float *shift, int relu, float *output) {
#define INPUT(v) (two_rows ? (v) * 2 * row_length : (v) / vectors_per_row * row_length + (v) % vectors_per_row * 16)
#define OUTPUT(v) (two_rows ? (v) * 16 : (v) / vectors_per_row * width + (v) % vectors_per_row * 16)
    // At the end of the plane the last vector is repeated (computed and stored again, same values).
    const long v0 = u, v1 = min_long(u + 1, units - 1), v2 = min_long(u + 2, units - 1), v3 = min_long(u + 3, units - 1);
    const long in0 = INPUT(v0), in1 = INPUT(v1), in2 = INPUT(v2), in3 = INPUT(v3);
    SUMS4(0); SUMS4(1); SUMS4(2); SUMS4(3); SUMS4(4); SUMS4(5); SUMS4(6); SUMS4(7);  // s<filter><vector>
    const float *wa = weights, *wb = weights + block_floats, *channel = padded;
    for (long c = 0; c < channels; c++, channel += plane_length) {
        for (int ki = 0; ki < 3; ki++) {
            const float *row = channel + ki * row_length;
            for (int kj = 0; kj < 3; kj++, wa += 4, wb += 4) {
                const __m512 x0 = LOAD_PIXELS(row + in0 + kj);
                const __m512 x1 = LOAD_PIXELS(row + in1 + kj);
                const __m512 x2 = LOAD_PIXELS(row + in2 + kj);
                const __m512 x3 = NV > 3 ? LOAD_PIXELS(row + in3 + kj) : x2;
#define FILTER(f, w) if (f < NF) { const __m512 weight = _mm512_set1_ps(w); s##f##0 = _mm512_fmadd_ps(x0, weight, s##f##0); \
                    s##f##1 = _mm512_fmadd_ps(x1, weight, s##f##1); s##f##2 = _mm512_fmadd_ps(x2, weight, s##f##2); \
                    if (NV > 3) s##f##3 = _mm512_fmadd_ps(x3, weight, s##f##3); }
                FILTER(0, wa[0]) FILTER(1, wa[1]) FILTER(2, wa[2]) FILTER(3, wa[3])
                FILTER(4, wb[0]) FILTER(5, wb[1]) FILTER(6, wb[2]) FILTER(7, wb[3])
#undef FILTER
            }
        }
    }
#define STORE(f) if (f < NF && f < valid) { float *filter_plane = output + (first + f) * plane; \
                     _mm512_storeu_ps(filter_plane + OUTPUT(v0), finish(s##f##0, scale, shift, relu, first + f)); \
                     _mm512_storeu_ps(filter_plane + OUTPUT(v1), finish(s##f##1, scale, shift, relu, first + f)); \
                     _mm512_storeu_ps(filter_plane + OUTPUT(v2), finish(s##f##2, scale, shift, relu, first + f)); \
                     if (NV > 3) _mm512_storeu_ps(filter_plane + OUTPUT(v3), finish(s##f##3, scale, shift, relu, first + f)); }
    STORE(0) STORE(1) STORE(2) STORE(3) STORE(4) STORE(5) STORE(6) STORE(7)
#undef STORE
#undef INPUT
#undef OUTPUT
}

AVX512 INLINE void by_pixels(const int two_rows, const float *padded, long channels, long height, long width,
                             const float *packed, long filters,
                             const float *scale, const float *shift, int relu, float *output) {
    const long vectors_per_row = two_rows ? 1 : width / 16, units = two_rows ? height / 2 : height * vectors_per_row;
    const long row_length = width + 2, plane_length = (height + 2) * row_length, plane = height * width;
    const long block_floats = channels * 9 * 4;  // one packed block of 4 filters, [C][9][4]
    // Blocks of 8 filters (8 × 3 vectors), then what is left: 6, 4 or 2 filters (× 4 vectors;
    // an odd count computes one zero filter more and does not store it).
    for (long first = 0; first < filters; first += 8) {
        const float *weights = packed + first * channels * 9;  // block first/4 of [C][9][4]
        const long valid = min_long(8, filters - first);
#define TILES(NF, NV) for (long u = 0; u < units; u += NV) \
            pixel_tile(two_rows, NF, NV, padded, channels, width, vectors_per_row, row_length, plane_length, plane, \
                       weights, block_floats, first, valid, u, units, scale, shift, relu, output);
        if (valid > 6) { TILES(8, 3) }
        else if (valid > 4) { TILES(6, 4) }
        else if (valid > 2) { TILES(4, 4) }
        else { TILES(2, 4) }
#undef TILES
    }
}

AVX512 void prunelab_avx512_conv3x3_by_pixels(const float *padded, long channels, long height, long width,
                                              const float *packed, long filters,
                                              const float *scale, const float *shift, int relu, float *output) {
    if (width == 8) by_pixels(1, padded, channels, height, width, packed, filters, scale, shift, relu, output);
    else by_pixels(0, padded, channels, height, width, packed, filters, scale, shift, relu, output);
}

// NF filters (2, 4, 6 or 8) × the kernel row's 3 taps, summed over 16 pixels in each register
// (NF·3 ≤ 24 sums); a missing filter reads filter `first` again and is not added.
AVX512 INLINE void weight_gradient_row(const int two_rows, const int NF, const float *x, long vectors,
                                       long vectors_per_row, long row_length, long height, long padded_image,
                                       long grad_image, long plane, const float *grad_output, long first, long count,
                                       long channels, long c, int ki, float *grad_weight) {
#define DY(f) const float *dy##f = grad_output + (first + (count > f ? f : 0)) * plane
    DY(0); DY(1); DY(2); DY(3); DY(4); DY(5); DY(6); DY(7);
#undef DY
    SUMS4(0); SUMS4(1); SUMS4(2); SUMS4(3); SUMS4(4); SUMS4(5); SUMS4(6); SUMS4(7);  // s<filter><tap>
    long o = 0, v = 0, y = 0;
    for (long n = 0; n < vectors; n++) {
        const __m512 x0 = LOAD_PIXELS(x), x1 = LOAD_PIXELS(x + 1), x2 = LOAD_PIXELS(x + 2);
#define FILTER(f) if (f < NF) { const __m512 d = _mm512_loadu_ps(dy##f + o); s##f##0 = _mm512_fmadd_ps(d, x0, s##f##0); \
                s##f##1 = _mm512_fmadd_ps(d, x1, s##f##1); s##f##2 = _mm512_fmadd_ps(d, x2, s##f##2); }
        FILTER(0) FILTER(1) FILTER(2) FILTER(3) FILTER(4) FILTER(5) FILTER(6) FILTER(7)
#undef FILTER
        o += 16;
        if (two_rows) {
            x += 2 * row_length; y += 2;
        } else {
            x += 16;
            if (++v == vectors_per_row) { v = 0; x += 2; y += 1; }
        }
        if (y == height) { y = 0; x += padded_image - height * row_length; o += grad_image - plane; }
    }
#define ADD(f) if (f < NF && f < count) { float *dst = grad_weight + ((first + f) * channels + c) * 9 + ki * 3; \
               dst[0] += _mm512_reduce_add_ps(s##f##0); dst[1] += _mm512_reduce_add_ps(s##f##1); \
               dst[2] += _mm512_reduce_add_ps(s##f##2); }
    ADD(0) ADD(1) ADD(2) ADD(3) ADD(4) ADD(5) ADD(6) ADD(7)
#undef ADD
}

AVX512 INLINE void weight_gradient_by_pixels(const int two_rows, const float *padded, long channels, long height,
                                             long width, long images, const float *grad_output, long filters,
                                             float *grad_weight) {
    const long vectors_per_row = two_rows ? 1 : width / 16, row_length = width + 2, plane = height * width;
    const long plane_length = (height + 2) * row_length;
    const long padded_image = channels * plane_length, grad_image = filters * plane;
    const long vectors = images * (two_rows ? height / 2 : height * vectors_per_row);
    for (long first = 0; first < filters; first += 8) {
        const long count = min_long(8, filters - first);
        for (long c = 0; c < channels; c++) {
            for (int ki = 0; ki < 3; ki++) {
                const float *x = padded + c * plane_length + ki * row_length;
#define ROW(NF) weight_gradient_row(two_rows, NF, x, vectors, vectors_per_row, row_length, height, padded_image, \
                                    grad_image, plane, grad_output, first, count, channels, c, ki, grad_weight)
                if (count > 6) ROW(8);
                else if (count > 4) ROW(6);
                else if (count > 2) ROW(4);
                else ROW(2);
#undef ROW
            }
        }
    }
}
#undef SUMS4

AVX512 void prunelab_avx512_conv3x3_weight_gradient_by_pixels(const float *padded, long channels, long height,
                                                              long width, long images, const float *grad_output,
                                                              long filters, float *grad_weight) {
    if (width == 8) weight_gradient_by_pixels(1, padded, channels, height, width, images, grad_output, filters, grad_weight);
    else weight_gradient_by_pixels(0, padded, channels, height, width, images, grad_output, filters, grad_weight);
}

// MARK: vectorised over 16 filters

// The 16 sums of one pixel (or one ∂W column) for filters first … first + 15 go to 16 places
// `stride` floats apart: stored (forward, finished by the epilogue) or added (∂W).
AVX512 INLINE void store_filters(__m512 sums, long first, long filters, float *out, long stride,
                                 const float *scale, const float *shift, int relu, int accumulate) {
    float lanes[16];
    _mm512_storeu_ps(lanes, sums);
    const long valid = min_long(16, filters - first);
    for (long lane = 0; lane < valid; lane++) {
        if (accumulate) out[lane * stride] += lanes[lane];
        else out[lane * stride] = finish_one(lanes[lane], scale, shift, relu, first + lane);
    }
}

// Tiles of `blocks` (1, 2 or 4) blocks of 16 filters × 6 positions: sums a<i>, b<i>, c<i>, d<i>
// for blocks 0–3 and position i; each broadcast input value feeds `blocks` multiply-adds.
#define FMA_POSITION(i, value) { const __m512 v = (value); a##i = _mm512_fmadd_ps(v, w0, a##i); \
    if (blocks > 1) b##i = _mm512_fmadd_ps(v, w1, b##i); \
    if (blocks > 2) { c##i = _mm512_fmadd_ps(v, w2, c##i); d##i = _mm512_fmadd_ps(v, w3, d##i); } }
#define STORE_POSITION(i, out, stride, scale, shift, relu, accumulate) if (i < count) { \
    store_filters(a##i, first, filters, (out) + i, stride, scale, shift, relu, accumulate); \
    if (blocks > 1) store_filters(b##i, first + 16, filters, (out) + 16 * (stride) + i, stride, scale, shift, relu, accumulate); \
    if (blocks > 2) { store_filters(c##i, first + 32, filters, (out) + 32 * (stride) + i, stride, scale, shift, relu, accumulate); \
                      store_filters(d##i, first + 48, filters, (out) + 48 * (stride) + i, stride, scale, shift, relu, accumulate); } }

// Forward: pixels q … q + 5 of the plane (past its end the last is repeated and not stored),
// weights packed in blocks of 16.
AVX512 INLINE void filter_tile(const int blocks, const float *padded, long channels, long height, long width,
                               const float *packed, long filters, long first, long q,
                               const float *scale, const float *shift, int relu, float *output) {
    const long row_length = width + 2, plane_length = (height + 2) * row_length, plane = height * width;
    const long count = min_long(6, plane - q);
#define OFFSET(i) ((q + min_long(i, count - 1)) / width * row_length + (q + min_long(i, count - 1)) % width)
    const long o0 = OFFSET(0), o1 = OFFSET(1), o2 = OFFSET(2), o3 = OFFSET(3), o4 = OFFSET(4), o5 = OFFSET(5);
#undef OFFSET
    const long block_floats = channels * 9 * 16;
    ZERO6(a); ZERO6(b); ZERO6(c); ZERO6(d);
    const float *w = packed + first / 16 * block_floats, *x = padded;
    for (long channel = 0; channel < channels; channel++, x += plane_length) {
        for (int ki = 0; ki < 3; ki++) {
            for (int kj = 0; kj < 3; kj++, w += 16) {
                const float *tap = x + ki * row_length + kj;
                const __m512 w0 = _mm512_loadu_ps(w);
                const __m512 w1 = blocks > 1 ? _mm512_loadu_ps(w + block_floats) : w0;
                const __m512 w2 = blocks > 2 ? _mm512_loadu_ps(w + 2 * block_floats) : w0;
                const __m512 w3 = blocks > 2 ? _mm512_loadu_ps(w + 3 * block_floats) : w0;
                FMA_POSITION(0, _mm512_set1_ps(tap[o0])) FMA_POSITION(1, _mm512_set1_ps(tap[o1]))
                FMA_POSITION(2, _mm512_set1_ps(tap[o2])) FMA_POSITION(3, _mm512_set1_ps(tap[o3]))
                FMA_POSITION(4, _mm512_set1_ps(tap[o4])) FMA_POSITION(5, _mm512_set1_ps(tap[o5]))
            }
        }
    }
    // Pixel i's sums go to 16 filter planes per block.
    float *out = output + first * plane + q;
    STORE_POSITION(0, out, plane, scale, shift, relu, 0) STORE_POSITION(1, out, plane, scale, shift, relu, 0)
    STORE_POSITION(2, out, plane, scale, shift, relu, 0) STORE_POSITION(3, out, plane, scale, shift, relu, 0)
    STORE_POSITION(4, out, plane, scale, shift, relu, 0) STORE_POSITION(5, out, plane, scale, shift, relu, 0)
}

AVX512 void prunelab_avx512_conv3x3_by_filters(const float *padded, long channels, long height, long width,
                                               const float *packed, long filters,
                                               const float *scale, const float *shift, int relu, float *output) {
    const long plane = height * width;
    long first = 0;
    for (; filters - first > 16; first += 32)
        for (long q = 0; q < plane; q += 6)
            filter_tile(2, padded, channels, height, width, packed, filters, first, q, scale, shift, relu, output);
    for (; first < filters; first += 16)
        for (long q = 0; q < plane; q += 6)
            filter_tile(1, padded, channels, height, width, packed, filters, first, q, scale, shift, relu, output);
}

// ∂W: (channel, tap) pairs r … r + 5 of ∂W[F][C·9] (past the end the last is repeated and not
// added), summed over every pixel of the images; ∂Y by pixel, rows of F rounded up to 16.
AVX512 INLINE void weight_gradient_tile(const int blocks, const float *padded, long channels, long height, long width,
                                        long images, const float *dy_by_pixel, long filters, long first, long r,
                                        float *grad_weight) {
    const long row_length = width + 2, plane_length = (height + 2) * row_length;
    const long stride = (filters + 15) / 16 * 16, pairs = channels * 9;
    const long count = min_long(6, pairs - r);
#define PAIR(i) (r + min_long(i, count - 1))
#define OFFSET(i) (PAIR(i) / 9 * plane_length + PAIR(i) % 9 / 3 * row_length + PAIR(i) % 3)
    const long o0 = OFFSET(0), o1 = OFFSET(1), o2 = OFFSET(2), o3 = OFFSET(3), o4 = OFFSET(4), o5 = OFFSET(5);
#undef OFFSET
#undef PAIR
    ZERO6(a); ZERO6(b); ZERO6(c); ZERO6(d);
    const float *dy = dy_by_pixel + first;
    for (long image = 0; image < images; image++) {
        for (long y = 0; y < height; y++) {
            const float *x = padded + image * channels * plane_length + y * row_length;
            for (long column = 0; column < width; column++, x++, dy += stride) {
                const __m512 w0 = _mm512_loadu_ps(dy);
                const __m512 w1 = blocks > 1 ? _mm512_loadu_ps(dy + 16) : w0;
                const __m512 w2 = blocks > 2 ? _mm512_loadu_ps(dy + 32) : w0;
                const __m512 w3 = blocks > 2 ? _mm512_loadu_ps(dy + 48) : w0;
                FMA_POSITION(0, _mm512_set1_ps(x[o0])) FMA_POSITION(1, _mm512_set1_ps(x[o1]))
                FMA_POSITION(2, _mm512_set1_ps(x[o2])) FMA_POSITION(3, _mm512_set1_ps(x[o3]))
                FMA_POSITION(4, _mm512_set1_ps(x[o4])) FMA_POSITION(5, _mm512_set1_ps(x[o5]))
            }
        }
    }
    // Pair i's sums go to column r + i of ∂W, 16 filter rows per block.
    float *out = grad_weight + first * pairs + r;
    STORE_POSITION(0, out, pairs, 0, 0, 0, 1) STORE_POSITION(1, out, pairs, 0, 0, 0, 1)
    STORE_POSITION(2, out, pairs, 0, 0, 0, 1) STORE_POSITION(3, out, pairs, 0, 0, 0, 1)
    STORE_POSITION(4, out, pairs, 0, 0, 0, 1) STORE_POSITION(5, out, pairs, 0, 0, 0, 1)
}

AVX512 void prunelab_avx512_conv3x3_weight_gradient_by_filters(const float *padded, long channels, long height,
                                                               long width, long images,
                                                               const float *grad_output_by_pixel, long filters,
                                                               float *grad_weight) {
    const long pairs = channels * 9;
    long first = 0;
    for (; filters - first > 48; first += 64)
        for (long r = 0; r < pairs; r += 6)
            weight_gradient_tile(4, padded, channels, height, width, images, grad_output_by_pixel, filters, first, r,
                                 grad_weight);
    for (; filters - first > 16; first += 32)
        for (long r = 0; r < pairs; r += 6)
            weight_gradient_tile(2, padded, channels, height, width, images, grad_output_by_pixel, filters, first, r,
                                 grad_weight);
    for (; first < filters; first += 16)
        for (long r = 0; r < pairs; r += 6)
            weight_gradient_tile(1, padded, channels, height, width, images, grad_output_by_pixel, filters, first, r,
                                 grad_weight);
}

#else  // not x86-64: no AVX-512; Tensors never calls the kernels below.

int prunelab_avx512_available(void) { return 0; }
void prunelab_avx512_conv3x3_by_pixels(const float *padded, long channels, long height, long width,
                                       const float *packed, long filters,
                                       const float *scale, const float *shift, int relu, float *output) {}
void prunelab_avx512_conv3x3_by_filters(const float *padded, long channels, long height, long width,
                                        const float *packed, long filters,
                                        const float *scale, const float *shift, int relu, float *output) {}
void prunelab_avx512_conv3x3_weight_gradient_by_pixels(const float *padded, long channels, long height, long width,
                                                       long images, const float *grad_output, long filters,
                                                       float *grad_weight) {}
void prunelab_avx512_conv3x3_weight_gradient_by_filters(const float *padded, long channels, long height, long width,
                                                        long images, const float *grad_output_by_pixel, long filters,
                                                        float *grad_weight) {}
#endif
