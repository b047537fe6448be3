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

    /// The input slices of a conv that reads the channels (axis 1 of its weight).
    public static func inputChannels(of conv: Conv2d) -> ChannelSlice { ChannelSlice(conv.weight, axis: 1) }

    /// The input columns of a Linear layer that reads the channels; behind a flatten each
    /// channel owns a block of `positionsPerChannel` (H·W) columns.
    public static func inputColumns(of linear: Linear, positionsPerChannel: Int = 1) -> ChannelSlice {
        ChannelSlice(linear.weight, axis: 1, blockSize: positionsPerChannel)
    }
}

/// Every tensor slice that must be removed together when one channel goes: the structure of
/// a model, nothing about which channels matter (the criteria that score channels live in
/// the `Pruning` target).
///
/// Example: the filters of `conv2` form a group with conv2's weight rows, the four vectors of
/// the BatchNorm behind it, and the input slices of `conv3`. Structural pruning keeps some
/// positions of a group and drops the rest, the same way for every model family; the models
/// only describe their groups, with the constructors below.
public final class ChannelGroup {
    /// Readable name given by the model, e.g. `conv2`, `feature.3` or `layer1.0.conv1`.
    public let name: String
    /// Index in the network's cfg list that this group's width sets, if any.
    public let cfgIndex: Int?
    /// Slices removed with each channel.
    public let slices: [ChannelSlice]
    /// Channel selections whose kept-index lists are this group's channels (pre-activation ResNet).
    public let selections: [ChannelSelection]
    /// The weight whose rows (axis 0) produce the channels: a conv's filters or a Linear
    /// layer's neurons; nil when the channels are picked by a selection.
    public let producer: Parameter?
    /// The BatchNorm whose γ and β scale and shift the channels, if any.
    public let batchNorm: BatchNorm2d?
    /// When set, channel p of the group is channel `batchNormSelection.indices[p]` of `batchNorm`.
    public let batchNormSelection: ChannelSelection?

    /// A group described slice by slice; the models use the constructors below.
    public init(name: String, cfgIndex: Int?, slices: [ChannelSlice], selections: [ChannelSelection] = [],
         producer: Parameter? = nil, batchNorm: BatchNorm2d? = nil, batchNormSelection: ChannelSelection? = nil) {
        precondition(!slices.isEmpty || !selections.isEmpty, "a channel group needs at least one slice")
        self.name = name; self.cfgIndex = cfgIndex; self.slices = slices; self.selections = selections
        self.producer = producer; self.batchNorm = batchNorm; self.batchNormSelection = batchNormSelection
    }

    /// The filters of `conv` (weight rows and bias), the BatchNorm behind it if any (its four
    /// vectors), and the slices of the layers that read the channels.
    public static func convolution(_ name: String, cfgIndex: Int?, conv: Conv2d, batchNorm: BatchNorm2d? = nil,
                                   consumers: [ChannelSlice]) -> ChannelGroup {
        ChannelGroup(name: name, cfgIndex: cfgIndex,
                     slices: producerSlices(conv.weight, conv.bias) + (batchNorm?.channelSlices ?? []) + consumers,
                     producer: conv.weight, batchNorm: batchNorm)
    }

    /// The neurons of a hidden Linear layer (weight rows and bias) and the slices of the
    /// layers that read them.
    public static func neurons(_ name: String, cfgIndex: Int?, linear: Linear, consumers: [ChannelSlice]) -> ChannelGroup {
        ChannelGroup(name: name, cfgIndex: cfgIndex, slices: producerSlices(linear.weight, linear.bias) + consumers,
                     producer: linear.weight)
    }

    /// The channels a `ChannelSelection` passes on from a whole BatchNorm (whose channels are
    /// shared and stay), and the slices of the layers that read them.
    public static func selected(_ name: String, cfgIndex: Int?, by selection: ChannelSelection, after batchNorm: BatchNorm2d,
                                consumers: [ChannelSlice]) -> ChannelGroup {
        ChannelGroup(name: name, cfgIndex: cfgIndex, slices: consumers, selections: [selection],
                     batchNorm: batchNorm, batchNormSelection: selection)
    }

    private static func producerSlices(_ weight: Parameter, _ bias: Parameter?) -> [ChannelSlice] {
        [ChannelSlice(weight, axis: 0)] + (bias.map { [ChannelSlice($0, axis: 0)] } ?? [])
    }

    /// How many channels the group has now.
    public var channelCount: Int {
        if let slice = slices.first { return slice.parameter.shape[slice.axis] / slice.blockSize }
        return selections[0].indices.count
    }

    /// For each channel of the group, its channel in `batchNorm` (the identity without a selection).
    public var batchNormPositions: [Int] { batchNormSelection?.indices ?? Array(0..<channelCount) }
}
