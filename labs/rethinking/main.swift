// lab-rethinking: Liu et al., "Rethinking the Value of Network Pruning" (ICLR 2019), on
// Fashion-MNIST. For each pruning method, the pruned network as the method delivers it
// (fine-tuned) against the same architecture trained from scratch for the unpruned network's
// epochs (scratch-E) and for its compute (scratch-B); then the lottery ticket hypothesis at two
// learning rates. Each section is one of the paper's comparisons, as its reference code
// (Eric-mingjie/rethinking-network-pruning, cifar/) runs it. The options and presets are in
// Options.swift, every sentence of the report in Text.swift.
import LabKit

let options = Options.parseOrExit()
let recipe = Recipe(options)
let seed = options.common.seed
let text = LabText(language: options.common.lang)
let methods = recipe.methods

runLab(lab: "rethinking", title: text.title, options: options.common) { notebook in
    notebook.prose(text.intro)
    notebook.prose(text.budgets)
    notebook.equation("E_B = \\max\\Big(E,\\ \\Big\\lfloor E \\cdot \\frac{\\mathrm{MACs}(\\text{unpruned})}"
                      + "{\\mathrm{MACs}(\\text{pruned})} \\Big\\rfloor\\Big)")

    // MARK: Setup
    notebook.section(text.common.setup)
    let full = options.common.preset == .full
    let data = try notebook.loadData(defaultKind: full ? .cifar10 : .fashionMNIST, pad32: true,
                                     trainLimit: recipe.trainLimit, testLimit: nil, modelInput: nil)
    let testImages = data.test.sampleCount
    // The training of every network trained from scratch (baselines, sparsity training, scratch-E/B, tickets).
    let config = TrainingConfig(epochs: recipe.epochs, batchSize: recipe.batchSize, learningRate: recipe.learningRate,
                                momentum: 0.9, weightDecay: 1e-4, schedule: .slimming, augment: recipe.augment, seed: seed)
    func makeVGG(_ depth: Int, seed: UInt64) -> Network {
        .vgg(depth: depth, widthMultiplier: recipe.width, inputShape: data.train.sampleShape, seed: seed)
    }
    notebook.prose(text.setup(dataset: data.kind.rawValue, train: data.train.sampleCount, test: testImages,
                              shape: data.train.sampleShape, subset: recipe.trainLimit != nil, augment: recipe.augment,
                              epochs: recipe.epochs, learningRate: recipe.learningRate, batch: recipe.batchSize,
                              resnet: methods.contains(.sfp) && recipe.trainsResNetOwnWay
                                  ? (recipe.resnetConfig(config), recipe.resnetTrainLimit ?? data.train.sampleCount) : nil))
    notebook.prose(text.sectionsRun(methods, lotteryOnVGG: recipe.lotteryOnVGG, preset: options.common.preset.rawValue))
    notebook.metric("methods", methods.map(\.rawValue))

    // THE table, the three bars of each method, and our rows beside the published ones.
    var rows: [[SeedTableCell]] = []
    func row(method: String, model: String, unpruned: String, fineTuned: String, scratch: ScratchResults,
             claim: String) -> [SeedTableCell] {
        [.text(method), .text(model), .accuracy(unpruned), .accuracy(fineTuned), .accuracy(scratch.scratchEKey),
         .accuracy(scratch.scratchBKey), .text(claim), .verdict(scratch.scratchBKey, minus: fineTuned, .matchesOrBeats)]
    }
    var bars: [(method: String, keys: [String?])] = []
    var ours: [OurResult] = []
    var differences: [(aspect: String, paper: String, ours: String)] = []

    // MARK: The unpruned VGG
    // One baseline per depth, from the run's seed: L1-norm and weight-level pruning prune it,
    // slimming starts from its initialisation, and the lottery's first ticket is its mask.
    var baselines: [Int: (network: Network, accuracy: Float)] = [:]
    func baselineKey(_ depth: Int) -> String { "vgg\(depth)_baseline" }
    let vggMethods = methods.filter { $0 != .sfp && ($0 != .lottery || recipe.lotteryOnVGG) }
    if !vggMethods.isEmpty { notebook.section(text.baselineSection) }
    for depth in Set(vggMethods.map(recipe.vggDepth)).sorted() {
        let baseline = makeVGG(depth, seed: seed)
        if depth == vggMethods.map(recipe.vggDepth).first { notebook.code(baseline.summary()) }
        let accuracy = try notebook.trainBaseline(text.baselineStage(depth: depth), baseline, key: baselineKey(depth),
            label: text.vggBaseline(depth: depth), make: { makeVGG(depth, seed: seed) }, on: data, config: config)
        baselines[depth] = (baseline, accuracy)
    }

    // MARK: 1. L1-norm filter pruning (Li et al., ICLR 2017)
    if methods.contains(.l1) {
        notebook.section(text.l1Section)
        let depth = recipe.vggDepth(.l1)
        let (baseline, baselineAccuracy) = baselines[depth]!
        // Li et al.'s VGG-16 "pruned-A": conv1 and every conv of the two 512-wide stages (conv8–conv13) lose half
        // their filters, those of smallest Σ|W|; on other depths the same rule (conv1 and the convs of the widest width).
        let widest = baseline.channelGroups.map(\.channelCount).max()!
        let halved = baseline.channelGroups.filter { $0.cfgIndex == 0 || $0.channelCount == widest }
        let plan = try PruningPlan.ratios(Dictionary(uniqueKeysWithValues: halved.map { ($0.name, 0.5) }), for: baseline,
                                          criterion: .filterL1Norm)
        notebook.prose(text.l1Method(depth: depth, layers: halved.map { "conv\($0.cfgIndex! + 1)" }))
        let pruned = baseline.clone()
        try applySurgery(plan, to: pruned)
        let prunedAccuracy = notebook.evaluate("l1_pruned", pruned, on: data, label: text.l1Pruned)
        notebook.explainPruningDrop(before: baselineAccuracy, after: prunedAccuracy, criterion: .filterL1Norm)
        // Fine-tuning as main_finetune.py: a hundredth of the training rate, constant, for a quarter of the epochs.
        let fineTune = Protocols.l1FineTuning(after: config, epochs: recipe.fineTuneEpochs)
        notebook.prose(text.l1Protocol(fineTuneEpochs: fineTune.epochs, rate: fineTune.learningRate, epochs: config.epochs))
        try notebook.train(text.l1FineTuneStage, pruned, on: data, config: fineTune)
        let fineTuned = notebook.evaluate("l1_finetuned", pruned, on: data, label: text.l1FineTuned)
        let baselineMACs = ModelCost(baseline).multiplyAccumulates
        let scratch = try notebook.scratchBaselines(pruned, baselineMACs: baselineMACs, on: data, config: config,
                                                    seed: seed &+ 11, run: true, cap: recipe.scratchBCap, prefix: text.l1Prefix,
                                                    baselineTraining: notebook.trainingHistory(text.baselineStage(depth: depth)))!
        notebook.prose(text.l1Result(pruned: prunedAccuracy, fineTuned: fineTuned, scratch: scratch,
                                     macs: Double(ModelCost(pruned).multiplyAccumulates) / Double(baselineMACs)) + scratch.overfittingSentence)
        let model = text.model(depth: depth, width: recipe.width, kept: savingText(from: baseline, to: pruned, text.language))
        rows.append(row(method: text.l1Name, model: model, unpruned: baselineKey(depth),
                             fineTuned: "l1_finetuned", scratch: scratch, claim: text.l1Claim))
        bars.append((text.l1Short, ["l1_finetuned", scratch.scratchEKey, scratch.scratchBKey]))
        notebook.compare(text.scratchBMinusFineTuned(text.l1Name), scratch.scratchBKey, minus: "l1_finetuned",
                         budgets: text.budgets(fineTuned: "\(config.epochs) + \(fineTune.epochs)", scratchB: scratch.scratchBEpochs))
        ours.append(OurResult(setup: text.ourSetup(depth: depth, width: recipe.width, dataset: data.kind.rawValue,
                                                   epochs: config.epochs),
                              pruning: text.l1Pruning, baseline: baselineAccuracy, pruned: fineTuned,
                              saving: savingText(from: baseline, to: pruned, text.language)))
        differences.append((text.l1Name, text.paperL1, text.ourL1(depth: depth, fineTune: fineTune.epochs)))
    }

    // MARK: 2. Network slimming (Liu et al., ICCV 2017)
    if methods.contains(.slimming) {
        notebook.section(text.slimmingSection)
        let depth = recipe.vggDepth(.slimming)
        let (baseline, baselineAccuracy) = baselines[depth]!
        notebook.prose(text.slimmingMethod(sparsity: recipe.sparsity, percent: options.slimmingPercent.wholePercentText))
        // Sparsity training from the baseline's initialisation: after every backward pass, ∂L/∂γ += s·sign(γ).
        let slim = makeVGG(depth, seed: seed)
        try notebook.train(text.common.sparsityStage, slim, on: data, config: config,
                           penalty: BatchNormL1Penalty(strength: Float(recipe.sparsity)))
        let sparse = notebook.evaluate("slimming_sparsity_trained", slim, on: data, label: text.common.sparsityTrained)
        // One global threshold on |γ| (vggprune.py), then the compact network from the survivors;
        // the report says whether sparsity training separated the channels the threshold removes.
        let (_, pruned, prunedAccuracy) = try notebook.pruneBySlimming(slim, percent: options.slimmingPercent,
                                                                       sparseAccuracy: sparse, on: data,
                                                                       key: "slimming_pruned", label: text.slimmingPruned)
        // Fine-tuning as main_finetune.py (--refine): the training schedule and rate, for the training epochs.
        let fineTune = Protocols.slimmingFineTuning(after: config, epochs: recipe.fineTuneEpochs)
        notebook.prose(text.slimmingProtocol(fineTuneEpochs: fineTune.epochs))
        try notebook.train(text.common.fineTuneStage, pruned, on: data, config: fineTune)
        let fineTuned = notebook.evaluate("slimming_finetuned", pruned, on: data, label: text.slimmingFineTuned)
        let baselineMACs = ModelCost(baseline).multiplyAccumulates
        let scratch = try notebook.scratchBaselines(pruned, baselineMACs: baselineMACs, on: data, config: config,
                                                    seed: seed &+ 12, run: true, cap: recipe.scratchBCap,
                                                    prefix: text.slimmingPrefix,
                                                    baselineTraining: notebook.trainingHistory(text.baselineStage(depth: depth)))!
        notebook.prose(text.slimmingResult(sparse: sparse, pruned: prunedAccuracy, fineTuned: fineTuned, scratch: scratch,
                                           cfg: pruned.cfg) + scratch.overfittingSentence)
        let model = text.model(depth: depth, width: recipe.width, kept: savingText(from: baseline, to: pruned, text.language))
        rows.append(row(method: text.slimmingName, model: model, unpruned: baselineKey(depth),
                             fineTuned: "slimming_finetuned", scratch: scratch, claim: text.slimmingClaim))
        bars.append((text.slimmingShort, ["slimming_finetuned", scratch.scratchEKey, scratch.scratchBKey]))
        notebook.compare(text.scratchBMinusFineTuned(text.slimmingName), scratch.scratchBKey, minus: "slimming_finetuned",
                         budgets: text.budgets(fineTuned: "\(config.epochs) + \(fineTune.epochs)", scratchB: scratch.scratchBEpochs))
        ours.append(OurResult(setup: text.ourSetup(depth: depth, width: recipe.width, dataset: data.kind.rawValue,
                                                   epochs: config.epochs),
                              pruning: text.common.channelsBySlimming(options.slimmingPercent.wholePercentText),
                              baseline: baselineAccuracy, pruned: fineTuned,
                              saving: savingText(from: baseline, to: pruned, text.language)))
        differences.append((text.slimmingName, text.paperSlimming,
                            text.ourSlimming(depth: depth, sparsity: recipe.sparsity, epochs: config.epochs)))
    }

    // MARK: 3. Weight-level magnitude pruning (Han et al., NeurIPS 2015)
    if methods.contains(.weightLevel) {
        notebook.section(text.weightLevelSection)
        let depth = recipe.vggDepth(.weightLevel)
        let (baseline, baselineAccuracy) = baselines[depth]!
        notebook.prose(text.weightLevelMethod(percent: options.weightPercent.wholePercentText))
        // cifar_prune.py: one threshold on |w| over every conv weight; the masks stay on the parameters.
        let pruned = baseline.clone()
        let report = MagnitudePruning.prune(pruned, sparsity: options.weightPercent, scope: .global, layers: .convolutions)
        let prunedAccuracy = notebook.evaluate("weight_level_pruned", pruned, on: data, label: text.weightLevelPruned)
        // cifar_finetune.py: 40 epochs at 0.001 after 160 at 0.1, masked: a quarter of the epochs at a hundredth of the rate.
        let fineTune = Protocols.weightLevelFineTuning(after: config, epochs: recipe.fineTuneEpochs)
        notebook.prose(text.weightLevelProtocol(fineTuneEpochs: fineTune.epochs, rate: fineTune.learningRate))
        try notebook.train(text.weightLevelFineTuneStage, pruned, on: data, config: fineTune)
        let fineTuned = notebook.evaluate("weight_level_finetuned", pruned, on: data, label: text.weightLevelFineTuned)
        // Scratch-E and scratch-B keep the same masks on a fresh, density-scaled initialisation (cifar_E.py, cifar_B.py);
        // scratch-B's compute counts only the weights the masks keep (count_flops.py).
        let denseMACs = ModelCost(baseline).multiplyAccumulates
        let keptMACs = Protocols.nonzeroMultiplyAccumulates(of: pruned)
        let scratchRule = text.weightLevelScratchRule(kept: Double(keptMACs) / Double(denseMACs), baselineEpochs: config.epochs,
                                                      epochs: Protocols.weightLevelScratchBEpochs(
                                                          baselineEpochs: config.epochs, dense: baseline, pruned: pruned).uncapped)
        let scratch = try notebook.scratchBaselines(pruned, baselineMACs: denseMACs, on: data, config: config,
                                                    seed: seed &+ 13, run: true, cap: recipe.scratchBCap,
                                                    prefix: text.weightLevelPrefix, prunedMACs: keptMACs,
                                                    fresh: { MagnitudePruning.scratch(from: pruned, seed: $0) },
                                                    baselineTraining: notebook.trainingHistory(text.baselineStage(depth: depth)),
                                                    protocolProse: scratchRule)!
        notebook.prose(text.weightLevelResult(sparsity: report.overallSparsity, pruned: prunedAccuracy, fineTuned: fineTuned,
                                              scratch: scratch) + scratch.overfittingSentence)
        let kept = text.keptWeights(Double(keptMACs) / Double(denseMACs))
        rows.append(row(method: text.weightLevelName, model: text.model(depth: depth, width: recipe.width, kept: kept),
                             unpruned: baselineKey(depth), fineTuned: "weight_level_finetuned",
                             scratch: scratch, claim: text.weightLevelClaim))
        bars.append((text.weightLevelShort, ["weight_level_finetuned", scratch.scratchEKey, scratch.scratchBKey]))
        notebook.compare(text.scratchBMinusFineTuned(text.weightLevelName), scratch.scratchBKey, minus: "weight_level_finetuned",
                         budgets: text.budgets(fineTuned: "\(config.epochs) + \(fineTune.epochs)", scratchB: scratch.scratchBEpochs))
        ours.append(OurResult(setup: text.ourSetup(depth: depth, width: recipe.width, dataset: data.kind.rawValue,
                                                   epochs: config.epochs),
                              pruning: text.ofConvWeights(options.weightPercent.wholePercentText), baseline: baselineAccuracy,
                              pruned: fineTuned, saving: kept))
        differences.append((text.weightLevelName, text.paperWeightLevel,
                            text.ourWeightLevel(depth: depth, percent: options.weightPercent.wholePercentText,
                                                fineTune: fineTune.epochs)))
    }

    // MARK: 4. Soft filter pruning of ResNet (He et al., IJCAI 2018)
    if methods.contains(.sfp) {
        notebook.section(text.sfpSection(depth: recipe.resnetDepth))
        let resnetConfig = recipe.resnetConfig(config)
        // The ResNet trains on a stratified subset of its own where the preset gives it one.
        let resnetData = try recipe.resnetTrainLimit.map {
            try notebook.loadData(defaultKind: full ? .cifar10 : .fashionMNIST, pad32: true, trainLimit: $0, testLimit: nil,
                                  modelInput: nil)
        } ?? data
        func makeResNet(seed: UInt64) -> Network {
            .resnet(depth: recipe.resnetDepth, widthMultiplier: recipe.resnetWidth, inputShape: resnetData.train.sampleShape, seed: seed)
        }
        let sfp = SoftFilterPruning(ratio: options.sfpRatio)
        notebook.prose(text.sfpMethod(ratio: options.sfpRatio.wholePercentText))
        let resnet = makeResNet(seed: seed)
        let resnetAccuracy = try notebook.trainBaseline(text.resnetStage(depth: recipe.resnetDepth), resnet,
            key: "resnet_baseline", label: text.resnetBaseline, make: { makeResNet(seed: seed) }, on: resnetData, config: resnetConfig)
        // SFP from the same initialisation: zero the lowest-L2 filters before the first epoch and after every epoch;
        // the zeroed filters keep training and may grow back.
        let soft = makeResNet(seed: seed)
        let zeroedFirst = sfp.zeroFilters(in: soft)
        try notebook.train(text.sfpStage, soft, on: resnetData, config: resnetConfig,
                           endOfEpoch: .softFilterPruning(sfp, epochs: resnetConfig.epochs))
        let softAccuracy = notebook.evaluate("sfp_soft", soft, on: resnetData, label: text.sfpSoft)
        // The hard prune: the filters zeroed last are removed with their channels.
        let pruned = soft.clone()
        let plan = try sfp.prune(pruned)
        let prunedAccuracy = notebook.evaluate("sfp_pruned", pruned, on: resnetData, label: text.sfpPruned)
        notebook.prose(text.sfpPrune(kept: plan.keptChannelCount, total: plan.originalChannelCount, soft: softAccuracy,
                                     pruned: prunedAccuracy))
        // Which of the filters zeroed at the end had been zeroed before the first epoch (and never grew back)?
        let stayed = plan.keptPositions.reduce(0) { total, group in
            let all = Set(0..<(plan.originalCounts[group.key] ?? 0))
            let first = all.subtracting(zeroedFirst.keptPositions[group.key] ?? [])
            return total + all.subtracting(group.value).intersection(first).count
        }
        notebook.metric("sfp_zeroed_at_init_and_end", stayed)
        notebook.prose(text.sfpRegrowth(stayed: stayed, zeroed: plan.originalChannelCount - plan.keptChannelCount))
        let baselineMACs = ModelCost(resnet).multiplyAccumulates
        let scratch = try notebook.scratchBaselines(pruned, baselineMACs: baselineMACs, on: resnetData, config: resnetConfig,
                                                    seed: seed &+ 14, run: true, cap: recipe.scratchBCap, prefix: text.sfpPrefix,
                                                    baselineTraining: notebook.trainingHistory(text.resnetStage(depth: recipe.resnetDepth)))!
        notebook.prose(text.sfpResult(soft: softAccuracy, scratch: scratch) + scratch.overfittingSentence)
        let model = text.resnetModel(depth: recipe.resnetDepth, width: recipe.resnetWidth,
                                     kept: savingText(from: resnet, to: pruned, text.language))
        rows.append(row(method: text.sfpName, model: model, unpruned: "resnet_baseline", fineTuned: "sfp_soft",
                             scratch: scratch, claim: text.sfpClaim))
        bars.append((text.sfpShort, ["sfp_soft", scratch.scratchEKey, scratch.scratchBKey]))
        notebook.compare(text.scratchBMinusFineTuned(text.sfpName), scratch.scratchBKey, minus: "sfp_soft",
                         budgets: text.budgets(fineTuned: "\(resnetConfig.epochs)", scratchB: scratch.scratchBEpochs))
        ours.append(OurResult(setup: text.resnetSetup(depth: recipe.resnetDepth, width: recipe.resnetWidth,
                                                      dataset: resnetData.kind.rawValue, epochs: resnetConfig.epochs),
                              pruning: text.sfpPruning(options.sfpRatio.wholePercentText), baseline: resnetAccuracy,
                              pruned: softAccuracy, saving: savingText(from: resnet, to: pruned, text.language)))
        differences.append((text.sfpName, text.paperSFP, text.ourSFP(own: recipe.sfpOwnRecipe, epochs: resnetConfig.epochs, batch: resnetConfig.batchSize)))
    }

    // MARK: 5. Lottery tickets (Frankle & Carbin, ICLR 2019)
    var lotteryRows: [[SeedTableCell]] = []
    if methods.contains(.lottery) {
        notebook.section(text.lotterySection)
        let fraction = options.lotteryPercent
        notebook.prose(text.lotteryMethod(percent: fraction.wholePercentText))
        notebook.equation("m_r = \\mathbb{1}\\big[|w_T^{(r-1)}| \\text{ among the largest } (1-p)^r\\big],\\quad "
                          + "\\theta^{(r)}_0 = m_r \\odot \\theta_0 \\ \\text{(winning ticket)}\\ \\text{or}\\ m_r \\odot "
                          + "\\theta'_0 \\ \\text{(random init)}")
        let rates = [("base", recipe.learningRate), ("tenth", recipe.learningRate / 10)]
        // Iterative magnitude pruning at one rate: train, prune p of the remaining weights, rewind, train again, …; each
        // round's mask also trains from a random initialisation. Returns the table's rows and the chart's keys.
        func lottery(_ prefix: String, name: String, rate: (id: String, value: Float), epochs: Int, rounds: Int,
                     make: () -> Network, data: LabData, scope: PruningScope, layers: WeightLayers,
                     dense reuse: Network?) throws -> [(round: Int, ticket: String, random: String)] {
            var lotteryConfig = config.fineTuning(epochs: epochs, learningRate: rate.value)
            if layers == .convolutionsAndLinear { lotteryConfig.augment = false }
            let network = make()
            var ticket = LotteryTicket(initial: network, scope: scope, layers: layers)  // θ₀, before any training
            let rateText = text.rate(rate.value)
            let denseKey = "\(prefix)_\(rate.id)_dense"
            if let reuse {
                // The dense network at the training rate for the training epochs is the unpruned baseline itself.
                for (target, source) in zip(network.state, reuse.state) { target.value.assign(source.value) }
                notebook.prose(text.denseIsBaseline)
            } else {
                try notebook.train(text.denseStage(name, rate: rateText), network, on: data, config: lotteryConfig)
            }
            let denseAccuracy = notebook.evaluate(denseKey, network, on: data, label: text.denseLabel(name, rate: rateText))
            lotteryRows.append([.text(name), .text(rateText), .text("0"), .text("100 %"), .accuracy(denseKey), .text("–"),
                                .text("–")])
            var keys: [(round: Int, ticket: String, random: String)] = []
            for round in 1...rounds {
                ticket.pruneRound(network: network, fraction: fraction)
                ticket.rewind(network)                      // the winning ticket: θ₀ on the kept weights
                let control = network.clone()
                ticket.randomReinit(control, seed: seed &+ 1000 &+ UInt64(round), initialisation: .densityScaled)
                let ticketKey = "\(prefix)_\(rate.id)_r\(round)_ticket", randomKey = "\(prefix)_\(rate.id)_r\(round)_random"
                try notebook.train(text.ticketStage(name, rate: rateText, round: round), network, on: data, config: lotteryConfig,
                                   describe: false, inTrainingCurves: false)
                let ticketAccuracy = notebook.evaluate(ticketKey, network, on: data,
                                                       label: text.ticketLabel(name, rate: rateText, round: round))
                try notebook.train(text.randomStage(name, rate: rateText, round: round), control, on: data, config: lotteryConfig,
                                   describe: false, inTrainingCurves: false)
                let randomAccuracy = notebook.evaluate(randomKey, control, on: data,
                                                       label: text.randomLabel(name, rate: rateText, round: round))
                let left = 1 - ticket.sparsity
                notebook.prose(text.roundResult(name, rate: rateText, round: round, left: left, ticket: ticketAccuracy,
                                                random: randomAccuracy))
                lotteryRows.append([.text(name), .text(rateText), .text("\(round)"), .text(String(format: "%.1f %%", 100 * left)),
                                    .accuracy(ticketKey), .accuracy(randomKey),
                                    .verdict(ticketKey, minus: randomKey, rate.id == "base" ? .noBetter : .beats)])
                keys.append((round, ticketKey, randomKey))
            }
            let last = keys.last!
            notebook.compare(text.ticketMinusRandom(name, rate: rateText, round: rounds), last.ticket, minus: last.random,
                             budgets: text.sameEpochs(epochs))
            if rate.id == "base" {
                // Beside the papers: the last winning ticket at the training rate against its dense network.
                ours.append(OurResult(setup: text.lotterySetup(name, rate: rateText, dataset: data.kind.rawValue, epochs: epochs),
                                      pruning: text.ticketPruning(ticket.sparsity, rounds: rounds), baseline: denseAccuracy,
                                      pruned: notebook.testAccuracy(network, on: data),
                                      saving: text.keptOfPrunable(1 - ticket.sparsity)))
            }
            return keys
        }

        var vggKeys: [(rate: String, keys: [(round: Int, ticket: String, random: String)])] = []
        if recipe.lotteryOnVGG {
            let depth = recipe.vggDepth(.lottery)
            notebook.prose(text.lotteryVGG(depth: depth, rounds: recipe.lotteryRounds, epochs: recipe.lotteryEpochs,
                                           rates: rates.map { text.rate($0.1) }))
            for rate in rates {
                let reusesBaseline = rate.1 == config.learningRate && recipe.lotteryEpochs == config.epochs
                let keys = try lottery("lottery", name: "VGG-\(depth)", rate: (rate.0, rate.1), epochs: recipe.lotteryEpochs,
                                       rounds: recipe.lotteryRounds, make: { makeVGG(depth, seed: seed) }, data: data,
                                       scope: .global, layers: .convolutions,
                                       dense: reusesBaseline ? baselines[depth]?.network : nil)
                vggKeys.append((text.rate(rate.1), keys))
            }
            differences.append((text.lotteryName, text.paperLottery,
                                text.ourLottery(depth: depth, rounds: recipe.lotteryRounds, percent: fraction.wholePercentText,
                                                epochs: recipe.lotteryEpochs)))
        } else {
            notebook.prose(text.lotteryVGGLeftOut(preset: options.common.preset.rawValue))
        }

        // LeNet-300-100, the hypothesis's first experiment: the MLP on the unpadded images, pruned over all its weights.
        notebook.prose(text.lotteryMLP(rounds: recipe.mlpRounds, epochs: recipe.mlpEpochs))
        let flat = try notebook.loadData(defaultKind: full ? .cifar10 : .fashionMNIST, pad32: false,
                                         trainLimit: recipe.trainLimit, testLimit: nil, modelInput: nil)
        var mlpKeys: [(rate: String, keys: [(round: Int, ticket: String, random: String)])] = []
        for rate in rates {
            let keys = try lottery("mlp", name: "MLP 300-100", rate: (rate.0, rate.1), epochs: recipe.mlpEpochs,
                                   rounds: recipe.mlpRounds,
                                   make: { .mlp(cfg: [300, 100, 10], inputShape: flat.train.sampleShape, seed: seed) }, data: flat,
                                   scope: .global, layers: .convolutionsAndLinear, dense: nil)
            mlpKeys.append((text.rate(rate.1), keys))
        }
        differences.append((text.mlpName, text.paperMLP, text.ourMLP(dataset: flat.kind.rawValue, rounds: recipe.mlpRounds, percent: fraction.wholePercentText,
                                                                  epochs: recipe.mlpEpochs)))

        notebook.seedTable("2-lottery", title: text.lotteryTableTitle, headers: text.lotteryHeaders, rows: lotteryRows,
                           testImages: testImages)
        notebook.prose(text.lotteryTableNote)
        for (name, label, keys) in [("tickets-vgg", "VGG-\(recipe.vggDepth(.lottery))", vggKeys), ("tickets-mlp", "MLP", mlpKeys)]
            where !keys.isEmpty {
            let categories = keys.flatMap { rate in
                rate.keys.map { text.roundCategory(rate: rate.rate, pruned: Protocols.lotterySparsity(afterRound: $0.round,
                                                                                                    fraction: fraction)) }
            }
            try notebook.seedBars(name, caption: text.lotteryCaption(label), title: text.lotteryChartTitle(label),
                                  categories: categories,
                                  series: [(text.winningTicket, keys.flatMap { $0.keys.map { $0.ticket } }),
                                           (text.randomInit, keys.flatMap { $0.keys.map { $0.random } })],
                                  width: max(800, 110 * categories.count + 200))
        }
        notebook.prose(text.lotteryConclusion)
    }

    // MARK: Results: the paper's table
    notebook.section(text.common.results)
    if !rows.isEmpty {
        notebook.prose(text.tableIntro)
        notebook.seedTable("1-rethinking", title: text.tableTitle, headers: text.tableHeaders, rows: rows, testImages: testImages)
        notebook.prose(text.verdictNote(testImages: testImages))
        let unconverged = notebook.convergenceChecks.filter { !$0.check.converged }
        if options.common.preset == .smoke || options.common.preset == .quick {
            notebook.prose(text.shortRunCaution(preset: options.common.preset.rawValue, epochs: config.epochs))
        } else if !unconverged.isEmpty {
            // The paper compares converged networks; here scratch-B's extra epochs also make up for short training.
            notebook.prose(text.unconvergedCaution(unconverged.map { ($0.name, $0.check) }))
        }
        try notebook.seedBars("rethinking-table", caption: text.barsCaption, title: text.barsTitle, categories: bars.map(\.method),
                              series: [(text.common.fineTuned, bars.map { $0.keys[0] }), (text.common.scratchE, bars.map { $0.keys[1] }),
                                       (text.common.scratchB, bars.map { $0.keys[2] })],
                              width: max(800, 220 * bars.count + 200))
        try notebook.trainingCurvesFigure(notebook.histories)
    }
    notebook.prose(text.closing(structured: !rows.isEmpty, lottery: methods.contains(.lottery)))

    // MARK: Beside the paper
    let published: [PublishedResult] = (methods.contains(.l1) ? [.l1VGG16] : [])
        + (methods.contains(.slimming) ? [.slimmingVGGPaper, .slimmingVGGCode] : [])
        + (methods.contains(.lottery) ? [.magnitudeLeNet300] : [])
    notebook.besideThePapers(published, ours: ours, differences: [
        (text.common.data, text.common.cifar10,
         text.common.paddedData(data.kind.rawValue, images: data.train.sampleCount, shape: data.train.sampleShape)),
        (text.common.training, text.paperTraining,
         text.common.training(epochs: config.epochs, learningRate: config.learningRate, batch: config.batchSize)),
    ] + differences + [text.common.runs(seed: seed, seedsMoveResults: false)])
    notebook.prose(text.rethinkingNumbers)
}
