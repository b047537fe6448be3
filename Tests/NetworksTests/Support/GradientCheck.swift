import Foundation
import Testing
@testable import Networks
@testable import Tensors

/// Outcome of comparing an analytic gradient with central finite differences.
struct GradientCheckResult: CustomStringConvertible {
    var name: String
    /// Largest |numeric − analytic| over the checked entries that are not at a kink.
    var maxError = 0.0
    /// Largest |analytic| over the checked entries (the scale errors are measured against).
    var scale = 0.0
    var checked = 0
    /// Entries skipped because a kink of ReLU or max-pool lies within ±eps (see `checkGradient`).
    var kinks = 0

    var relativeError: Double { maxError / max(scale, 1e-7) }
    var description: String {
        "\(name): relative error \(relativeError) (max error \(maxError), scale \(scale), \(checked) checked, \(kinks) at kinks)"
    }
}

/// Checks ∂loss/∂tensor at `indices` against central differences (loss in Double).
///
/// Each entry is moved by ±eps in Float32; the step actually taken (after rounding) is the
/// denominator. ReLU and max-pool are not differentiable everywhere, and in a whole network one
/// weight moves thousands of activations, some of which cross a kink inside ±eps. So an entry
/// that fails at the first step in `epsilons` is retried with the next (smaller) ones; a wrong
/// gradient is wrong at every step. If every step fails but at one of them the analytic value
/// matches a one-sided difference while the two sides disagree, a kink lies there: the entry is
/// counted in `kinks` instead of failing (a wrong gradient matches neither side).
func checkGradient(name: String, of tensor: Tensor, analytic: Tensor, indices: [Int], epsilons: [Float],
                   tolerance: Double, loss: () -> Double) -> GradientCheckResult {
    precondition(!epsilons.isEmpty)
    var result = GradientCheckResult(name: name)
    let center = loss()
    for i in indices { result.scale = max(result.scale, abs(Double(analytic.data[i]))) }
    let floor = max(result.scale, 1e-7) * tolerance
    for i in indices {
        let exact = Double(analytic.data[i])
        let original = tensor.data[i]
        var best = Double.infinity
        var sawKink = false
        for eps in epsilons {
            tensor.data[i] = original + eps
            let plusStep = Double(tensor.data[i]) - Double(original)
            let plus = loss()
            tensor.data[i] = original - eps
            let minusStep = Double(original) - Double(tensor.data[i])
            let minus = loss()
            tensor.data[i] = original
            let numeric = (plus - minus) / (plusStep + minusStep)
            best = min(best, abs(numeric - exact))
            if best <= floor { break }
            let forward = (plus - center) / plusStep, backward = (center - minus) / minusStep
            if min(abs(forward - exact), abs(backward - exact)) <= floor && abs(forward - backward) > floor {
                sawKink = true
            }
        }
        let isKink = best > floor && sawKink
        result.checked += 1
        if isKink { result.kinks += 1 } else { result.maxError = max(result.maxError, best) }
    }
    _ = loss()  // leave the layer caches as they were for the unperturbed values
    return result
}

/// `count` distinct indices below `total` (all of them when `count` is nil or large enough).
func sampleIndices(_ total: Int, count: Int?, rng: inout SeededGenerator) -> [Int] {
    guard let count, count < total else { return Array(0..<total) }
    return Array(rng.permutation(total).prefix(count)).sorted()
}

/// Σ weights·output in Double: a loss whose gradient with respect to the output is `weights`.
func weightedSum(_ output: Tensor, _ weights: Tensor) -> Double {
    var s = 0.0
    for i in 0..<output.count { s += Double(output.data[i]) * Double(weights.data[i]) }
    return s
}

