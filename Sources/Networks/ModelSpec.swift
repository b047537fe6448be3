/// The model families of PruneLab's zoo, named as in checkpoints and on the command line,
/// and `custom` for a network assembled layer by layer (it trains, prunes and saves like the
/// others, but only the code that assembled it can build it again).
public enum ModelFamily: String, Codable, Sendable, CaseIterable {
    case mlp
    case smallCNN = "small-cnn"
    case vgg, resnet, preresnet
    case densenet
    case custom

    /// The families `Network.make` builds.
    public static var zoo: [ModelFamily] { allCases.filter { $0 != .custom } }

    /// VGG, ResNet, PreResNet and DenseNet take 32×32 inputs (28×28 images are zero-padded).
    public var isDeep: Bool { [.vgg, .resnet, .preresnet, .densenet].contains(self) }

    /// The family names, for messages: "mlp, small-cnn, vgg, resnet, preresnet or densenet".
    public static var namesForMessages: String {
        let names = zoo.map(\.rawValue)
        return names.dropLast().joined(separator: ", ") + " or " + names.last!
    }
}

/// Everything needed to build a model of the zoo again: family, cfg and input.
///
/// A checkpoint stores it, so a pruned model can be rebuilt from the file alone; the labs
/// use it to clone a trained model or to train a pruned architecture from scratch.
public struct ModelSpec: Codable, Sendable, Equatable {
    public var family: ModelFamily
    /// Widths as the family's constructor takes them (after pruning: the pruned widths).
    public var cfg: [Int]
    /// Shape of one sample, e.g. `[1, 28, 28]`.
    public var inputShape: [Int]
    public var classCount: Int
    /// Depth for the deep families (VGG 11/13/16/19, ResNet 6n+2, PreResNet 9n+2, DenseNet 3n+4).
    public var depth: Int?
    /// Width multiplier of the deep families (it sets the widths the cfg does not list:
    /// ResNet stage widths, PreResNet block outputs, DenseNet's growth rate 12 · multiplier).
    public var widthMultiplier: Double

    public init(family: ModelFamily, cfg: [Int], inputShape: [Int], classCount: Int, depth: Int? = nil,
                widthMultiplier: Double = 1) {
        self.family = family; self.cfg = cfg; self.inputShape = inputShape
        self.classCount = classCount; self.depth = depth; self.widthMultiplier = widthMultiplier
    }

    private enum CodingKeys: String, CodingKey { case family, cfg, inputShape, classCount, depth, widthMultiplier }

    /// Reads a spec; `widthMultiplier` may be absent (1), as in specs written before it existed.
    /// A family PruneLab does not know is an `UnknownModelFamily` error, which names it.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        cfg = try container.decode([Int].self, forKey: .cfg)
        let familyName = try container.decode(String.self, forKey: .family)
        guard let family = ModelFamily(rawValue: familyName) else { throw UnknownModelFamily(name: familyName, cfg: cfg) }
        self.family = family
        inputShape = try container.decode([Int].self, forKey: .inputShape)
        classCount = try container.decode(Int.self, forKey: .classCount)
        depth = try container.decodeIfPresent(Int.self, forKey: .depth)
        widthMultiplier = try container.decodeIfPresent(Double.self, forKey: .widthMultiplier) ?? 1
    }
}

/// A spec that no constructor of the zoo accepts.
public struct ModelSpecError: Error, CustomStringConvertible {
    public let description: String
}

/// A stored spec whose family is not one of `ModelFamily` (e.g. a checkpoint from elsewhere).
public struct UnknownModelFamily: Error, CustomStringConvertible {
    public let name: String
    public let cfg: [Int]
    public var description: String {
        "unknown model family '\(name)'; PruneLab builds \(ModelFamily.namesForMessages)"
    }
}

extension Network {
    /// The spec this network was built from, with its current (possibly pruned) cfg.
    public var spec: ModelSpec {
        ModelSpec(family: family, cfg: cfg, inputShape: inputShape, classCount: classCount, depth: depth,
                  widthMultiplier: widthMultiplier)
    }

    /// The one model builder: a freshly initialised network of `family`, from an explicit cfg
    /// or, when `cfg` is nil, the family's standard widths at `depth` and `widthMultiplier`
    /// (depth defaults: VGG-19, ResNet-56, PreResNet-164, DenseNet-40, as the references).
    public static func make(_ family: ModelFamily, depth: Int? = nil, cfg: [Int]? = nil, widthMultiplier: Double = 1,
                            inputShape: [Int], classCount: Int = 10, seed: UInt64) -> Network {
        switch family {
        case .mlp: .mlp(cfg: cfg ?? [200, 200, classCount], inputShape: inputShape, seed: seed)
        case .smallCNN: .smallCNN(cfg: cfg ?? [32, 64, 64], inputShape: inputShape, classCount: classCount, seed: seed)
        case .vgg: .vgg(depth: depth, cfg: cfg?.map(Optional.some), widthMultiplier: widthMultiplier, inputShape: inputShape,
                        classCount: classCount, seed: seed)
        case .resnet: .resnet(depth: depth, cfg: cfg, widthMultiplier: widthMultiplier, inputShape: inputShape,
                              classCount: classCount, seed: seed)
        case .preresnet: .preresnet(depth: depth, cfg: cfg, widthMultiplier: widthMultiplier, inputShape: inputShape,
                                    classCount: classCount, seed: seed)
        case .densenet: .denseNet(depth: depth, growthRate: denseNetGrowthRate(widthMultiplier: widthMultiplier), cfg: cfg,
                                  inputShape: inputShape, classCount: classCount, seed: seed)
        case .custom: preconditionFailure("a custom network is assembled by its own code; Network.make builds the zoo's families")
        }
    }

