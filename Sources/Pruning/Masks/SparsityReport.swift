import Networks

/// How much of one weight tensor a mask removes.
public struct LayerSparsity: Sendable, Codable, Equatable {
    /// The parameter's name (e.g. `fc1.weight`).
    public var name: String
    public var count: Int
    /// Entries whose mask is 0.
    public var pruned: Int
    public var sparsity: Double { count == 0 ? 0 : Double(pruned) / Double(count) }
}

/// Sparsity per layer and overall, for the weight-pruning report.
public struct SparsityReport: Sendable, Codable, Equatable {
    public var layers: [LayerSparsity]

    /// Measures the masks of `weights` (a weight without a mask counts as dense).
    public init(_ weights: [Parameter]) {
        layers = weights.map { weight in
            let pruned = weight.mask.map { $0.count - Int($0.sum().rounded()) } ?? 0
            return LayerSparsity(name: weight.name, count: weight.value.count, pruned: pruned)
        }
    }

    /// Measures the Linear and Conv2d weights of `network` (the Conv2d weights only with
    /// `layers: .convolutions`).
    public init(_ network: Network, layers: WeightLayers = .convolutionsAndLinear) {
        self.init(MagnitudePruning.prunableWeights(of: network, layers: layers))
    }

    public var totalCount: Int { layers.reduce(0) { $0 + $1.count } }
    public var prunedCount: Int { layers.reduce(0) { $0 + $1.pruned } }
    /// Fraction of all measured weights that are pruned.
    public var overallSparsity: Double { totalCount == 0 ? 0 : Double(prunedCount) / Double(totalCount) }
}
