import Networks
import NetworkTestSupport
import Tensors
import Testing
@testable import Pruning

/// Random images with cyclic labels, served in order (shuffled with a seed): enough to run `Trainer.fit`.
private final class RandomBatches: BatchSource {
    let inputs: Tensor
    let labels: [Int]
    let sampleShape: [Int]
    let classCount: Int
    var sampleCount: Int { labels.count }

    init(count: Int, sampleShape: [Int], classCount: Int, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        inputs = .uniform([count] + sampleShape, low: -1, high: 1, using: &rng)
        labels = (0..<count).map { $0 % classCount }
        self.sampleShape = sampleShape
        self.classCount = classCount
    }

    func forEachBatch(size: Int, shuffleSeed: UInt64?, augment: Bool, _ body: (Batch) throws -> Void) rethrows {
        var order = Array(0..<sampleCount)
        if let shuffleSeed { var rng = SeededGenerator(seed: shuffleSeed); order = rng.permutation(sampleCount) }
        let features = sampleShape.reduce(1, *)
        for start in stride(from: 0, to: sampleCount, by: size) {
            let rows = order[start..<min(start + size, sampleCount)]
            let batch = Tensor(shape: [rows.count] + sampleShape)
            for (row, index) in rows.enumerated() {
                (batch.data + row * features).update(from: inputs.data + index * features, count: features)
            }
            try body(Batch(inputs: batch, labels: rows.map { labels[$0] }))
        }
    }
}

/// Indices of the all-zero rows (filters) of a conv weight.
private func zeroRows(of weight: Parameter) -> [Int] {
    FilterL2Norm.rowNorms(of: weight.value).indices.filter { FilterL2Norm.rowNorms(of: weight.value)[$0] == 0 }
}

private func convolutions(of network: Network) -> [Conv2d] { network.body.allLayers.compactMap { $0 as? Conv2d } }

/// A ResNet-8 at ¼ width (stages of 4, 8, 16 channels, one block each).
private func smallResNet(seed: UInt64) -> Network { .resnet(depth: 8, widthMultiplier: 0.25, seed: seed) }

