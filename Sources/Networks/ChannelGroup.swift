import Tensors

/// One slice of a parameter that belongs to a channel: entries along `axis`, in blocks of
/// `blockSize` (1 for a conv filter or BN entry; H·W for a Linear input column behind a flatten).
public struct ChannelSlice {
    public let parameter: Parameter
    public let axis: Int
    public let blockSize: Int

    public init(_ parameter: Parameter, axis: Int, blockSize: Int = 1) {
        self.parameter = parameter
        self.axis = axis
        self.blockSize = blockSize
    }
}

/// Every tensor slice that must be removed together when one channel goes.
///
/// Example: the filters of `conv2` form a group with conv2's weight rows and bias, the four
/// vectors of the BatchNorm behind it, and the input slices of `conv3`. Structural pruning
/// (in the `Pruning` target) keeps some positions of a group and drops the rest, the same way
/// for every model family; the models only have to describe their groups.
public final class ChannelGroup {
    /// Readable name, e.g. `conv2` or `layer1.0.conv1`.
    public let name: String
    /// Index in the network's cfg list that this group's width sets, if any.
    public let cfgIndex: Int?
    /// Slices removed with each channel.
    public let slices: [ChannelSlice]
    /// Channel selections whose kept-index lists are this group's channels (pre-activation ResNet).
    public let selections: [ChannelSelection]
    /// The weight whose rows (axis 0) are this group's filters or neurons: the L1-norm criterion.
    public let filterWeight: Parameter?
    /// The BatchNorm γ that scales this group's channels: the network-slimming criterion.
    public let scale: Parameter?
    /// When set, channel p of the group is scaled by γ[scaleSelection.indices[p]].
    public let scaleSelection: ChannelSelection?

    public init(name: String, cfgIndex: Int?, slices: [ChannelSlice], selections: [ChannelSelection] = [],
                filterWeight: Parameter? = nil, scale: Parameter? = nil, scaleSelection: ChannelSelection? = nil) {
        precondition(!slices.isEmpty || !selections.isEmpty, "a channel group needs at least one slice")
        self.name = name; self.cfgIndex = cfgIndex; self.slices = slices; self.selections = selections
        self.filterWeight = filterWeight; self.scale = scale; self.scaleSelection = scaleSelection
    }

    /// How many channels the group has now.
    public var channelCount: Int {
        if let slice = slices.first { return slice.parameter.shape[slice.axis] / slice.blockSize }
        return selections[0].indices.count
    }

    /// |γ| of each channel, if the group has a BatchNorm scale.
    public var scaleMagnitudes: [Float]? {
        guard let scale else { return nil }
        let positions = scaleSelection?.indices ?? Array(0..<channelCount)
        return positions.map { abs(scale.value.data[$0]) }
    }

    /// L1 norm of each filter/neuron (row of `filterWeight`), if the group has one.
    public var filterL1Norms: [Float]? {
        guard let weight = filterWeight?.value else { return nil }
        let rows = weight.shape[0], rowLength = weight.count / max(rows, 1)
        return (0..<rows).map { r in
            var s: Float = 0
            for i in 0..<rowLength { s += abs(weight.data[r * rowLength + i]) }
            return s
        }
    }
}
