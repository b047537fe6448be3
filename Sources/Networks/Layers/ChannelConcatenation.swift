import Tensors

// Concatenation along the channel axis, `torch.cat((a, b), 1)`, and its backward, for the
// dense layers of a DenseNet.
//
// Gradient: y = [a; b] on axis 1 only copies entries, ∂y[:, c]/∂a[:, c] = 1 for c < C_a and
// ∂y[:, C_a + c]/∂b[:, c] = 1, every other derivative 0. So ∂L/∂a is the first C_a channels of
// ∂L/∂y and ∂L/∂b the remaining ones: backward splits the gradient where forward joined.

/// `a` and `b` (N×C_a×H×W and N×C_b×H×W) joined channel-wise into a new N×(C_a+C_b)×H×W tensor,
/// `a`'s channels first. Neither input is changed, so the layers that cached them stay valid.
public func concatenateChannels(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.shape.count == 4 && b.shape.count == 4 && a.shape[0] == b.shape[0] && a.shape[2...] == b.shape[2...],
                 "channel concatenation needs N×C×H×W tensors that agree except in C, got \(a.shape) and \(b.shape)")
    let (n, plane) = (a.shape[0], a.shape[2] * a.shape[3])
    let (spanA, spanB) = (a.shape[1] * plane, b.shape[1] * plane)
    let result = Tensor(uninitializedShape: [n, a.shape[1] + b.shape[1], a.shape[2], a.shape[3]])
    let (x, y, out) = (a.data, b.data, result.data)
    for image in 0..<n {
        (out + image * (spanA + spanB)).update(from: x + image * spanA, count: spanA)
        (out + image * (spanA + spanB) + spanA).update(from: y + image * spanB, count: spanB)
    }
    return result
}

/// The backward of `concatenateChannels`: `gradient` (N×C×H×W) split into its first `channels`
/// channels and the rest, each a new tensor.
public func splitChannels(_ gradient: Tensor, at channels: Int) -> (first: Tensor, rest: Tensor) {
    precondition(gradient.shape.count == 4 && (0...gradient.shape[1]).contains(channels),
                 "cannot split \(gradient.shape) after channel \(channels)")
    let (n, total, plane) = (gradient.shape[0], gradient.shape[1], gradient.shape[2] * gradient.shape[3])
    let first = Tensor(uninitializedShape: [n, channels, gradient.shape[2], gradient.shape[3]])
    let rest = Tensor(uninitializedShape: [n, total - channels, gradient.shape[2], gradient.shape[3]])
    let (spanFirst, spanRest) = (channels * plane, (total - channels) * plane)
    let (g, f, r) = (gradient.data, first.data, rest.data)
    for image in 0..<n {
        (f + image * spanFirst).update(from: g + image * (spanFirst + spanRest), count: spanFirst)
        (r + image * spanRest).update(from: g + image * (spanFirst + spanRest) + spanFirst, count: spanRest)
    }
    return (first, rest)
}

/// Channels `channels`… of `gradient` (N×C×H×W) as a new tensor: the part of a concatenation's
/// gradient that belongs to its second input.
public func trailingChannels(_ gradient: Tensor, from channels: Int) -> Tensor {
    precondition(gradient.shape.count == 4 && (0...gradient.shape[1]).contains(channels),
                 "cannot take the channels of \(gradient.shape) from \(channels)")
    let (n, total, plane) = (gradient.shape[0], gradient.shape[1], gradient.shape[2] * gradient.shape[3])
    let rest = Tensor(uninitializedShape: [n, total - channels, gradient.shape[2], gradient.shape[3]])
    let (spanFirst, spanRest) = (channels * plane, (total - channels) * plane)
    let (g, r) = (gradient.data, rest.data)
    for image in 0..<n {
        (r + image * spanRest).update(from: g + image * (spanFirst + spanRest) + spanFirst, count: spanRest)
    }
    return rest
}
