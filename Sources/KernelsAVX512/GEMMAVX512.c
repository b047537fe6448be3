// Single-precision GEMM for AVX-512 (see KernelsAVX512.h), written in the GotoBLAS / BLIS
// structure: the k dimension is cut into blocks of KC, op(B) into blocks of KC × NC packed as
// panels of NR columns, op(A) into blocks of MC × KC packed as panels of MR rows, and a micro-
// kernel multiplies one A panel by one B panel with its MR × NR sums in registers. Row-major
// throughout: a sum register holds 16 consecutive columns of one row of C, so one step of k is
// two loads of B, twelve broadcasts of A (folded into the multiply-adds) and 24 FMAs.
//
// Cache use (Zen 4/5, Skylake-SP: L1D 32–48 KiB, L2 1–2 MiB): the B panel of the micro-kernel
// (KC × 32 floats, 32 KiB) stays in L1 while the loop over A panels streams the MC × KC block
// of A (192 KiB) from L2; the KC × NC block of B (2 MiB) lives in L2/L3.
//
// Packed panels are padded with zeros to whole tiles, so the micro-kernel always runs the same
// loop; only its stores are cut to the rows and columns of C that exist (masked stores).
// Single-threaded: Tensors splits a product over the cores (`gemm` in GEMM.swift).
#include "KernelsAVX512.h"

#if defined(__x86_64__)
#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

#define AVX512 __attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma")))
#define INLINE static inline __attribute__((always_inline))

enum { MR = 12, NR = 32, KC = 256, MC = 192, NC = 2048 };

static inline long min_l(long a, long b) { return a < b ? a : b; }

// Per-thread packing buffers, grown on demand and kept (a fresh 2 MiB allocation per product
// would be a fresh mmap, whose page faults cost more than packing).
static _Thread_local float *packed_a, *packed_b;
static _Thread_local size_t packed_a_floats, packed_b_floats;

static float *buffer(float **buf, size_t *capacity, size_t floats) {
    if (*capacity < floats) {
        free(*buf);
        *buf = aligned_alloc(64, (floats * sizeof(float) + 63) / 64 * 64);
        *capacity = *buf ? floats : 0;
    }
    return *buf;
}

// MARK: packing

#include "Transpose16.h"

// Copies `rows` (≤ 16) rows of `kc` values (row i at src + i·ld) transposed into dst: value p of
// row i goes to dst[p·stride + i]; rows past `rows` become zeros, `width` floats are written per p.
AVX512 INLINE void pack_transposed(const float *src, long ld, long rows, long kc, float *dst, long stride,
                                   __mmask16 width) {
    for (long p = 0; p < kc; p += 16) {
        const long count = min_l(16, kc - p);
        const __mmask16 mask = (__mmask16)((1u << count) - 1);
        __m512 r[16];
        for (long i = 0; i < 16; i++) r[i] = i < rows ? _mm512_maskz_loadu_ps(mask, src + i * ld + p) : _mm512_setzero_ps();
        transpose16(r);
        for (long q = 0; q < count; q++) _mm512_mask_storeu_ps(dst + (p + q) * stride, width, r[q]);
    }
}

// op(A) rows [0, mc) × columns [0, kc) (pointer already at the block's corner) into panels of MR
// rows: panel r holds, for each p, the MR values of rows r·MR … r·MR + MR − 1 (zeros past mc).
AVX512 static void pack_a(int trans, const float *a, long lda, long mc, long kc, float *dst) {
    for (long i0 = 0; i0 < mc; i0 += MR, dst += MR * kc) {
        const long rows = min_l(MR, mc - i0);
        if (trans) {  // A(i, p) = a[p·lda + i]: the MR values of one p are consecutive.
            const __mmask16 mask = (__mmask16)((1u << rows) - 1);
            const float *src = a + i0;
            for (long p = 0; p < kc; p++, src += lda)
                _mm512_mask_storeu_ps(dst + p * MR, 0x0FFF, _mm512_maskz_loadu_ps(mask, src));
        } else {  // A(i, p) = a[i·lda + p]: rows of A become columns of the panel.
            pack_transposed(a + i0 * lda, lda, rows, kc, dst, MR, 0x0FFF);
        }
    }
}

