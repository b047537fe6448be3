import Foundation
import Testing
import Tensors
@testable import Networks

/// A checkpoint written by the reference writer (`safetensors.torch.save_file`, from
/// `tools/check_safetensors.py --write-fixture`) loads, and the Swift model reproduces
/// PyTorch's outputs on the stored input.
@Suite("Checkpoint written by PyTorch")
struct CheckpointPyTorchFixtureTests {
    private func fixture(_ name: String) throws -> URL {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return folder.appendingPathComponent(name)
    }

    @Test func referenceWriterFileLoadsAndMatchesPyTorchOutputs() throws {
        let network = try Network.load(from: fixture("checkpoint_torch_small_cnn.safetensors"))
        #expect(network.spec == ModelSpec(family: .smallCNN, cfg: [2, 3, 2], inputShape: [1, 8, 8], classCount: 3))
        let mask = try #require(network.parameters.first { $0.name == "conv2.weight" }?.mask)
        #expect(mask.values.filter { $0 == 0 }.count == 18) // every third of the 3·2·3·3 = 54 entries
        let pair = try SafeTensorsFile.read(from: fixture("checkpoint_torch_small_cnn.io.safetensors"))
        let output = network.forward(try #require(pair["input"]), training: false)
        let expected = try #require(pair["output"])
        #expect(output.shape == expected.shape)
        let difference = zip(output.values, expected.values).map { abs($0 - $1) }.max() ?? .infinity
        #expect(difference < 1e-5, "largest difference \(difference)")
    }
}
