import Foundation
import Tensors

/// The products the models run most (VGG-19's 512-channel gradients, PreResNet's 1×1
/// convolutions, classifiers, the MLP), timed on every GEMM kernel this CPU runs.
let benchGEMMShapes: [(name: String, ta: Transpose, tb: Transpose, m: Int, n: Int, k: Int, parallel: Bool)] = [
    ("square 1536, 2 cores", .none, .none, 1536, 1536, 1536, true),
    ("square 1536, 1 core", .none, .none, 1536, 1536, 1536, false),
    ("vgg19 ∂cols 4×4", .transposed, .none, 4608, 256, 512, false),
    ("vgg19 ∂W 4×4", .none, .transposed, 512, 4608, 256, false),
    ("vgg19 ∂cols 2×2", .transposed, .none, 2304, 256, 256, false),
    ("vgg19 ∂W 2×2", .none, .transposed, 256, 2304, 256, false),
    ("preresnet 1×1 64←16", .none, .none, 64, 1024, 16, false),
    ("preresnet 1×1 16←64", .none, .none, 16, 1024, 64, false),
    ("preresnet 1×1 128←32", .none, .none, 128, 256, 32, false),
    ("preresnet 1×1 64←256", .none, .none, 64, 256, 256, false),
    ("preresnet ∂x 1×1", .transposed, .none, 16, 1024, 64, false),
    ("preresnet ∂W 1×1", .none, .transposed, 64, 16, 1024, false),
    ("preresnet ∂W 1×1 wide", .none, .transposed, 256, 64, 256, false),
    ("resnet20 3×3 im2col", .none, .none, 32, 256, 144, false),
    ("mlp 784→200", .none, .transposed, 128, 200, 784, true),
    ("mlp ∂W 784→200", .transposed, .none, 200, 784, 128, true),
    ("mlp 200→200", .none, .transposed, 128, 200, 200, true),
    ("classifier 512→10", .none, .transposed, 64, 10, 512, true),
    ("small-cnn 3×3 im2col", .none, .none, 32, 784, 9, false),
]

/// One line per shape: GFLOP/s of each kernel (best of several timings, each of enough repeats
/// to last about 20 ms).
func printGEMMTimes() {
    var rng = SeededGenerator(seed: 3)
    let kernels: [(String, KernelVariant)] = KernelVariant.supported.map { ($0 == .simd8 ? "openblas" : "avx512", $0) }
    for shape in benchGEMMShapes {
        let (m, n, k) = (shape.m, shape.n, shape.k)
        let a = Tensor.normal([m * k], using: &rng), b = Tensor.normal([k * n], using: &rng)
        let c = Tensor(shape: [m * n])
        let flop = 2 * Double(m * n * k)
        let repeats = max(1, Int(4e9 / flop * 0.02))
        var fields = ["\"shape\":\"\(shape.name)\"", "\"mnk\":\"\(m)×\(n)×\(k)\""]
        for (label, variant) in kernels {
            func run() {
                for _ in 0..<repeats {
                    gemm(shape.ta, shape.tb, m: m, n: n, k: k, a: a.data, b: b.data, c: c.data,
                         parallel: shape.parallel, variant: variant)
                }
            }
            run()
            var best = Double.infinity
            for _ in 0..<5 { best = min(best, timeIt(repeats: 1, run)) }
            fields.append("\"\(label)\":" + String(format: "%.1f", flop * Double(repeats) / best / 1e9))
        }
        print("{" + fields.joined(separator: ",") + "}")
    }
}
