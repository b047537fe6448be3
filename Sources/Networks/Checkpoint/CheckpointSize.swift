/// Refuses a stored spec far larger than the file before the model is built: building
/// allocates every parameter, so a damaged cfg such as `[2000000000, 10]` must not get
/// that far. A model that matches the file holds at most as many values as the file stores.
enum CheckpointSize {
    static func check(_ spec: ModelSpec, storedValues: Int, path: String) throws {
        func refuse(_ reason: String) -> CheckpointError {
            .specDoesNotFit(path: path, family: spec.family.rawValue, cfg: spec.cfg, reason: reason)
        }
        // Every family has a tensor at least as long as each width, and reads every input channel.
        let sizes = spec.cfg + [spec.classCount] + spec.inputShape + [spec.depth ?? 0]
        guard sizes.allSatisfy({ $0 <= storedValues }) else {
            throw refuse("a width, depth or input size exceeds the \(storedValues) values stored in the file")
        }
        guard spec.widthMultiplier.isFinite, spec.widthMultiplier > 0 else {
            throw refuse("the width multiplier \(spec.widthMultiplier) is not a positive number")
        }
        // ResNet and PreResNet scale their stage widths (16, 32, 64) by the multiplier; the
        // widest stage's BatchNorm alone stores 64·multiplier values. DenseNet's final BatchNorm
        // stores 4·(2 + 3n)·12·multiplier ≥ 240·multiplier.
        if [.resnet, .preresnet, .densenet].contains(spec.family), spec.widthMultiplier * 64 > Double(storedValues) {
            throw refuse("the width multiplier \(spec.widthMultiplier) needs more values than the \(storedValues) stored in the file")
        }
        guard let needed = modelValues(spec) else { return }
        guard needed <= storedValues else {
            throw refuse("the model needs more values than the \(storedValues) stored in the file")
        }
    }

    /// Number of values in the state of the model `spec` describes, for the families whose
    /// layout is simple enough to count here; `.max` when the count overflows, `nil` for the
    /// other families (their widths are bounded above) and for specs the builder refuses anyway.
    static func modelValues(_ spec: ModelSpec) -> Int? {
        guard spec.inputShape.count == 3, (spec.cfg + spec.inputShape + [spec.classCount]).allSatisfy({ $0 > 0 }) else {
            return nil
        }
        var total = 0
        var overflowed = false
        func add(_ factors: [Int]) {
            var product = 1
            for factor in factors {
                let (next, overflow) = product.multipliedReportingOverflow(by: factor)
                overflowed = overflowed || overflow
                product = next
            }
            let (sum, overflow) = total.addingReportingOverflow(product)
            overflowed = overflowed || overflow
            total = sum
        }
        switch spec.family {
        case .mlp:
            // Linear layers: weight (out × in) and bias (out).
            var inputs = spec.inputShape
            for width in spec.cfg {
                add(inputs + [width])
                add([width])
                inputs = [width]
            }
        case .smallCNN:
            // 3×3 convs with bias, two 2×2 pools, then Linear(cfg[2]·H/4·W/4 → classes).
            guard spec.cfg.count == 3 else { return nil }
            var channels = spec.inputShape[0]
            for width in spec.cfg {
                add([channels, width, 9])
                add([width])
                channels = width
            }
            add([channels, spec.inputShape[1] / 4, spec.inputShape[2] / 4, spec.classCount])
            add([spec.classCount])
        case .densenet:
            // Stem 3×3 conv to 2k; per dense layer a BatchNorm (four vectors) over the channels
            // that reach it and a 3×3 conv from its selection to k; per transition the same with
            // a 1×1 conv back to its input width; the final BatchNorm and the classifier.
            let depth = spec.depth ?? (spec.cfg.count + 1)
            guard depth >= 7, (depth - 4) % 3 == 0, spec.cfg.count == depth - 1 else { return nil }
            let n = (depth - 4) / 3, k = Network.denseNetGrowthRate(widthMultiplier: spec.widthMultiplier)
            var channels = 2 * k
            add([spec.inputShape[0], channels, 9])
            for (entry, selected) in spec.cfg.enumerated() {
                add([4, channels])
                if entry == spec.cfg.count - 1 {
                    add([selected, spec.inputShape[1] / 32, spec.inputShape[2] / 32, spec.classCount])
                    add([spec.classCount])
                } else if entry % (n + 1) == n {
                    add([selected, channels])
                } else {
                    add([selected, k, 9])
                    channels += k
                }
            }
        default:
            return nil
        }
        return overflowed ? .max : total
    }
}
