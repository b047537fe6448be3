// Refuses to start on a CPU the engine was not compiled for, with one sentence instead of an
// illegal instruction somewhere in the middle of a run. This file is compiled WITHOUT the
// engine's x86-64-v3 flags (see Package.swift), so it runs on any x86-64, and its constructor
// runs before main and before any Swift code.
#include <stdio.h>
#include <stdlib.h>
#include "CPUCheck.h"

#if defined(PRUNELAB_REQUIRES_X86_64_V3) && defined(__x86_64__)
#include <cpuid.h>

// The x86-64-v3 level, read from CPUID directly (libgcc's __builtin_cpu_supports("x86-64-v3")
// needs GCC 12 or later): AVX, AVX2, FMA, BMI1, BMI2, F16C, LZCNT, MOVBE, and an OS that saves
// the AVX registers.
static int has_x86_64_v3(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    const unsigned fma = 1u << 12, movbe = 1u << 22, osxsave = 1u << 27, avx = 1u << 28, f16c = 1u << 29;
    if ((c & (fma | movbe | osxsave | avx | f16c)) != (fma | movbe | osxsave | avx | f16c)) return 0;
    unsigned xcr0_low, xcr0_high;
    __asm__("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    if ((xcr0_low & 6) != 6) return 0;  // the OS saves XMM and YMM state
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    const unsigned bmi1 = 1u << 3, avx2 = 1u << 5, bmi2 = 1u << 8;
    if ((b & (bmi1 | avx2 | bmi2)) != (bmi1 | avx2 | bmi2)) return 0;
    if (!__get_cpuid(0x80000001, &a, &b, &c, &d)) return 0;
    const unsigned lzcnt = 1u << 5;
    return (c & lzcnt) != 0;
}
#endif

const char *prunelab_required_isa(void) {
#if defined(PRUNELAB_REQUIRES_X86_64_V3) && defined(__x86_64__)
    return "x86-64-v3";
#else
    return "";
#endif
}

int prunelab_cpu_has_required_isa(void) {
#if defined(PRUNELAB_REQUIRES_X86_64_V3) && defined(__x86_64__)
    return has_x86_64_v3();
#else
    return 1;
#endif
}

void prunelab_spin_pause(void) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#endif
}

__attribute__((constructor)) static void prunelab_check_cpu(void) {
    if (prunelab_cpu_has_required_isa()) return;
    fputs("error: this build of PruneLab needs a CPU with AVX2 and FMA (x86-64-v3) and this one lacks them; "
          "rebuild it for any x86-64 with `PRUNELAB_PORTABLE=1 swift build -c release` (slower kernels).\n", stderr);
    _Exit(1);  // not exit(): no other code of this build may run
}
