import Networks

/// A model of the benchmark list, with its batch size (the models tools/pytorch_bench.py times too).
struct BenchModel: Sendable {
    let name: String
    let batch: Int
    let build: @Sendable () -> Network

    static let all: [BenchModel] = [
        BenchModel(name: "mlp", batch: 128) { .mlp(seed: 1) },
        BenchModel(name: "small-cnn", batch: 128) { .smallCNN(seed: 1) },
        BenchModel(name: "vgg11-w0.25", batch: 128) { .vgg(depth: 11, widthMultiplier: 0.25, seed: 1) },
        BenchModel(name: "vgg16-w0.25", batch: 128) { .vgg(depth: 16, widthMultiplier: 0.25, seed: 1) },
        BenchModel(name: "resnet20", batch: 128) { .resnet(depth: 20, seed: 1) },
        BenchModel(name: "preresnet47", batch: 64) { .preresnet(depth: 47, seed: 1) },
        BenchModel(name: "vgg19", batch: 64) { .vgg(depth: 19, seed: 1) },
    ]

    static var allNames: [String] { all.map(\.name) }
    static func named(_ name: String) -> BenchModel? { all.first { $0.name == name } }
}
