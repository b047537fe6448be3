// swift-tools-version: 6.0
// PruneLab: a hands-on lab for neural-network pruning, on the CPU, in Swift.
// The layers, the life of a batch and where to add a method, a model or a chart:
// docs/architecture.md.
import Foundation
import PackageDescription

/// x86-64 builds compile the engine for x86-64-v3 (AVX2, FMA, BMI2: Intel since Haswell 2013,
/// AMD since Excavator 2015), whatever machine builds it: the kernels then use 8-wide SIMD and
/// fused multiply-adds (`PRUNELAB_FMA`). A program built so checks its CPU before anything else
/// runs (the `CPUCheck` target, compiled without these flags) and, on an older one, says in one
/// sentence to rebuild with `PRUNELAB_PORTABLE=1`, which compiles for baseline x86-64 (slower
/// kernels, runs anywhere). Other architectures build generic code.
let portable = ProcessInfo.processInfo.environment["PRUNELAB_PORTABLE"].map { !["", "0"].contains($0) } ?? false
#if arch(x86_64)
let x86_64_v3 = !portable
#else
let x86_64_v3 = false
#endif

/// Optimised in the debug configuration as in release (whole module): unoptimised, the engine
/// made `swift run lab-…` about 50× slower than release. The labs, LabKit, the tools and the
/// tests stay unoptimised and debuggable.
func optimisedInDebug(_ level: String = "-O") -> [SwiftSetting] {
    [.unsafeFlags([level, "-wmo", "-num-threads", "2", "-disable-batch-mode"], .when(configuration: .debug))]
}

/// The engine's numeric targets: the same code generation in debug and release (optimised, for
/// x86-64-v3), so both compute the same numbers and share the stage cache. Every target keeps
/// its bounds and overflow checks and its `precondition`s, except `Tensors` (`unchecked`):
/// `-Ounchecked` there, for the inner loops of its kernels, whose indices are right by
/// construction and whose overflow checks cost up to 30 % of a training step (docs/speed.md).
/// The targets that hold the model invariants (shapes, channel groups, surgery) stay `-O`.
/// To debug a kernel with its checks, build Tensors with `engine()`.
func engine(unchecked: Bool = false) -> [SwiftSetting] {
    let level = unchecked ? "-Ounchecked" : "-O"
    return optimisedInDebug(level) + [
        .unsafeFlags([level], .when(configuration: .release)),
        .unsafeFlags(x86_64_v3 ? ["-Xcc", "-march=x86-64-v3"] : []),
    ] + (x86_64_v3 ? [.define("PRUNELAB_FMA")] : [])
}

let package = Package(
    name: "PruneLab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lab-weight-pruning", targets: ["lab-weight-pruning"]),
        .executable(name: "lab-filter-pruning", targets: ["lab-filter-pruning"]),
        .executable(name: "lab-vgg-slimming", targets: ["lab-vgg-slimming"]),
        .executable(name: "lab-resnet-slimming", targets: ["lab-resnet-slimming"]),
        .executable(name: "lab-densenet-slimming", targets: ["lab-densenet-slimming"]),
        .executable(name: "lab-rethinking", targets: ["lab-rethinking"]),
        .executable(name: "bench", targets: ["bench"]),
        .executable(name: "gallery", targets: ["gallery"]),
        .executable(name: "train", targets: ["train"]),
        .executable(name: "report-index", targets: ["report-index"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C libraries from Debian packages.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng16",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CFreeType", path: "Sources/CFreeType", pkgConfig: "freetype2",
                       providers: [.apt(["libfreetype-dev"])]),

        // The engine, bottom to top (see docs/architecture.md).
        // CPUCheck is linked into every program that uses Tensors (nothing imports it: its
        // constructor runs before main). Every target compiled for x86-64-v3 depends on Tensors.
        .target(name: "CPUCheck", cSettings: x86_64_v3 ? [.define("PRUNELAB_REQUIRES_X86_64_V3")] : []),
        .target(name: "AtomicFiles"),
        // AVX-512 kernels in C, each function compiled for AVX-512 alone and called only on a CPU
        // that has it (Tensors' KernelVariant); optimised in debug too, like the rest of the engine.
        .target(name: "KernelsAVX512", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "Tensors", dependencies: ["CBLAS", "CPUCheck", "KernelsAVX512"], swiftSettings: engine(unchecked: true)),
        .target(name: "Networks", dependencies: ["Tensors", "AtomicFiles"], swiftSettings: engine()),
        .target(name: "Datasets", dependencies: ["Tensors", "CZlib"], swiftSettings: engine()),
        .target(name: "Pruning", dependencies: ["Networks", "Tensors"], swiftSettings: engine()),
        .target(name: "Reports", dependencies: ["CPNG", "CFreeType", "AtomicFiles"], swiftSettings: optimisedInDebug()),
        .target(name: "LabKit", dependencies: [
            "AtomicFiles", "Tensors", "Networks", "Datasets", "Pruning", "Reports",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], plugins: ["CodeTreeStamp"]),
        // Stamps LabKit with the code tree it was built from, which every run records.
        .plugin(name: "CodeTreeStamp", capability: .buildTool()),

        // Labs: one executable per lab, each a notebook-style main.swift.
        .executableTarget(name: "lab-weight-pruning", dependencies: ["LabKit"], path: "labs/weight-pruning"),
        .executableTarget(name: "lab-filter-pruning", dependencies: ["LabKit"], path: "labs/filter-pruning"),
        .executableTarget(name: "lab-vgg-slimming", dependencies: ["LabKit"], path: "labs/vgg-slimming"),
        .executableTarget(name: "lab-resnet-slimming", dependencies: ["LabKit"], path: "labs/resnet-slimming"),
        .executableTarget(name: "lab-densenet-slimming", dependencies: ["LabKit"], path: "labs/densenet-slimming"),
        .executableTarget(name: "lab-rethinking", dependencies: ["LabKit"], path: "labs/rethinking"),

        // Tools.
        .executableTarget(name: "bench", dependencies: [
            "Tensors", "Networks", "Pruning",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "gallery", dependencies: ["Reports"]),
        // Breaks a model invariant on purpose; the tests check that it traps in release.
        .executableTarget(name: "invariant-check", dependencies: ["Networks", "Pruning", "Tensors"]),
        .executableTarget(name: "train", dependencies: [
            "LabKit", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // reports/README.md and the README's results table, from reports/*.json.
        .executableTarget(name: "report-index", dependencies: [
            "LabKit", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Helpers shared by the tests, in two layers so no test target depends on more of the
        // engine than it tests: TestSupport needs no engine module (relative errors, PNG
        // decoding, temporary folders), NetworkTestSupport builds on Networks (BatchNorm statistics).
        .target(name: "TestSupport", dependencies: ["CPNG"], path: "Tests/TestSupport"),
        .target(name: "NetworkTestSupport", dependencies: ["Networks", "Tensors"], path: "Tests/NetworkTestSupport"),

        // Tests (Swift Testing).
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "TestSupport"]),
        .testTarget(name: "NetworksTests", dependencies: ["Networks", "Tensors", "AtomicFiles", "TestSupport",
                                                          "NetworkTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Tensors", "TestSupport"]),
        .testTarget(name: "PruningTests", dependencies: ["Pruning", "Networks", "Tensors", "NetworkTestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "TestSupport"]),
        .testTarget(name: "LabKitTests", dependencies: ["LabKit", "TestSupport"]),
    ]
)
