import Networks
import Tensors

/// Where one magnitude threshold applies.
public enum PruningScope: String, Sendable, Codable, CaseIterable {
    /// Han et al. (2015): each layer's threshold is q·σ, σ the standard deviation of its
    /// weights, with one quality parameter q for the whole network, chosen so that the overall
    /// sparsity is the one asked for. Layers with widely spread weights keep more small ones.
    case perLayerStd = "per-layer-std"
    /// Each weight tensor loses the same fraction of its own smallest entries.
    case layerwise
    /// One threshold on |w| over every weight tensor together: layers with many small
    /// weights lose more.
    case global
}

/// Unstructured pruning: zero the weights of smallest |w| and keep them at zero with a mask.
///
/// It acts on the weights of Linear and Conv2d layers (not biases or BatchNorm vectors, which
/// are few). Entries already masked count as pruned and stay pruned, so calling it again with a
/// higher sparsity continues an iterative schedule. The number of pruned entries is exact:
/// ties at the threshold are broken by position.
public enum MagnitudePruning {
    /// The weights of every Linear and Conv2d layer (or of the Conv2d layers only, with
    /// `layers: .convolutions`), in network order.
    public static func prunableWeights(of network: Network, layers: WeightLayers = .convolutionsAndLinear) -> [Parameter] {
        network.body.allLayers.compactMap { layer -> Parameter? in
            if let conv = layer as? Conv2d { return conv.weight }
            if let linear = layer as? Linear, layers == .convolutionsAndLinear { return linear.weight }
            return nil
        }
    }

    /// Prunes `sparsity` (0...1) of the network's prunable weights (those of `layers`) and
    /// reports the result.
    @discardableResult
    public static func prune(_ network: Network, sparsity: Double, scope: PruningScope,
                             layers: WeightLayers = .convolutionsAndLinear) -> SparsityReport {
        let weights = prunableWeights(of: network, layers: layers)
        switch scope {
        case .perLayerStd: pruneByLayerStd(weights, sparsity: sparsity)
        case .layerwise: pruneLayerwise(weights, sparsity: sparsity)
        case .global: pruneGlobally(weights, sparsity: sparsity)
        }
        return SparsityReport(weights)
    }

    /// Masks the ⌊sparsity·n⌉ smallest-magnitude entries of each weight tensor separately.
    public static func pruneLayerwise(_ weights: [Parameter], sparsity: Double) {
        precondition((0...1).contains(sparsity), "sparsity must be in 0...1, got \(sparsity)")
        for weight in weights {
            let scores = magnitudeScores([weight])
            maskSmallest(scores, count: Int((sparsity * Double(weight.value.count)).rounded()), of: [weight])
        }
    }

    /// Masks the ⌊sparsity·N⌉ smallest-magnitude entries among all `weights` together.
    public static func pruneGlobally(_ weights: [Parameter], sparsity: Double) {
        precondition((0...1).contains(sparsity), "sparsity must be in 0...1, got \(sparsity)")
        let total = weights.reduce(0) { $0 + $1.value.count }
        maskSmallest(magnitudeScores(weights), count: Int((sparsity * Double(total)).rounded()), of: weights)
    }

    /// Han et al.'s per-layer thresholds q·σ_l with one q: pruning |w| < q·σ_l everywhere is
    /// pruning the smallest |w|/σ_l over all layers together, so the ⌊sparsity·N⌉ smallest of
    /// those go (σ_l over the layer's unmasked entries).
    public static func pruneByLayerStd(_ weights: [Parameter], sparsity: Double) {
        precondition((0...1).contains(sparsity), "sparsity must be in 0...1, got \(sparsity)")
        let total = weights.reduce(0) { $0 + $1.value.count }
        maskSmallest(layerStdScores(weights), count: Int((sparsity * Double(total)).rounded()), of: weights)
    }

    /// |w|/σ_l of every entry (σ_l over the layer's unmasked entries), concatenated; masked
    /// entries score −1.
    static func layerStdScores(_ weights: [Parameter]) -> [Float] {
        var scores = magnitudeScores(weights)
        var offset = 0
        for weight in weights {
            let n = weight.value.count
            let kept = (offset..<offset + n).filter { scores[$0] >= 0 }
            let mean = kept.reduce(0.0) { $0 + Double(weight.value.data[$1 - offset]) } / Double(max(kept.count, 1))
            let variance = kept.reduce(0.0) { let d = Double(weight.value.data[$1 - offset]) - mean; return $0 + d * d }
                / Double(max(kept.count, 1))
            let deviation = Float(variance.squareRoot())
            if deviation > 0 { for i in kept { scores[i] /= deviation } }
            offset += n
        }
        return scores
    }

    /// Drops every mask (the zeroed weights stay zero but may grow again when trained).
    public static func removeMasks(from network: Network) {
        for parameter in network.parameters { parameter.mask = nil }
    }

    /// |w| of every entry, concatenated; already-masked entries score −1 so they go first.
    static func magnitudeScores(_ weights: [Parameter]) -> [Float] {
        let total = weights.reduce(0) { $0 + $1.value.count }
        var scores = [Float](repeating: 0, count: total)
        scores.withUnsafeMutableBufferPointer { out in
            var offset = 0
            for weight in weights {
                let (w, n) = (weight.value.data, weight.value.count)
                for i in 0..<n { out[offset + i] = abs(w[i]) }
                if let m = weight.mask?.data {
                    for i in 0..<n where m[i] == 0 { out[offset + i] = -1 }
                }
                offset += n
            }
        }
        return scores
    }

    /// Masks exactly `count` entries: every score below the count-th smallest, then ties at it
    /// in order. Sets the masked values to zero.
    static func maskSmallest(_ scores: [Float], count: Int, of weights: [Parameter]) {
        let count = min(max(count, 0), scores.count)
        guard count > 0 else { return }
        let threshold = scores.sorted()[count - 1]
        var below = 0
        scores.withUnsafeBufferPointer { s in
            for i in 0..<s.count where s[i] < threshold { below += 1 }
        }
        var tiesLeft = count - below
        var offset = 0
        for weight in weights {
            let n = weight.value.count
            if weight.mask == nil { weight.mask = Tensor(shape: weight.shape, repeating: 1) }
            let (m, w) = (weight.mask!.data, weight.value.data)
            scores.withUnsafeBufferPointer { s in
                for i in 0..<n {
                    let score = s[offset + i]
                    var prune = score < threshold
                    if !prune && score == threshold && tiesLeft > 0 { prune = true; tiesLeft -= 1 }
                    if prune { m[i] = 0; w[i] = 0 }
                }
            }
            offset += n
        }
    }
}
