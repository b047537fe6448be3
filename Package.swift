// swift-tools-version: 6.0
// PruneLab: a hands-on lab for neural-network pruning, on the CPU, in Swift.
// The layers, the life of a batch and where to add a method, a model or a chart:
// docs/architecture.md.
import Foundation
import PackageDescription

/// Whether the machine building the package has AVX2 and FMA (every x86-64 server since 2013).
/// PruneLab is built where it runs, so its own kernels may then use 8-wide SIMD and fused
/// multiply-add, like `-march=native`; elsewhere (ARM, old x86) they stay portable.
let buildMachineHasAVX2: Bool = {
    guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flags = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
    let set = Set(flags.split(separator: " ").map(String.init))
    return set.contains("avx2") && set.contains("fma")
}()

/// Release builds of these targets use `-Ounchecked`, which removes every `precondition` in
/// the whole target (not only bounds checks in hot loops), and whole-module optimisation,
/// with AVX2 + FMA where the build machine has them (`PRUNELAB_FMA` then selects fused
/// multiply-adds).
let fast: [SwiftSetting] = buildMachineHasAVX2
    ? [.unsafeFlags(["-Ounchecked", "-wmo", "-target-cpu", "haswell"], .when(configuration: .release)),
       .define("PRUNELAB_FMA", .when(configuration: .release))]
    : [.unsafeFlags(["-Ounchecked", "-wmo"], .when(configuration: .release))]

let package = Package(
    name: "PruneLab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "lab-weight-pruning", targets: ["lab-weight-pruning"]),
        .executable(name: "lab-filter-pruning", targets: ["lab-filter-pruning"]),
        .executable(name: "lab-vgg-slimming", targets: ["lab-vgg-slimming"]),
        .executable(name: "lab-resnet-slimming", targets: ["lab-resnet-slimming"]),
        .executable(name: "bench", targets: ["bench"]),
        .executable(name: "gallery", targets: ["gallery"]),
        .executable(name: "train", targets: ["train"]),
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
        .target(name: "AtomicFiles"),
        .target(name: "Tensors", dependencies: ["CBLAS"], swiftSettings: fast),
        .target(name: "Networks", dependencies: ["Tensors", "AtomicFiles"], swiftSettings: fast),
        .target(name: "Datasets", dependencies: ["Tensors", "CZlib"], swiftSettings: fast),
        .target(name: "Pruning", dependencies: ["Networks", "Tensors"], swiftSettings: fast),
        .target(name: "Reports", dependencies: ["CPNG", "CFreeType", "AtomicFiles"], swiftSettings: fast),
        .target(name: "LabKit", dependencies: [
            "AtomicFiles", "Tensors", "Networks", "Datasets", "Pruning", "Reports",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: fast),

        // Labs: one executable per lab, each a notebook-style main.swift.
        .executableTarget(name: "lab-weight-pruning", dependencies: ["LabKit"], path: "labs/weight-pruning"),
        .executableTarget(name: "lab-filter-pruning", dependencies: ["LabKit"], path: "labs/filter-pruning"),
        .executableTarget(name: "lab-vgg-slimming", dependencies: ["LabKit"], path: "labs/vgg-slimming"),
        .executableTarget(name: "lab-resnet-slimming", dependencies: ["LabKit"], path: "labs/resnet-slimming"),

        // Tools.
        .executableTarget(name: "bench", dependencies: [
            "Tensors", "Networks", "Pruning",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: fast),
        .executableTarget(name: "gallery", dependencies: ["Reports"]),
        .executableTarget(name: "train", dependencies: [
            "LabKit", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: fast),

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