// op(B) rows [0, kc) × columns [0, nc) into panels of NR columns: panel j holds, for each p, the
// NR values of columns j·NR … j·NR + NR − 1 (zeros past nc).
AVX512 static void pack_b(int trans, const float *b, long ldb, long kc, long nc, float *dst) {
    for (long j0 = 0; j0 < nc; j0 += NR, dst += NR * kc) {
        const long cols = min_l(NR, nc - j0);
        if (!trans) {  // B(p, j) = b[p·ldb + j]: the NR values of one p are consecutive.
            const __mmask16 m0 = cols >= 16 ? 0xFFFF : (__mmask16)((1u << cols) - 1);
            const __mmask16 m1 = cols >= 32 ? 0xFFFF : cols > 16 ? (__mmask16)((1u << (cols - 16)) - 1) : 0;
            const float *src = b + j0;
            for (long p = 0; p < kc; p++, src += ldb) {
                _mm512_store_ps(dst + p * NR, _mm512_maskz_loadu_ps(m0, src));
                _mm512_store_ps(dst + p * NR + 16, _mm512_maskz_loadu_ps(m1, src + 16));
            }
        } else {  // B(p, j) = b[j·ldb + p]: rows of b become columns of the panel, 16 at a time.
            pack_transposed(b + j0 * ldb, ldb, min_l(16, cols), kc, dst, NR, 0xFFFF);
            if (cols > 16) pack_transposed(b + (j0 + 16) * ldb, ldb, cols - 16, kc, dst + 16, NR, 0xFFFF);
            else
                for (long p = 0; p < kc; p++) _mm512_store_ps(dst + p * NR + 16, _mm512_setzero_ps());
        }
    }
}

// MARK: micro-kernel

// The micro-kernels read value p of row r of the A tile at pa[r · rs + p · ps]: (rs, ps) = (1, MR)
// in a packed panel (zeros past the last row), (lda, 1) in op(A) itself when it is stored row by
// row (see the driver). In place, rows from `rows` on (past the end of A in the last tile) read
// row rows − 1 instead: their sums are never stored, and A is never read past its last row.
// Both kernels are inlined with constant rs and ps for packed panels, so their loads stay at
// constant offsets from one pointer.
#define ROW_POINTERS const float *a_row[MR]; \
    for (long r = 0; r < MR; r++) a_row[r] = pa + (ps == 1 && r >= rows ? rows - 1 : r) * rs;

// C[0..<rows][0..<cols] = alpha · (A tile · B panel) + beta · C (C not read when beta is 0).
AVX512 INLINE void kernel_12x32(long kc, const float *restrict pa, long rs, long ps, const float *restrict pb,
                                float *c, long ldc, long rows, long cols, float alpha, float beta) {
    ROW_POINTERS
#define Z(r) __m512 c##r##0 = _mm512_setzero_ps(), c##r##1 = _mm512_setzero_ps();
    Z(0) Z(1) Z(2) Z(3) Z(4) Z(5) Z(6) Z(7) Z(8) Z(9) Z(10) Z(11)
#undef Z
    for (long p = 0, q = 0; p < kc; p++, q += ps, pb += NR) {
        const __m512 b0 = _mm512_load_ps(pb), b1 = _mm512_load_ps(pb + 16);
#define ROW(r) { const __m512 a = _mm512_set1_ps(a_row[r][q]); \
                 c##r##0 = _mm512_fmadd_ps(a, b0, c##r##0); c##r##1 = _mm512_fmadd_ps(a, b1, c##r##1); }
        ROW(0) ROW(1) ROW(2) ROW(3) ROW(4) ROW(5) ROW(6) ROW(7) ROW(8) ROW(9) ROW(10) ROW(11)
#undef ROW
    }
    const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
    const __mmask16 m0 = cols >= 16 ? 0xFFFF : (__mmask16)((1u << cols) - 1);
    const __mmask16 m1 = cols >= 32 ? 0xFFFF : cols > 16 ? (__mmask16)((1u << (cols - 16)) - 1) : 0;
#define STORE(r) if (r < rows) { float *cr = c + r * ldc; \
        __m512 v0 = _mm512_mul_ps(va, c##r##0), v1 = _mm512_mul_ps(va, c##r##1); \
        if (beta != 0) { v0 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m0, cr), v0); \
                         v1 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m1, cr + 16), v1); } \
        _mm512_mask_storeu_ps(cr, m0, v0); _mm512_mask_storeu_ps(cr + 16, m1, v1); }
    STORE(0) STORE(1) STORE(2) STORE(3) STORE(4) STORE(5) STORE(6) STORE(7) STORE(8) STORE(9) STORE(10) STORE(11)
#undef STORE
}