@Suite struct SoftFilterPruningTests {
    @Test func zeroedCountIsTheFloorAsTheReference() {
        let sfp = SoftFilterPruning(ratio: 0.3)
        // int(n * (1 - 0.7)) of the reference: 8 → 2, 10 → 3, 16 → 4, 64 → 19 (PruningPlan.ratio removes ⌈n·0.3⌉).
        #expect([8, 10, 16, 64, 1].map(sfp.zeroedCount(of:)) == [2, 3, 4, 19, 0])
        #expect(SoftFilterPruning(ratio: 0.99).zeroedCount(of: 4) == 3)
        #expect([0, 1, 2, 3, 4, 5].map { SoftFilterPruning(ratio: 0.3, interval: 3).zeroes(afterEpoch: $0, of: 6) }
                == [true, false, false, true, false, true])
    }

    @Test(arguments: ["vgg", "small-cnn"])
    func zeroesTheLowestL2NormFiltersOfEachConvolution(model: String) {
        let network = model == "vgg" ? smallVGG(seed: 21) : Network.smallCNN(cfg: [8, 10, 16], seed: 21)
        let sfp = SoftFilterPruning(ratio: 0.3)
        let norms = convolutions(of: network).map { FilterL2Norm.rowNorms(of: $0.weight.value) }
        let batchNorms = network.batchNorms.flatMap { [$0.weight.value.copy(), $0.bias.value.copy()] }
        let plan = sfp.zeroFilters(in: network)
        #expect(plan.keptPositions.count == network.channelGroups.count)
        for (conv, before) in zip(convolutions(of: network), norms) {
            let zeroed = zeroRows(of: conv.weight)
            #expect(zeroed.count == sfp.zeroedCount(of: before.count) && !zeroed.isEmpty)
            let kept = before.indices.filter { !zeroed.contains($0) }
            #expect(zeroed.map { before[$0] }.max()! <= kept.map { before[$0] }.min()!)
            if let bias = conv.bias { for i in zeroed { #expect(bias.value[i] == 0) } }
            let group = network.channelGroups.first { $0.producer === conv.weight }!
            #expect(plan.keptPositions[group.name] == kept)
            #expect(plan.removedPositions(of: group.name) == zeroed)
        }
        // The BatchNorms are not touched (as the reference).
        #expect(network.batchNorms.flatMap { [$0.weight.value, $0.bias.value] }.map(\.values) == batchNorms.map(\.values))
        // Zeroing again right away chooses the same filters and changes nothing.
        let after = network.parameters.map { $0.value.copy() }
        #expect(sfp.zeroFilters(in: network) == plan)
        #expect(network.parameters.map(\.value.values) == after.map(\.values))
    }

    /// No mask: one SGD step on a batch gives every zeroed filter non-zero weights again, in
    /// the middle of training through the optimiser's momentum, and through the gradient
    /// wherever the channel passes something on (β > 0 before the ReLU, or a residual sum).
    /// A zero filter makes its BatchNorm output β exactly (batch statistics of zeros), so with
    /// β = 0 before a ReLU and no momentum it gets no gradient: the "dead" case stays zero.
    @Test(arguments: ["vgg", "resnet"], ["momentum", "gradient", "dead"])
    func zeroedFiltersGrowBackAfterAnSGDStep(model: String, mechanism: String) {
        let network = model == "vgg" ? smallVGG(seed: 22) : smallResNet(seed: 22)
        let optimizer = SGD(parameters: network.parameters, learningRate: 0.05, momentum: mechanism == "momentum" ? 0.9 : 0,
                            weightDecay: 5e-4)
        if mechanism == "momentum" { takeSGDSteps(network, optimizer, steps: 2) }   // mid-training: buffers filled
        if mechanism == "gradient" { for norm in network.batchNorms { norm.bias.value.fill(0.1) } }
        let sfp = SoftFilterPruning(ratio: 0.5, layers: .allConvolutions)
        sfp.zeroFilters(in: network)
        let zeroed = convolutions(of: network).map { zeroRows(of: $0.weight) }
        #expect(zeroed.allSatisfy { !$0.isEmpty })
        takeSGDSteps(network, optimizer, steps: 1, seed: 90)
        var grown = 0, dead = 0
        for (conv, rows) in zip(convolutions(of: network), zeroed) {
            let norms = FilterL2Norm.rowNorms(of: conv.weight.value)
            // A block's conv2 feeds the residual sum: its channel lives on where the shortcut
            // brings something (not where the zero-padding shortcut or a zeroed stem brings 0).
            let isResidual = conv.weight.name.hasSuffix("conv2.weight")
            for row in rows {
                if mechanism == "dead" {
                    guard !isResidual else { continue }
                    #expect(norms[row] == 0, "filter \(row) of \(conv.weight.name) grew without momentum or gradient")
                    dead += 1
                } else {
                    #expect(norms[row] > 0, "filter \(row) of \(conv.weight.name) stayed zero")
                    grown += 1
                }
            }
        }
        #expect(mechanism == "dead" ? dead > 0 : grown == zeroed.map(\.count).reduce(0, +))
    }

    @Test(arguments: ["vgg", "small-cnn", "resnet", "resnet-all-convolutions"])
    func hardPruneEqualsTheSoftModelWithItsChannelsSilenced(model: String) throws {
        let network: Network
        switch model {
        case "vgg": network = smallVGG(seed: 23)
        case "small-cnn": network = .smallCNN(cfg: [8, 10, 16], seed: 23)
        default: network = smallResNet(seed: 23)
        }
        var rng = SeededGenerator(seed: 24)
        randomizeStatistics(of: network.batchNorms, rng: &rng)
        let original = network.clone()
        let sfp = SoftFilterPruning(ratio: 0.5, layers: model == "resnet-all-convolutions" ? .allConvolutions : .channelGroups)
        let plan = sfp.zeroFilters(in: network)
        let softAsTrained = network.clone()               // BatchNorms untouched, as during training
        try zeroRemovedChannels(plan, in: network)        // the removed channels' γ, β too: the masked twin
        let hard = softAsTrained.clone()
        #expect(try sfp.prune(hard) == plan)
        let input = sampleInput(for: network)
        #expect(outputDifference(network, hard, input: input) < 1e-5)
        #expect(hard.parameterCount < network.parameterCount)
        for group in hard.channelGroups {
            let count = plan.originalCounts[group.name]!
            #expect(group.channelCount == count - sfp.zeroedCount(of: count))
            // The plan removes exactly the zeroed filters: none is left in a group's producer.
            #expect(plan.removedPositions(of: group.name) == zeroRows(of: softAsTrained.channelGroups.first { $0.name == group.name }!.producer!))
            #expect(zeroRows(of: group.producer!).isEmpty)
        }
        // Non-vacuous: the zeroed filters mattered, and (with BatchNorm) so did their β.
        #expect(outputDifference(original, hard, input: input) > 1e-3)
        if model != "small-cnn" { #expect(outputDifference(softAsTrained, hard, input: input) > 1e-3) }
        if model.hasPrefix("resnet") {
            // Only the blocks' inner channels are removed; with `.allConvolutions` the stem's and
            // the conv2s' zero filters stay in the pruned model.
            #expect(hard.cfg == [2, 4, 8])
            let outside = convolutions(of: hard).filter { conv in !hard.channelGroups.contains { $0.producer === conv.weight } }
            #expect(outside.count == 4)
            for conv in outside {
                #expect(zeroRows(of: conv.weight).count == (model == "resnet" ? 0 : sfp.zeroedCount(of: conv.outChannels)))
            }
        }
    }

    @Test func trainerHookZeroesAfterTheLastStepBeforeTheEvaluation() throws {
        let network = Network.smallCNN(cfg: [4, 6, 8], inputShape: [1, 8, 8], classCount: 3, seed: 25)
        let data = RandomBatches(count: 24, sampleShape: [1, 8, 8], classCount: 3, seed: 26)
        let sfp = SoftFilterPruning(ratio: 0.5, interval: 2)
        let hook = sfp.endOfEpochHook(epochs: 3)
        var calls: [Int] = [], lossBefore: [Float] = [], lossAfter: [Float] = []
        var trainer = Trainer(label: "sfp", progress: ProgressPrinter(bar: false, silent: true))
        trainer.endOfEpoch = { network, epoch in
            calls.append(epoch)
            lossBefore.append(Trainer.evaluate(network, on: data).loss)
            hook(network, epoch)
            lossAfter.append(Trainer.evaluate(network, on: data).loss)
        }
        let history = try trainer.fit(network, train: data, test: data,
                                      config: TrainingConfig(epochs: 3, batchSize: 8, learningRate: 0.05))
        #expect(calls == [0, 1, 2])
        // Interval 2: zeroes after epochs 1 and 3 (indices 0 and 2, the last), not after epoch 2.
        #expect(lossBefore[0] != lossAfter[0] && lossBefore[2] != lossAfter[2])
        #expect(lossBefore[1] == lossAfter[1])
        // The epoch's evaluation saw the zeroed network.
        #expect(history.map(\.testLoss) == lossAfter)
        for conv in convolutions(of: network) { #expect(zeroRows(of: conv.weight).count == conv.outChannels / 2) }
        // The hard prune after training removes the last epoch's zeroed filters.
        let soft = network.clone()
        let plan = try sfp.prune(network)
        try zeroRemovedChannels(plan, in: soft)
        #expect(network.cfg == [2, 3, 4])
        #expect(outputDifference(soft, network, input: sampleInput(for: network)) < 1e-5)
    }
}
