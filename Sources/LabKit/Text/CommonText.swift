/// A lab's catalogue of sentences (`labs/<lab>/Text.swift`): the report's language, and the
/// words every lab shares.
public protocol LabCatalogue {
    var language: Language { get }
}

extension LabCatalogue {
    public var common: CommonText { CommonText(language) }
}

/// Words every lab's report uses (section titles, stage names, the rows of "beside the papers"
/// that each lab fills the same way), in English and Chinese side by side, so that no lab's
/// catalogue repeats them.
public struct CommonText: Sendable {
    public let language: Language

    public init(_ language: Language) { self.language = language }

    /// The accuracy axis of the labs' own charts, worded as LabKit's charts word it.
    public var testAccuracyAxis: String { ChartText(language: language).testAccuracyAxis }

    // MARK: Sections

    public var setup: String { language.pick(en: "Setup", zh: "实验设置") }
    public var results: String { language.pick(en: "Results", zh: "实验结果") }

    // MARK: Stages, as the accuracy charts and the study summaries name them

    public var baseline: String { language.pick(en: "baseline", zh: "基线") }
    public var pruned: String { language.pick(en: "pruned", zh: "剪枝后") }
    public var fineTuned: String { language.pick(en: "fine-tuned", zh: "微调后") }
    public var sparsityTrained: String { language.pick(en: "sparsity-trained", zh: "稀疏训练后") }
    public var kept: String { language.pick(en: "kept", zh: "保留") }
    public var slimming: String { language.pick(en: "slimming", zh: "网络瘦身") }
    public var l1Norm: String { language.pick(en: "L1 norm", zh: "L1 范数") }
    public var l1Pruned: String { language.pick(en: "L1 pruned", zh: "L1 剪枝后") }
    public var l1FineTuned: String { language.pick(en: "L1 fine-tuned", zh: "L1 微调后") }
    /// The stage names of the scratch baselines, the same in both languages (the paper's terms).
    public var scratchE: String { "scratch-E" }
    public var scratchB: String { "scratch-B" }

    // MARK: Training stages (their ids are the English names)

    public var baselineStage: Stage { Stage(en: "baseline", zh: "基线训练", language) }
    public var fineTuneStage: Stage { Stage(en: "fine-tune", zh: "微调", language) }
    public var sparsityStage: Stage { Stage(en: "sparsity training", zh: "稀疏训练", language) }

    // MARK: Captions and comparisons

    /// A closing sentence after a paragraph, if there is one: after a space in English, directly in Chinese.
    public func then(_ sentence: String?) -> String { sentence.map { language.pick(en: " ", zh: "") + $0 } ?? "" }

    public var accuracyStagesCaption: String { language.pick(en: "Test accuracy at each stage.", zh: "各阶段的测试准确率。") }

    /// The slimming labs' figures of |γ| per layer and of the method, for conv layers (VGG) or every prunable layer.
    public func gammaPerLayerCaption(prunable: Bool) -> String {
        language.pick(en: """
            |γ| of \(prunable ? "each prunable layer's" : "each conv layer's") channels after sparsity training, on one axis for \
            all layers; the dashed line is the global threshold, and each title says how many of the layer's channels stay.
            """, zh: """
            稀疏训练后\(prunable ? "每个可剪层" : "每个卷积层")通道的 |γ|，所有层共用一个横轴；虚线是全局阈值，\
            每个小图的标题给出该层保留的通道数。
            """)
    }

    public func slimmingDiagramCaption(prunable: Bool) -> String {
        language.pick(en: """
            Network slimming as it ran: every \(prunable ? "prunable " : "")layer's channels shaded by |γ|, largest first; the \
            global threshold cuts each row (dashed), and the blue channels left of the cut survive.
            """, zh: """
            本次运行中的网络瘦身：\(prunable ? "每个可剪层" : "每一层")的通道按 |γ| 着色、从大到小排列；全局阈值（虚线）切开每一行，\
            切口左侧的蓝色通道被保留。
            """)
    }

    /// "70% of channels (slimming)".
    public func channelsBySlimming(_ percent: String) -> String {
        language.pick(en: "\(percent) of channels (slimming)", zh: "\(percent) 的通道（网络瘦身）")
    }

    /// A comparison's budgets: "20 + 5 epochs against 20".
    public func budgets(_ epochs: Int, plus fineTune: Int, against baseline: Int) -> String {
        language.pick(en: "\(epochs) + \(fineTune) epochs against \(baseline)",
                      zh: "\(epochs) + \(fineTune) 个 epoch 对 \(baseline) 个")
    }

