import Foundation
import Tensors

/// Softmax cross-entropy, mean over the batch, as `torch.nn.CrossEntropyLoss()`.
///
/// L = −(1/N) Σₙ log softmax(zₙ)[yₙ]; ∂L/∂zₙ = (softmax(zₙ) − onehot(yₙ)) / N.
public struct CrossEntropyResult {
    public let loss: Float
    /// ∂L/∂logits, same shape as the logits.
    public let gradient: Tensor
    /// How many rows had their largest logit at the true class.
    public let correct: Int
}

/// Computes the loss, its gradient with respect to the logits, and the number of correct predictions.
public func crossEntropy(logits: Tensor, labels: [Int]) -> CrossEntropyResult {
    precondition(logits.shape.count == 2 && logits.shape[0] == labels.count,
                 "crossEntropy: logits \(logits.shape) and \(labels.count) labels")
    let (n, classes) = (logits.shape[0], logits.shape[1])
    let grad = Tensor(shape: logits.shape)
    var total = 0.0
    var correct = 0
    for r in 0..<n {
        let z = logits.data + r * classes
        let g = grad.data + r * classes
        var maxValue = z[0], best = 0
        for c in 1..<classes where z[c] > maxValue { maxValue = z[c]; best = c }
        var denominator = 0.0
        for c in 0..<classes {
            let e = Foundation.exp(Double(z[c] - maxValue))
            g[c] = Float(e)
            denominator += e
        }
        let label = labels[r]
        precondition(label >= 0 && label < classes, "label \(label) outside 0..<\(classes)")
        total -= Double(z[label] - maxValue) - Foundation.log(denominator)
        let scale = 1 / (denominator * Double(n))
        for c in 0..<classes { g[c] = Float(Double(g[c]) * scale) }
        g[label] -= 1 / Float(n)
        if best == label { correct += 1 }
    }
    return CrossEntropyResult(loss: Float(total / Double(n)), gradient: grad, correct: correct)
}
