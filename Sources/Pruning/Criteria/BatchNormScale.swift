import Networks

/// Network slimming (Liu et al., ICCV 2017): a channel is scored by |γ|, the scaling factor
/// of the BatchNorm that normalises it (through the group's channel selection, if any).
public struct BatchNormScale: ChannelCriterion {
    public init() {}
    public var name: String { "BN |γ|" }

    public func scores(of group: ChannelGroup) -> [Float]? {
        guard let gamma = group.batchNorm?.weight.value else { return nil }
        return group.batchNormPositions.map { abs(gamma.data[$0]) }
    }
}

extension ChannelCriterion where Self == BatchNormScale {
    /// |γ| of the BatchNorm behind each channel (network slimming).
    public static var batchNormScale: BatchNormScale { BatchNormScale() }
}

/// |γ| of every channel of every group that has a BatchNorm, in group order: the values the
/// global threshold of network slimming is taken over (and its histograms show).
public func scaleMagnitudes(of network: Network) -> [Float] {
    network.channelGroups.compactMap { BatchNormScale().scores(of: $0) }.flatMap { $0 }
}