    /// "20 + 5 epochs against 60 of the small network" (scratch-B's budget, or scratch-E's).
    public func budgetsAgainstSmallNetwork(_ epochs: String, smallNetworkEpochs: Int) -> String {
        language.pick(en: "\(epochs) epochs against \(smallNetworkEpochs) of the small network",
                      zh: "\(epochs) 个 epoch 对小网络的 \(smallNetworkEpochs) 个")
    }

    /// "20 sparsity + 20 fine-tuning epochs against 20".
    public func sparsityBudgets(_ epochs: Int, fineTune: Int) -> String {
        language.pick(en: "\(epochs) sparsity + \(fineTune) fine-tuning epochs against \(epochs)",
                      zh: "\(epochs) 个稀疏训练 + \(fineTune) 个微调 epoch 对 \(epochs) 个")
    }

    // MARK: Beside the papers

    public var data: String { language.pick(en: "Data", zh: "数据") }
    public var network: String { language.pick(en: "Network", zh: "网络") }
    public var training: String { language.pick(en: "Training", zh: "训练") }
    public var sparsity: String { language.pick(en: "Sparsity s", zh: "稀疏系数 s") }
    public var fineTuning: String { language.pick(en: "Fine-tuning", zh: "微调") }
    public var cifar10: String {
        language.pick(en: "CIFAR-10: 50,000 colour training images of 32×32", zh: "CIFAR-10：50,000 张 32×32 的彩色训练图像")
    }

    /// "\(n) epochs" in a setup cell: "fashion-mnist, 20 epochs".
    public func epochs(_ count: Int) -> String { language.pick(en: "\(count) epochs", zh: "\(count) 个 epoch") }

    /// "fashion-mnist: 60000 training images, fed as [1, 32, 32] (zero-padded where smaller)".
    public func paddedData(_ kind: String, images: Int, shape: [Int]) -> String {
        language.pick(en: "\(kind): \(images.groupedText) training images, fed as \(shape) (zero-padded where smaller)",
                      zh: "\(kind)：\(images.groupedText) 张训练图像，以 \(shape) 输入（尺寸不足时补零）")
    }

    /// ", crop and flip" or ", no augmentation": the end of a data description.
    public func augmentation(_ augment: Bool) -> String {
        augment ? language.pick(en: ", crop and flip", zh: "，随机裁剪和翻转") : language.pick(en: ", no augmentation", zh: "，不做数据增强")
    }

    /// The paper's training of the slimming labs, and this run's.
    public var paperTraining: String {
        language.pick(en: "160 epochs, lr 0.1 ÷10 at 50 % and 75 %, batch 64", zh: "160 个 epoch，lr 0.1，在 50 % 和 75 % 处 ÷10，批大小 64")
    }
    public func training(epochs: Int, learningRate: Float, batch: Int) -> String {
        language.pick(en: "\(epochs) epochs, lr \(learningRate) ÷10 at 50 % and 75 %, batch \(batch)",
                      zh: "\(epochs) 个 epoch，lr \(learningRate)，在 50 % 和 75 % 处 ÷10，批大小 \(batch)")
    }

    public func sparsityRun(_ sparsity: String, epochs: Int) -> String {
        language.pick(en: "\(sparsity) for \(epochs) epochs", zh: "\(sparsity)，训练 \(epochs) 个 epoch")
    }

    public var paperFineTuning: String {
        language.pick(en: "slimming 160 epochs; L1 norm 40 epochs at lr 0.001", zh: "网络瘦身 160 个 epoch；L1 范数 40 个 epoch，lr 0.001")
    }
    public func fineTuning(slimming: Int, l1: Int, l1Rate: Float) -> String {
        language.pick(en: "slimming \(slimming) epochs; L1 norm \(l1) at lr \(l1Rate)",
                      zh: "网络瘦身 \(slimming) 个 epoch；L1 范数 \(l1) 个 epoch，lr \(l1Rate)")
    }

