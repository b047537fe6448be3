import Foundation
import Testing
import TestSupport
@testable import LabKit

/// What a slimming report says about its threshold: separated, missed a gap that is there, or no gap.
struct SeparationTextTests {
    /// A tiny VGG whose |γ| are set by `gamma(i)`, i counting the prunable channels across all layers.
    func network(gamma: (Int) -> Float) -> Network {
        let network = Network.vgg(depth: 11, widthMultiplier: 0.0625, inputShape: [1, 32, 32], classCount: 2, seed: 3)
        var index = 0
        for group in network.channelGroups {
            let weight = group.batchNorm!.weight.value
            for position in group.batchNormPositions {
                weight.data[position] = gamma(index)
                index += 1
            }
        }
        return network
    }

    func sentence(removing percent: Double, of network: Network) throws -> String {
        let folder = try temporaryFolder(prefix: "prunelab-separation")
        defer { try? FileManager.default.removeItem(at: folder) }
        let notebook = try Notebook(lab: "unit", title: "Unit", options: CommonOptions.parse(["--output-dir", folder.path, "--quiet"]))
        notebook.describeSeparation(try PruningPlan.globalPercentile(percent, for: network, criterion: .batchNormScale), of: network)
        try notebook.finish()
        return try String(contentsOf: folder.appendingPathComponent("reports/unit.md"), encoding: .utf8)
    }

    @Test func aThresholdInsideTheNearZeroGroupSaysWhichFractionsWouldFallInTheGap() throws {
        // Four channels in five near zero, the fifth large: sparsity training separated them.
        let separatedFactors = network { $0 % 5 == 0 ? 0.3 + Float($0) * 1e-3 : 1e-6 * (1 + Float($0) / 1000) }
        let missed = try sentence(removing: 0.4, of: separatedFactors)
        #expect(missed.contains("the threshold missed the gap"), "\(missed)")
        #expect(missed.contains("this run removed 40 %"))
        #expect(!missed.contains("did not separate"))
        let inTheGap = try sentence(removing: 0.7, of: separatedFactors)
        #expect(inTheGap.contains("sparsity training did its job"), "\(inTheGap)")
        // One peak: no fraction separates, and the report says sparsity training did not.
        let onePeak = try sentence(removing: 0.4, of: network { 0.18 + Float($0) * 1e-4 })
        #expect(onePeak.contains("sparsity training did not separate the channels"), "\(onePeak)")
    }

    @Test func aTinySeparationShowsItsFirstDigitsInsteadOfReadingAsZero() {
        #expect(0.39.separationText == "0.390")
        #expect(0.05.separationText == "0.050")
        #expect(0.001.separationText == "0.001")
        #expect(0.00099.separationText == "0.00099")
        #expect(0.000024.separationText == "0.000024")
        #expect(0.0.separationText == "0.000")
    }
}
