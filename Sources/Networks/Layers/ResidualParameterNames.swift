import Tensors

// State-dict names for the layers inside the deep models, so weights load by name.

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