// The same for a panel of at most 16 columns (the first half of a packed B panel): half the
// work of the 12 × 32 kernel where n ends with a narrow strip (n = 10, 16, 48, …).
AVX512 INLINE void kernel_12x16(long kc, const float *restrict pa, long rs, long ps, const float *restrict pb,
                                float *c, long ldc, long rows, long cols, float alpha, float beta) {
    ROW_POINTERS
#define Z(r) __m512 c##r = _mm512_setzero_ps();
    Z(0) Z(1) Z(2) Z(3) Z(4) Z(5) Z(6) Z(7) Z(8) Z(9) Z(10) Z(11)
#undef Z
    for (long p = 0, q = 0; p < kc; p++, q += ps, pb += NR) {
        const __m512 b0 = _mm512_load_ps(pb);
#define ROW(r) c##r = _mm512_fmadd_ps(_mm512_set1_ps(a_row[r][q]), b0, c##r);
        ROW(0) ROW(1) ROW(2) ROW(3) ROW(4) ROW(5) ROW(6) ROW(7) ROW(8) ROW(9) ROW(10) ROW(11)
#undef ROW
    }
    const __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
    const __mmask16 m0 = cols >= 16 ? 0xFFFF : (__mmask16)((1u << cols) - 1);
#define STORE(r) if (r < rows) { float *cr = c + r * ldc; __m512 v0 = _mm512_mul_ps(va, c##r); \
        if (beta != 0) v0 = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m0, cr), v0); \
        _mm512_mask_storeu_ps(cr, m0, v0); }
    STORE(0) STORE(1) STORE(2) STORE(3) STORE(4) STORE(5) STORE(6) STORE(7) STORE(8) STORE(9) STORE(10) STORE(11)
#undef STORE
}

// MARK: driver

AVX512 void prunelab_avx512_sgemm(int trans_a, int trans_b, long m, long n, long k, float alpha,
                                  const float *a, long lda, const float *b, long ldb,
                                  float beta, float *c, long ldc) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0 || alpha == 0) {  // C = beta · C; beta 0 overwrites without reading (as cblas).
        for (long i = 0; i < m; i++)
            for (long j = 0; j < n; j++) c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j];
        return;
    }
    // k in equal blocks of at most KC (k = 300 runs as 150 + 150, not 256 + 44).
    const long kblocks = (k + KC - 1) / KC, kc_max = (k + kblocks - 1) / kblocks;
    const long nc_max = min_l(NC, (n + NR - 1) / NR * NR), mc_max = min_l(MC, (m + MR - 1) / MR * MR);
    // A stored row by row is read in place when n is small: packing it costs O(m·k) against the
    // O(m·n·k) of the product, a visible share when n is a few hundred (an MLP layer: about a tenth).
    const int a_in_place = !trans_a && n <= 512;
    float *pb = buffer(&packed_b, &packed_b_floats, (size_t)kc_max * nc_max);
    float *pa = a_in_place ? 0 : buffer(&packed_a, &packed_a_floats, (size_t)kc_max * mc_max);
    if ((!pa && !a_in_place) || !pb) abort();
    for (long jc = 0; jc < n; jc += NC) {
        const long nc = min_l(NC, n - jc);
        for (long pc = 0; pc < k; pc += kc_max) {
            const long kc = min_l(kc_max, k - pc);
            pack_b(trans_b, trans_b ? b + jc * ldb + pc : b + pc * ldb + jc, ldb, kc, nc, pb);
            const float beta_block = pc == 0 ? beta : 1;
            for (long ic = 0; ic < m; ic += MC) {
                const long mc = min_l(MC, m - ic);
                if (!a_in_place) pack_a(trans_a, trans_a ? a + pc * lda + ic : a + ic * lda + pc, lda, mc, kc, pa);
                for (long jr = 0; jr < nc; jr += NR) {
                    const long cols = min_l(NR, nc - jr);
                    for (long ir = 0; ir < mc; ir += MR) {
                        float *cr = c + (ic + ir) * ldc + jc + jr;
                        const long rows = min_l(MR, mc - ir);
                        if (a_in_place) {
                            const float *ar = a + (ic + ir) * lda + pc;
                            if (cols > 16) kernel_12x32(kc, ar, lda, 1, pb + jr * kc, cr, ldc, rows, cols, alpha, beta_block);
                            else kernel_12x16(kc, ar, lda, 1, pb + jr * kc, cr, ldc, rows, cols, alpha, beta_block);
                        } else {
                            const float *ar = pa + ir * kc;
                            if (cols > 16) kernel_12x32(kc, ar, 1, MR, pb + jr * kc, cr, ldc, rows, cols, alpha, beta_block);
                            else kernel_12x16(kc, ar, 1, MR, pb + jr * kc, cr, ldc, rows, cols, alpha, beta_block);
                        }
                    }
                }
            }
        }
    }
}

#else  // not x86-64: no AVX-512; Tensors never calls this.

void prunelab_avx512_sgemm(int trans_a, int trans_b, long m, long n, long k, float alpha,
                           const float *a, long lda, const float *b, long ldb,
                           float beta, float *c, long ldc) {}
#endif
