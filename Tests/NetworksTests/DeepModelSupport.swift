import Foundation
import Networks
import Tensors

/// One PyTorch training step of a small deep model, written by tools/make_deep_fixtures.py.
/// Tensors are base64 of little-endian float32.
struct DeepModelFixture: Decodable {
    struct Encoded: Decodable {
        let shape: [Int]
        let data: String
    }

    let model: String
    let depth: Int
    let widthMultiplier: Double
    let cfg: [Int]
    let selections: [String: [Int]]?
    let inputShape: [Int]
    let classCount: Int
    let input: Encoded
    let labels: [Int]
    let state: [String: Encoded]
    let logits: String
    let loss: Double
    let grads: [String: String]
    let afterStep: [String: String]
    let logitsAfterStep: String
    let lossAfterStep: Double
    let evalLogitsAfterStep: String
    let buffersAfter: [String: String]

    static func load(_ name: String) throws -> DeepModelFixture {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Fixtures/\(name).json"])
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(DeepModelFixture.self, from: Data(contentsOf: url))
    }

    /// The float32 values of a base64 string.
    static func floats(_ base64: String) -> [Float] {
        guard let data = Data(base64Encoded: base64) else { preconditionFailure("fixture holds invalid base64") }
        return data.withUnsafeBytes { raw in
            (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }

    static func tensor(_ encoded: Encoded) -> Tensor {
        Tensor(shape: encoded.shape, values: floats(encoded.data))
    }

    /// Builds the Swift model the fixture describes (initial weights are loaded separately).
    func makeNetwork() -> Network {
        switch model {
        case "vgg": return .vgg(depth: depth, cfg: cfg, inputShape: inputShape, classCount: classCount, seed: 1)
        case "resnet": return .resnet(depth: depth, cfg: cfg, widthMultiplier: widthMultiplier,
                                      inputShape: inputShape, classCount: classCount, seed: 1)
        case "densenet": return .make(.densenet, depth: depth, cfg: cfg, widthMultiplier: widthMultiplier,
                                      inputShape: inputShape, classCount: classCount, seed: 1)
        default: return .preresnet(depth: depth, cfg: cfg, widthMultiplier: widthMultiplier,
                                   inputShape: inputShape, classCount: classCount, seed: 1)
        }
    }
}

/// Finite-difference checks of a layer's backward in training mode, with the scalar loss
/// L = Σ weightᵢ · outputᵢ (fixed random weights), computed in Double.
///
/// ReLU makes the loss piecewise smooth: where a kink lies within the step, a central
/// difference is wrong however right the backward is. Each entry is therefore differenced
/// with steps h and h/2; where the two disagree the entry straddles a kink and is skipped
/// (and counted), elsewhere the h/2 difference is compared with the analytic gradient.
enum DeepModelGradientCheck {
    struct Result: CustomStringConvertible {
        /// Worst |analytic − numeric| / max(|analytic|, |numeric|, floor) over the checked entries.
        var worstError = 0.0
        var checked = 0
        var skipped = 0
        var description: String { "worst relative error \(worstError) over \(checked) entries (\(skipped) at kinks skipped)" }
        /// True when the gradient matched and few entries had to be skipped.
        func passes(tolerance: Double = 2e-2) -> Bool {
            worstError < tolerance && checked >= 20 && skipped * 5 <= checked + skipped
        }
    }

    static func check(_ layer: any Layer, input: Tensor, seed: UInt64 = 5,
                      step: Float = 1e-3, samples: Int = 24) -> Result {
        var rng = SeededGenerator(seed: seed)
        let output = layer.forward(input, training: true)
        let weights = Tensor.normal(output.shape, using: &rng)
        func loss() -> Double {
            let y = layer.forward(input, training: true)
            var s = 0.0
            for i in 0..<y.count { s += Double(y.data[i]) * Double(weights.data[i]) }
            return s
        }
        func centralDifference(_ value: Tensor, _ i: Int, _ h: Float) -> Double {
            let original = value.data[i]
            value.data[i] = original + h
            let up = loss()
            value.data[i] = original - h
            let down = loss()
            value.data[i] = original
            return (up - down) / (2 * Double(h))
        }
        for p in layer.allParameters { p.grad.zero() }
        _ = layer.forward(input, training: true)
        let gradInput = layer.backward(weights)
        var analytic: [(Tensor, Tensor)] = [(input, gradInput.copy())]
        for p in layer.allParameters { analytic.append((p.value, p.grad.copy())) }

        var result = Result()
        for (value, gradient) in analytic {
            let positions = value.count <= samples ? Array(0..<value.count)
                                                   : (0..<samples).map { _ in rng.index(below: value.count) }
            for i in positions {
                let coarse = centralDifference(value, i, step)
                let fine = centralDifference(value, i, step / 2)
                if abs(coarse - fine) > 1e-2 * max(abs(fine), 0.1) {
                    result.skipped += 1
                    continue
                }
                let exact = Double(gradient.data[i])
                result.worstError = max(result.worstError, abs(fine - exact) / max(abs(fine), abs(exact), 0.1))
                result.checked += 1
            }
        }
        return result
    }
}
