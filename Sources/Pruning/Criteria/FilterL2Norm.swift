import Networks
import Tensors

/// He et al. (IJCAI 2018, soft filter pruning): a filter is scored by the L2 norm of its
/// weights, √(Σ W²) over its row of the producing weight. Groups picked by a selection have no
/// filter.
public struct FilterL2Norm: ChannelCriterion {
    public init() {}
    public var name: String { "filter L2 norm" }

    public func scores(of group: ChannelGroup) -> [Float]? {
        group.producer.map { Self.rowNorms(of: $0.value) }
    }

    /// √(Σ x²) of each row (axis 0) of `weight`, accumulated in Double.
    public static func rowNorms(of weight: Tensor) -> [Float] {
        let rows = weight.shape[0], rowLength = weight.count / max(rows, 1)
        return (0..<rows).map { row in Float(sumOfSquares(rowLength, weight.data + row * rowLength).squareRoot()) }
    }
}

extension ChannelCriterion where Self == FilterL2Norm {
    /// √(Σ W²) of each filter or neuron (soft filter pruning).
    public static var filterL2Norm: FilterL2Norm { FilterL2Norm() }
}
