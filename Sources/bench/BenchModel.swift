import Networks

/// A model of the benchmark list, with its batch size (issue: speed against PyTorch).
struct BenchModel: Sendable {
    let name: String
    let batch: Int
    let build: @Sendable () -> Network

    static let all: [BenchModel] = [
        BenchModel(name: "mlp", batch: 128) { .mlp(seed: 1) },
        BenchModel(name: "small-cnn", batch: 128) { .smallCNN(seed: 1) },
    ]

    static var allNames: [String] { all.map(\.name) }
    static func named(_ name: String) -> BenchModel? { all.first { $0.name == name } }
}