    /// The slimming labs' last rows of "how this run differs from the paper": training, sparsity,
    /// fine-tuning and runs (the paper's sparsity `paperSparsity` for 160 epochs).
    public func slimmingRows(epochs: Int, learningRate: Float, batch: Int, paperSparsity: String, sparsity: Double,
                             slimmingFineTune: Int, l1FineTune: Int, l1Rate: Float, seed: UInt64)
        -> [(aspect: String, paper: String, ours: String)] {
        [(training, paperTraining, training(epochs: epochs, learningRate: learningRate, batch: batch)),
         (self.sparsity, sparsityRun(paperSparsity, epochs: 160), sparsityRun("\(sparsity)", epochs: epochs)),
         (fineTuning, paperFineTuning, fineTuning(slimming: slimmingFineTune, l1: l1FineTune, l1Rate: l1Rate)),
         runs(seed: seed, seedsMoveResults: true)]
    }

    /// The row on the scratch baselines' warm-up, when they had one (`--scratch-warmup-epochs`).
    public func scratchWarmupRow(epochs: Int) -> [(aspect: String, paper: String, ours: String)] {
        guard epochs > 0 else { return [] }
        return [(language.pick(en: "Scratch-E/B start", zh: "scratch-E/B 的起步"),
                 language.pick(en: "the baseline's schedule from its first step", zh: "从第一步起就用基线的学习率策略"),
                 language.pick(en: "the same, after a linear warm-up over the first \(epochs.epochsText)",
                               zh: "相同，但前 \(epochs) 个 epoch 内学习率线性预热"))]
    }

    /// The "Runs" row: how many runs stand behind each number, in the paper and here.
    public func runs(seed: UInt64, seedsMoveResults: Bool = false) -> (aspect: String, paper: String, ours: String) {
        (language.pick(en: "Runs", zh: "运行次数"),
         seedsMoveResults
            ? language.pick(en: "one per number (network-slimming: seeds move results by up to 0.5 points)",
                            zh: "每个数字一次（network-slimming：随机种子会让结果变化最多 0.5 个百分点）")
            : language.pick(en: "one per number", zh: "每个数字一次"),
         language.pick(en: "seed \(seed) here; a study's summary gives the spread over seeds",
                       zh: "这里是随机种子 \(seed)；多种子实验的汇总会给出波动范围"))
    }

    /// What follows the sparsity s in the slimming labs' setup: a full stop at the papers' scale
    /// (`full`), else why the preset's s is above the paper's.
    public func sparsityNote(full: Bool, paper: String, vgg: Bool) -> String {
        if full { return language.pick(en: ".", zh: "。") }
        return vgg ? language.pick(en: """
            : much stronger than the paper's \(paper), because the paper applies it for 160 epochs of 782 steps and a few short \
            epochs barely move γ at \(paper); each step moves γ by about lr·s, so a short run needs a larger s to push the \
            unimportant factors to zero.
            """, zh: """
            ：比论文的 \(paper) 大得多，因为论文在 160 个 epoch（每个 782 步）中施加这个惩罚，而在几个很短的 epoch 里，\
            \(paper) 几乎推不动 γ；每一步大约让 γ 变化 lr·s，所以短训练需要更大的 s 才能把不重要的缩放因子压到零。
            """)
        : language.pick(en: """
            : stronger than the paper's \(paper), which is spread over 160 epochs; in a few short epochs γ would barely move \
            (each step moves it by about lr·s).
            """, zh: """
            ：比论文的 \(paper) 大，因为论文把它分摊在 160 个 epoch 里；在几个很短的 epoch 里 γ 几乎不会变化\
            （每一步大约让 γ 变化 lr·s）。
            """)
    }

    /// The slimming labs' fine-tuning protocols, as their setup paragraph ends.
    public func fineTuningProtocols(slimming: Int, l1: Int, l1Rate: Float, resnet: Bool) -> String {
        language.pick(en: """
            Fine-tuning follows each \
            method's reference code: the slimmed network \(slimming) epochs with the training schedule \
            (network-slimming's `--refine`), the L1-norm pruned \(resnet ? "ResNet" : "network") \(l1.epochsText) at a constant \
            \(l1Rate), a hundredth of the training rate, for a quarter of the training epochs (Li et al.; \
            rethinking-network-pruning).
            """, zh: """
            微调方式与各方法的参考代码一致：瘦身后的网络按训练时的学习率策略微调 \(slimming) 个 epoch\
            （network-slimming 的 `--refine`）；L1 范数剪枝后的\(resnet ? " ResNet " : "网络")以恒定学习率 \(l1Rate)（训练学习率的百分之一）\
            微调 \(l1) 个 epoch，即训练 epoch 数的四分之一（Li 等；rethinking-network-pruning）。
            """)
    }
}