/// Mean cross-entropy computed entirely in Double (the reference for the Float32 one).
func crossEntropyInDouble(_ logits: Tensor, _ labels: [Int]) -> Double {
    let (n, classes) = (logits.shape[0], logits.shape[1])
    var total = 0.0
    for r in 0..<n {
        let row = (0..<classes).map { Double(logits.data[r * classes + $0]) }
        let top = row.max()!
        let logSum = top + Foundation.log(row.map { Foundation.exp($0 - top) }.reduce(0, +))
        total += logSum - row[labels[r]]
    }
    return total / Double(n)
}

/// Gradient-checks a layer: the input gradient and every parameter gradient, for the loss
/// Σ r·layer(x) with a fixed random r. `samples` limits how many entries of each tensor are probed.
func checkLayer(_ layer: any Layer, input: Tensor, epsilons: [Float] = [1e-2], tolerance: Double = 1e-2,
                samples: Int? = nil, seed: UInt64 = 1) -> [GradientCheckResult] {
    var rng = SeededGenerator(seed: seed)
    let output = layer.forward(input, training: true)
    let upstream = Tensor.normal(output.shape, using: &rng)
    for p in layer.allParameters { p.grad.zero() }
    let gradInput = layer.backward(upstream).copy()
    let gradients = layer.allParameters.map { $0.grad.copy() }
    let loss = { weightedSum(layer.forward(input, training: true), upstream) }
    var results = [checkGradient(name: "input", of: input, analytic: gradInput,
                                 indices: sampleIndices(input.count, count: samples, rng: &rng),
                                 epsilons: epsilons, tolerance: tolerance, loss: loss)]
    for (index, (p, grad)) in zip(layer.allParameters, gradients).enumerated() {
        results.append(checkGradient(name: "parameter \(index) \(p.name)", of: p.value, analytic: grad,
                                     indices: sampleIndices(p.value.count, count: samples, rng: &rng),
                                     epsilons: epsilons, tolerance: tolerance, loss: loss))
    }
    return results
}

/// Gradient-checks a whole network through the cross-entropy loss on one batch.
func checkNetwork(_ network: Network, input: Tensor, labels: [Int], epsilons: [Float] = [1e-2, 1e-3, 1e-4],
                  tolerance: Double = 1e-2,
                  samples: Int? = 24, seed: UInt64 = 1) -> [GradientCheckResult] {
    var rng = SeededGenerator(seed: seed)
    for p in network.parameters { p.grad.zero() }
    let logits = network.forward(input, training: true)
    let gradInput = network.backward(crossEntropy(logits: logits, labels: labels).gradient).copy()
    let gradients = network.parameters.map { $0.grad.copy() }
    let loss = { crossEntropyInDouble(network.forward(input, training: true), labels) }
    var results = [checkGradient(name: "input", of: input, analytic: gradInput,
                                 indices: sampleIndices(input.count, count: samples, rng: &rng),
                                 epsilons: epsilons, tolerance: tolerance, loss: loss)]
    for (p, grad) in zip(network.parameters, gradients) {
        results.append(checkGradient(name: p.name, of: p.value, analytic: grad,
                                     indices: sampleIndices(p.value.count, count: samples, rng: &rng),
                                     epsilons: epsilons, tolerance: tolerance, loss: loss))
    }
    return results
}

/// Expects every result within `tolerance`, with at most `allowedKinks` entries skipped at kinks.
/// Set GRADIENT_CHECK_VERBOSE=1 to print every result.
func expectGradientsMatch(_ results: [GradientCheckResult], tolerance: Double = 1e-2, allowedKinks: Int = 0,
                          sourceLocation: SourceLocation = #_sourceLocation) {
    let verbose = ProcessInfo.processInfo.environment["GRADIENT_CHECK_VERBOSE"] != nil
    for r in results {
        if verbose { print("gradient check \(sourceLocation.fileName):\(sourceLocation.line) \(r)") }
        #expect(r.checked > 0, "\(r.name): nothing checked", sourceLocation: sourceLocation)
        #expect(r.relativeError < tolerance, "\(r)", sourceLocation: sourceLocation)
        #expect(r.kinks <= allowedKinks, "\(r)", sourceLocation: sourceLocation)
    }
}
