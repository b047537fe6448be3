import Networks

/// Li et al. (ICLR 2017): a filter (or neuron) is scored by the L1 norm of its weights,
/// Σ|W| over its row of the producing weight. Groups picked by a selection have no filter.
public struct FilterL1Norm: ChannelCriterion {
    public init() {}
    public var name: String { "filter L1 norm" }

    public func scores(of group: ChannelGroup) -> [Float]? {
        guard let weight = group.producer?.value else { return nil }
        let rows = weight.shape[0], rowLength = weight.count / max(rows, 1)
        return (0..<rows).map { row in
            var sum: Float = 0
            for i in 0..<rowLength { sum += abs(weight.data[row * rowLength + i]) }
            return sum
        }
    }
}

extension ChannelCriterion where Self == FilterL1Norm {
    /// Σ|W| of each filter or neuron (Li et al.).
    public static var filterL1Norm: FilterL1Norm { FilterL1Norm() }
}
