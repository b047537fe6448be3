// transpose16, shared by the AVX-512 GEMM's packing and the Winograd tile transforms. Include it
// after defining AVX512 and INLINE (the target attribute and always_inline, as each .c file does).
#ifndef PRUNELAB_TRANSPOSE16_H
#define PRUNELAB_TRANSPOSE16_H

// Transposes the 16 × 16 block in r: afterwards r[c] holds what was column c.
AVX512 INLINE void transpose16(__m512 r[16]) {
    __m512 s[16];
    for (int g = 0; g < 16; g += 4) {
        const __m512 a = _mm512_unpacklo_ps(r[g], r[g + 1]), b = _mm512_unpackhi_ps(r[g], r[g + 1]);
        const __m512 c = _mm512_unpacklo_ps(r[g + 2], r[g + 3]), d = _mm512_unpackhi_ps(r[g + 2], r[g + 3]);
#define PD(f, x, y) _mm512_castpd_ps(f(_mm512_castps_pd(x), _mm512_castps_pd(y)))
        s[g] = PD(_mm512_unpacklo_pd, a, c), s[g + 1] = PD(_mm512_unpackhi_pd, a, c);
        s[g + 2] = PD(_mm512_unpacklo_pd, b, d), s[g + 3] = PD(_mm512_unpackhi_pd, b, d);
#undef PD
    }
    // Lane l of s[g + j] is column 4l + j of rows g … g + 3; gather the four lanes l of each column.
    for (int j = 0; j < 4; j++) {
        const __m512 u = _mm512_shuffle_f32x4(s[j], s[4 + j], 0x44), v = _mm512_shuffle_f32x4(s[8 + j], s[12 + j], 0x44);
        const __m512 u2 = _mm512_shuffle_f32x4(s[j], s[4 + j], 0xEE), v2 = _mm512_shuffle_f32x4(s[8 + j], s[12 + j], 0xEE);
        r[j] = _mm512_shuffle_f32x4(u, v, 0x88), r[4 + j] = _mm512_shuffle_f32x4(u, v, 0xDD);
        r[8 + j] = _mm512_shuffle_f32x4(u2, v2, 0x88), r[12 + j] = _mm512_shuffle_f32x4(u2, v2, 0xDD);
    }
}

#endif
