import Foundation
import KernelsAVX512

/// Which implementation of the direct 3×3 convolution kernels and of `gemm` runs, chosen from
/// the CPU the program runs on (not the one that built it), as OpenBLAS and oneDNN choose theirs.
public enum KernelVariant: String, CaseIterable, Sendable, CustomStringConvertible {
    /// The 8-wide Swift SIMD kernels of `Convolution3x3.swift`: AVX2 and FMA in the default
    /// build, SSE in a portable one (`PRUNELAB_PORTABLE=1`); products through OpenBLAS. Runs everywhere.
    case simd8
    /// The 16-wide AVX-512 kernels of the `KernelsAVX512` target (C with intrinsics, compiled
    /// for AVX-512 F, VL, BW and DQ alone), for the CPUs that have them, and its GEMM
    /// (`prunelab_avx512_sgemm`).
    case avx512

    public var description: String { rawValue }

    /// Whether this CPU (and its OS) runs the variant.
    public var isSupported: Bool {
        switch self {
        case .simd8: true
        case .avx512: Self.cpuHasAVX512
        }
    }

    /// The variants this CPU runs, slowest first.
    public static var supported: [KernelVariant] { allCases.filter(\.isSupported) }

    /// The variant every new convolution uses: the fastest this CPU runs, or the one the
    /// environment variable `PRUNELAB_KERNELS` names (`simd8` to compare, for example). Programs
    /// call `checkEnvironment()` first, so a name this CPU cannot run stops them with one sentence.
    public static let preferred: KernelVariant = ((try? requested()) ?? nil) ?? supported.last!

    /// The variant `PRUNELAB_KERNELS` asks for (nil when it is unset or empty).
    public static func requested(environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(KernelVariantError) -> KernelVariant? {
        guard let name = environment["PRUNELAB_KERNELS"], !name.isEmpty else { return nil }
        guard let variant = KernelVariant(rawValue: name), variant.isSupported else {
            throw KernelVariantError(requested: name, supported: supported)
        }
        return variant
    }

    /// Throws the one-sentence error when `PRUNELAB_KERNELS` names a variant this CPU does not run.
    public static func checkEnvironment() throws(KernelVariantError) {
        _ = try requested()
    }

    private static let cpuHasAVX512 = prunelab_avx512_available() != 0
}

/// `PRUNELAB_KERNELS` names no kernel variant this CPU runs.
public struct KernelVariantError: Error, CustomStringConvertible {
    public let requested: String
    public let supported: [KernelVariant]

    public var description: String {
        "PRUNELAB_KERNELS=\(requested) is not a kernel variant this CPU runs; set it to "
            + supported.map(\.rawValue).joined(separator: " or ") + ", or unset it to use the fastest."
    }
}
