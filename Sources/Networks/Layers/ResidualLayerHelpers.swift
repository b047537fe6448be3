import Tensors

// Small helpers the residual blocks and the deep models share: state-dict names for their
// layers (so weights load by name) and a BatchNorm's channel slices.

extension Conv2d {
    /// Names the parameters as a PyTorch state dict does: `<prefix>.weight` (and `.bias`).
    func nameParameters(_ prefix: String) {
        weight.name = "\(prefix).weight"
        bias?.name = "\(prefix).bias"
    }
}

extension BatchNorm2d {
    /// Names γ, β and the running statistics as a PyTorch state dict does.
    func nameParameters(_ prefix: String) {
        weight.name = "\(prefix).weight"
        bias.name = "\(prefix).bias"
        runningMean.name = "\(prefix).running_mean"
        runningVar.name = "\(prefix).running_var"
    }
}

extension Linear {
    /// Names the weight and bias as a PyTorch state dict does.
    func nameParameters(_ prefix: String) {
        weight.name = "\(prefix).weight"
        bias?.name = "\(prefix).bias"
    }
}

extension BatchNorm2d {
    /// γ, β, running mean and running variance: what a channel group removes with a channel.
    var channelSlices: [ChannelSlice] {
        [weight, bias, runningMean, runningVar].map { ChannelSlice($0, axis: 0) }
    }
}

/// Inference of conv (→ batchNorm) (→ relu): in one pass where the convolution can fuse them
/// (`Conv2d.forwardFused`), otherwise layer by layer (BatchNorm and ReLU still in one pass).
func inferConvBatchNorm(_ x: Tensor, _ conv: Conv2d, _ batchNorm: BatchNorm2d?, _ relu: ReLU?) -> Tensor {
    if let y = conv.forwardFused(x, batchNorm: batchNorm, relu: relu != nil) { return y }
    let y = conv.forward(x, training: false)
    if let batchNorm { return batchNorm.inferenceForward(y, relu: relu != nil) }
    return relu?.forward(y, training: false) ?? y
}