    /// Builds a freshly initialised network from a spec, or explains why the spec does not fit
    /// (a checkpoint's spec is untrusted input: the constructors' preconditions must not see it).
    public static func build(_ spec: ModelSpec, seed: UInt64) throws -> Network {
        try check(spec)
        return make(spec.family, depth: spec.depth, cfg: spec.cfg, widthMultiplier: spec.widthMultiplier,
                    inputShape: spec.inputShape, classCount: spec.classCount, seed: seed)
    }

    /// Throws a `ModelSpecError` saying why `spec` does not fit its family's constructor.
    static func check(_ spec: ModelSpec) throws {
        func refuse(_ reason: String) -> ModelSpecError { ModelSpecError(description: reason) }
        guard spec.cfg.allSatisfy({ $0 > 0 }), spec.classCount > 0, spec.inputShape.count == 3,
              spec.inputShape.allSatisfy({ $0 > 0 }) else {
            throw refuse("the model spec \(spec.cfg) for \(spec.family.rawValue) has a zero or negative width or shape; every layer needs at least one channel")
        }
        let sidesOf32 = spec.inputShape[1] % 32 == 0 && spec.inputShape[2] % 32 == 0
        switch spec.family {
        case .mlp:
            guard spec.cfg.last == spec.classCount else {
                throw refuse("an MLP cfg must end with the \(spec.classCount) classes, got \(spec.cfg)")
            }
        case .smallCNN:
            guard spec.cfg.count == 3, spec.inputShape[1] % 4 == 0, spec.inputShape[2] % 4 == 0 else {
                throw refuse("a SmallCNN cfg has three widths and its input sides are multiples of 4, got cfg \(spec.cfg) and input \(spec.inputShape)")
            }
        case .vgg:
            let depth = spec.depth ?? 19
            guard [11, 13, 16, 19].contains(depth) else { throw refuse("a VGG depth must be 11, 13, 16 or 19, got \(depth)") }
            let convs = Network.vggLayout(depth: depth).compactMap { $0 }.count
            guard spec.cfg.count == convs, sidesOf32 else {
                throw refuse("a VGG-\(depth) cfg has \(convs) conv widths and its input sides are multiples of 32, got cfg \(spec.cfg) and input \(spec.inputShape)")
            }
        case .resnet:
            let depth = spec.depth ?? (2 * spec.cfg.count + 2)
            guard depth >= 8, (depth - 2) % 6 == 0, spec.cfg.count == (depth - 2) / 2, sidesOf32, spec.widthMultiplier > 0 else {
                throw refuse("a ResNet of depth 6n+2 has one cfg width per block (3n) and input sides that are multiples of 32, got depth \(depth), cfg \(spec.cfg), input \(spec.inputShape)")
            }
        case .preresnet:
            let depth = spec.depth ?? (spec.cfg.count + 1)
            guard depth >= 11, (depth - 2) % 9 == 0, spec.cfg.count == depth - 1, sidesOf32, spec.widthMultiplier > 0 else {
                throw refuse("a PreResNet of depth 9n+2 has 9n+1 cfg numbers and input sides that are multiples of 32, got depth \(depth), cfg \(spec.cfg), input \(spec.inputShape)")
            }
            // Each selection keeps at most the channels that reach it.
            let full = Network.preresnetDefaultCfg(depth: depth, widthMultiplier: spec.widthMultiplier)
            for block in stride(from: 0, to: full.count, by: 3) where spec.cfg[block] > full[block] {
                throw refuse("PreResNet cfg entry \(block) selects \(spec.cfg[block]) channels but only \(full[block]) reach that selection")
            }
        case .densenet:
            let depth = spec.depth ?? (spec.cfg.count + 1)
            guard depth >= 7, (depth - 4) % 3 == 0, spec.cfg.count == depth - 1, sidesOf32, spec.widthMultiplier > 0 else {
                throw refuse("a DenseNet of depth 3n+4 has 3n+3 cfg numbers and input sides that are multiples of 32, got depth \(depth), cfg \(spec.cfg), input \(spec.inputShape)")
            }
            // Each selection keeps at most the channels that reach it.
            let full = Network.denseNetDefaultCfg(depth: depth, growthRate: Network.denseNetGrowthRate(widthMultiplier: spec.widthMultiplier))
            if let entry = spec.cfg.indices.first(where: { spec.cfg[$0] > full[$0] }) {
                throw refuse("DenseNet cfg entry \(entry) selects \(spec.cfg[entry]) channels but only \(full[entry]) reach that selection")
            }
        case .custom:
            throw refuse("a custom network was assembled by hand; build it with the code that assembled it and restore the checkpoint into it")
        }
    }
}
