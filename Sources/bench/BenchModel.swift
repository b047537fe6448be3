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

    /// The models and shapes the labs' long (standard-preset) runs train: Fashion-MNIST padded
    /// to 1×32×32, batch 64 (PreResNet-20 also at 128, the quick preset's batch). Not in `all`
    /// (tools/pytorch_bench.py does not build them); run them with `--model`.
    static let labs: [BenchModel] = [
        BenchModel(name: "densenet22-k6", batch: 64) { .denseNet(depth: 22, growthRate: 6, inputShape: [1, 32, 32], seed: 1) },
        BenchModel(name: "preresnet20-w0.5", batch: 64) { .preresnet(depth: 20, widthMultiplier: 0.5, inputShape: [1, 32, 32], seed: 1) },
        BenchModel(name: "preresnet20-w0.5-b128", batch: 128) { .preresnet(depth: 20, widthMultiplier: 0.5, inputShape: [1, 32, 32], seed: 1) },
        BenchModel(name: "resnet20-w0.5", batch: 64) { .resnet(depth: 20, widthMultiplier: 0.5, inputShape: [1, 32, 32], seed: 1) },
        BenchModel(name: "vgg11-w0.25-fm", batch: 64) { .vgg(depth: 11, widthMultiplier: 0.25, inputShape: [1, 32, 32], seed: 1) },
    ]

    static var allNames: [String] { (all + labs).map(\.name) }
    static func named(_ name: String) -> BenchModel? { (all + labs).first { $0.name == name } }
}
