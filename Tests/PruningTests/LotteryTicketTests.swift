import Networks
import Tensors
import Testing
@testable import Pruning

@Suite struct LotteryTicketTests {
    /// A small VGG, its ticket, and the network after a few real SGD steps (weights, BN
    /// statistics and all changed), as after a round of training.
    private func trainedTicket(seed: UInt64, scope: PruningScope = .global) -> (Network, LotteryTicket, [Tensor]) {
        let network = smallVGG(seed: seed)
        let ticket = LotteryTicket(initial: network, scope: scope)
        let initial = network.state.map { $0.value.copy() }
        takeSGDSteps(network, SGD(parameters: network.parameters, learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4),
                     steps: 3)
        return (network, ticket, initial)
    }

    @Test func rewindRestoresTheInitialValuesOfKeptWeightsBitForBit() {
        var (network, ticket, initial) = trainedTicket(seed: 11)
        let trained = MagnitudePruning.prunableWeights(of: network, layers: .convolutions).map { $0.value.copy() }
        // Non-vacuous: training changed every parameter tensor and the BN running statistics.
        for (parameter, start) in zip(network.state, initial) { #expect(parameter.value.values != start.values) }

        ticket.pruneRound(network: network, fraction: 0.2)
        ticket.rewind(network)

        let weights = MagnitudePruning.prunableWeights(of: network, layers: .convolutions)
        var largestPruned: Float = 0, smallestKept = Float.infinity, kept = 0
        for (parameter, start) in zip(network.state, initial) {
            guard let index = weights.firstIndex(where: { $0 === parameter }) else {
                // Not pruned (BN γ, β, running statistics, the classifier): back to θ₀ exactly.
                #expect(parameter.value.values.map(\.bitPattern) == start.values.map(\.bitPattern))
                continue
            }
            let mask = parameter.mask!
            #expect(mask.values == ticket.masks[index].values)
            for i in 0..<mask.count {
                if mask[flat: i] == 0 {
                    #expect(parameter.value[flat: i] == 0)   // +0 or −0 (w·0 of a negative w)
                    largestPruned = max(largestPruned, abs(trained[index][flat: i]))
                } else {
                    #expect(parameter.value[flat: i].bitPattern == start[flat: i].bitPattern)
                    smallestKept = min(smallestKept, abs(trained[index][flat: i]))
                    kept += 1
                }
            }
        }
        // The mask came from the trained magnitudes, with one threshold over all convs.
        #expect(largestPruned <= smallestKept)
        #expect(kept == ticket.remainingCount)
        #expect(ticket.totalCount - kept == Int(0.2 * Double(ticket.totalCount) + 1e-9))
        #expect(network.parameters.first { $0.name == "classifier.weight" }!.mask == nil)
    }

    @Test func randomReinitKeepsTheMaskOnOtherValues() {
        var (network, ticket, initial) = trainedTicket(seed: 12)
        ticket.pruneRound(network: network, fraction: 0.5)
        let control = network.clone()
        ticket.randomReinit(control, seed: 77)
        let fresh = network.reinitialized(seed: 77)
        let scaled = network.clone()
        ticket.randomReinit(scaled, seed: 77, initialisation: .densityScaled)
        let weights = MagnitudePruning.prunableWeights(of: control, layers: .convolutions)
        let scaledWeights = MagnitudePruning.prunableWeights(of: scaled, layers: .convolutions)
        let stateIndex = { (p: Parameter) in control.state.firstIndex { $0 === p }! }
        var keptEqualToInitial = 0, keptEqualToScaled = 0, kept = 0
        for (index, (weight, scaledWeight)) in zip(weights, scaledWeights).enumerated() {
            let start = initial[stateIndex(weight)], drawn = fresh.state[stateIndex(weight)].value
            #expect(weight.mask!.values == ticket.masks[index].values)
            #expect(scaledWeight.mask!.values == ticket.masks[index].values)
            for i in 0..<weight.value.count {
                if ticket.masks[index][flat: i] == 0 {
                    #expect(weight.value[flat: i] == 0 && scaledWeight.value[flat: i] == 0)
                } else {
                    kept += 1
                    #expect(weight.value[flat: i] == drawn[flat: i])   // the model's initialiser, seed 77
                    if weight.value[flat: i] == start[flat: i] { keptEqualToInitial += 1 }
                    if weight.value[flat: i] == scaledWeight.value[flat: i] { keptEqualToScaled += 1 }
                }
            }
        }
        #expect(kept == ticket.remainingCount && kept > 0)
        #expect(keptEqualToInitial == 0)   // the control is not the ticket
        #expect(keptEqualToScaled == 0)
        // The ticket itself is unchanged by making controls.
        let rewound = network.clone()
        ticket.rewind(rewound)
        for (weight, index) in zip(MagnitudePruning.prunableWeights(of: rewound, layers: .convolutions), 0...) {
            let start = initial[stateIndex(weights[index])]
            for i in 0..<start.count where ticket.masks[index][flat: i] != 0 { #expect(weight.value[flat: i] == start[flat: i]) }
        }
    }

    @Test(arguments: [PruningScope.global, .layerwise])
    func iterativeRoundsPruneTheFractionOfTheRemainingWeights(scope: PruningScope) {
        var (network, ticket, _) = trainedTicket(seed: 13, scope: scope)
        var remaining = ticket.masks.map { $0.count }
        var previous = ticket.masks.map { $0.copy() }
        for round in 1...4 {
            let report = ticket.pruneRound(network: network, fraction: 0.2)
            if scope == .global {
                let total = remaining.reduce(0, +)
                #expect(ticket.remainingCount == total - Int(0.2 * Double(total) + 1e-9))
                remaining = ticket.masks.map { Int($0.sum()) }
            } else {
                remaining = remaining.map { $0 - Int(0.2 * Double($0) + 1e-9) }
                #expect(ticket.masks.map { Int($0.sum()) } == remaining)
            }
            #expect(report.totalCount - report.prunedCount == ticket.remainingCount)
            #expect(ticket.rounds == round)
            // Pruned stays pruned.
            for (mask, old) in zip(ticket.masks, previous) {
                for i in 0..<mask.count where old[flat: i] == 0 { #expect(mask[flat: i] == 0) }
            }
            previous = ticket.masks.map { $0.copy() }
            ticket.rewind(network)
            takeSGDSteps(network, SGD(parameters: network.parameters, learningRate: 0.05, momentum: 0.9), steps: 1,
                         seed: UInt64(100 * round))
        }
        // (1 − 0.2)⁴ ≈ 41 % left.
        #expect(abs(ticket.sparsity - (1 - 0.8 * 0.8 * 0.8 * 0.8)) < 1e-3)
    }
}
