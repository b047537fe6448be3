/// Everything needed to build a model of the zoo again: family, cfg and input.
///
/// A checkpoint stores it, so a pruned model can be rebuilt from the file alone; the labs
/// use it to clone a trained model or to train a pruned architecture from scratch.
public struct ModelSpec: Codable, Sendable, Equatable {
    /// `mlp`, `small-cnn`, `vgg`, `resnet` or `preresnet`.
    public var family: String
    /// Widths as the family's constructor takes them (after pruning: the pruned widths).
    public var cfg: [Int]
    /// Shape of one sample, e.g. `[1, 28, 28]`.
    public var inputShape: [Int]
    public var classCount: Int
    /// Depth for the deep families (VGG 11/13/16/19, ResNet 6n+2, PreResNet 9n+2).
    public var depth: Int?
    /// Width multiplier of the deep families (it sets the widths the cfg does not list:
    /// ResNet stage widths, PreResNet block outputs).
    public var widthMultiplier: Double

    public init(family: String, cfg: [Int], inputShape: [Int], classCount: Int, depth: Int? = nil,
                widthMultiplier: Double = 1) {
        self.family = family; self.cfg = cfg; self.inputShape = inputShape
        self.classCount = classCount; self.depth = depth; self.widthMultiplier = widthMultiplier
    }

    private enum CodingKeys: String, CodingKey { case family, cfg, inputShape, classCount, depth, widthMultiplier }

    /// Reads a spec; `widthMultiplier` may be absent (1), as in specs written before it existed.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        family = try container.decode(String.self, forKey: .family)
        cfg = try container.decode([Int].self, forKey: .cfg)
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

extension Network {
    /// The spec this network was built from, with its current (possibly pruned) cfg.
    public var spec: ModelSpec {
        ModelSpec(family: family, cfg: cfg, inputShape: inputShape, classCount: classCount, depth: depth,
                  widthMultiplier: widthMultiplier)
    }

    /// Builds a freshly initialised network from a spec, or explains why the spec does not fit.
    public static func build(_ spec: ModelSpec, seed: UInt64) throws -> Network {
        guard spec.cfg.allSatisfy({ $0 > 0 }), spec.classCount > 0, spec.inputShape.count == 3,
              spec.inputShape.allSatisfy({ $0 > 0 }) else {
            throw ModelSpecError(description: "the model spec \(spec.cfg) for \(spec.family) has a zero or negative width or shape; every layer needs at least one channel")
        }
        switch spec.family {
        case "mlp":
            guard spec.cfg.last == spec.classCount else {
                throw ModelSpecError(description: "an MLP cfg must end with the \(spec.classCount) classes, got \(spec.cfg)")
            }
            return .mlp(cfg: spec.cfg, inputShape: spec.inputShape, seed: seed)
        case "small-cnn":
            guard spec.cfg.count == 3, spec.inputShape[1] % 4 == 0, spec.inputShape[2] % 4 == 0 else {
                throw ModelSpecError(description: "a SmallCNN cfg has three widths and its input sides are multiples of 4, got cfg \(spec.cfg) and input \(spec.inputShape)")
            }
            return .smallCNN(cfg: spec.cfg, inputShape: spec.inputShape, classCount: spec.classCount, seed: seed)
        case "vgg":
            let depth = spec.depth ?? 19
            guard [11, 13, 16, 19].contains(depth) else { throw ModelSpecError(description: "a VGG depth must be 11, 13, 16 or 19, got \(depth)") }
            let convs = Network.vggLayout(depth: depth).compactMap { $0 }.count
            guard spec.cfg.count == convs, spec.inputShape[1] % 32 == 0, spec.inputShape[2] % 32 == 0 else {
                throw ModelSpecError(description: "a VGG-\(depth) cfg has \(convs) conv widths and its input sides are multiples of 32, got cfg \(spec.cfg) and input \(spec.inputShape)")
            }
            return .vgg(depth: depth, cfg: spec.cfg, widthMultiplier: spec.widthMultiplier,
                        inputShape: spec.inputShape, classCount: spec.classCount, seed: seed)
        case "resnet":
            let depth = spec.depth ?? (2 * spec.cfg.count + 2)
            guard depth >= 8, (depth - 2) % 6 == 0, spec.cfg.count == (depth - 2) / 2,
                  spec.inputShape[1] % 32 == 0, spec.inputShape[2] % 32 == 0, spec.widthMultiplier > 0 else {
                throw ModelSpecError(description: "a ResNet of depth 6n+2 has one cfg width per block (3n) and input sides that are multiples of 32, got depth \(depth), cfg \(spec.cfg), input \(spec.inputShape)")
            }
            return .resnet(depth: depth, cfg: spec.cfg, widthMultiplier: spec.widthMultiplier,
                           inputShape: spec.inputShape, classCount: spec.classCount, seed: seed)
        case "preresnet":
            let depth = spec.depth ?? (spec.cfg.count + 1)
            guard depth >= 11, (depth - 2) % 9 == 0, spec.cfg.count == depth - 1,
                  spec.inputShape[1] % 32 == 0, spec.inputShape[2] % 32 == 0, spec.widthMultiplier > 0 else {
                throw ModelSpecError(description: "a PreResNet of depth 9n+2 has 9n+1 cfg numbers and input sides that are multiples of 32, got depth \(depth), cfg \(spec.cfg), input \(spec.inputShape)")
            }
            // Each selection keeps at most the channels that reach it.
            let full = Network.preresnetDefaultCfg(depth: depth, widthMultiplier: spec.widthMultiplier)
            for block in stride(from: 0, to: full.count, by: 3) where spec.cfg[block] > full[block] {
                throw ModelSpecError(description: "PreResNet cfg entry \(block) selects \(spec.cfg[block]) channels but only \(full[block]) reach that selection")
            }
            return .preresnet(depth: depth, cfg: spec.cfg, widthMultiplier: spec.widthMultiplier,
                              inputShape: spec.inputShape, classCount: spec.classCount, seed: seed)
        default:
            throw ModelSpecError(description: "unknown model family '\(spec.family)'; PruneLab builds mlp, small-cnn, vgg, resnet and preresnet")
        }
    }
}
