import Foundation

/// The sentences the shared notebook steps write (Notebook, Stages, PruningStudy, Convergence),
/// in English and Chinese side by side.
struct NotebookText {
    let language: Language

    // MARK: Notebook

    func captionPrefix(_ number: Int) -> String { language.pick(en: "Figure \(number). ", zh: "图 \(number)：") }
    var keyComparisons: String { language.pick(en: "Key comparisons", zh: "主要对比") }

    func comparison(name: String, points: Double, budgets: String) -> String {
        let difference = String(format: "%+.2f", points)
        return language.pick(
            en: "**\(name)**: \(difference) points (\(budgets)); one seed, so its spread is unknown: `--seeds 3` measures it.",
            zh: "**\(name)**：\(difference) 个百分点（\(budgets)）；只有一个随机种子，波动范围未知，`--seeds 3` 可以测出。")
    }

    var runDetails: String { language.pick(en: "Run details", zh: "运行信息") }
    func date(_ date: String) -> String { language.pick(en: "Date: \(date)", zh: "日期：\(date)") }
    func command(_ line: String) -> String { language.pick(en: "Command: `\(line)`", zh: "命令：`\(line)`") }

    func commit(_ commit: String?, codeTree: String?) -> String {
        switch (commit, codeTree) {
        case let (commit?, _):
            return language.pick(en: "Git commit: `\(commit)`", zh: "Git 提交：`\(commit)`")
        case let (nil, tree?):
            return language.pick(en: "Git commit: unknown; the program was built from code tree `\(tree)`, which its checkout no longer held when it ran",
                                 zh: "Git 提交：未知；程序由代码树 `\(tree)` 编译，运行时其仓库已不是这份代码")
        case (nil, nil):
            return language.pick(en: "Git commit: not a git checkout", zh: "Git 提交：不是 git 仓库")
        }
    }

    func machine(cores: Int, build: String, swift: String) -> String {
        language.pick(en: "Machine: \(cores) cores, \(build) build, Swift \(swift)",
                      zh: "机器：\(cores) 核，\(build) 构建，Swift \(swift)")
    }

    func preset(_ preset: String, seed: UInt64) -> String {
        language.pick(en: "Preset: \(preset), seed \(seed)", zh: "预设：\(preset)，随机种子 \(seed)")
    }

    func wallTime(_ seconds: Double) -> String {
        let value = String(format: "%.1f", seconds)
        return language.pick(en: "Wall time: \(value) s", zh: "总耗时：\(value) 秒")
    }

    var stageTimeHeaders: [String] {
        [language.pick(en: "Stage", zh: "阶段"), language.pick(en: "Wall time (s)", zh: "耗时（秒）"), language.pick(en: "Note", zh: "备注")]
    }

    func reusedStageNote(trainingSeconds: Double) -> String {
        let value = String(format: "%.1f", trainingSeconds)
        return language.pick(en: "reused from the stage cache; its epochs took \(value) s when trained",
                             zh: "复用阶段缓存；当初训练耗时 \(value) 秒")
    }

    func reusedStages(_ count: Int, of total: Int) -> String {
        language.pick(en: "\(count) of \(total) stages were reused from the stage cache (trained by an earlier run with the same settings and starting weights), so the wall time above is not the cost of training them; their note gives the time their epochs took",
                      zh: "\(total) 个阶段中有 \(count) 个复用了阶段缓存（由之前相同设置、相同初始权重的运行训练），因此上面的总耗时不含它们的训练时间；备注一栏给出其当初的训练耗时")
    }

    // MARK: Stages

    func loadStep(_ dataset: String) -> String { language.pick(en: "Load \(dataset)", zh: "加载 \(dataset)") }
    func trainStep(_ stage: String) -> String { language.pick(en: "Train: \(stage)", zh: "训练：\(stage)") }

    func trainingStage(_ stage: String, epochs: Int, learningRate: Float, schedule: String, penalty: Float?, seconds: Double,
                       accuracy: Float) -> String {
        let time = String(format: "%.1f", seconds)
        return language.pick(en: """
            Training stage *\(stage)*: \(epochs.epochsText) at learning rate \(learningRate)\(schedule)\
            \(penalty.map { ", L1 penalty s = \($0) on every γ" } ?? ""), \(time) s of training; test accuracy after the \
            last epoch \(accuracy.percentText) (the training curves below show every epoch).
            """, zh: """
            训练阶段 *\(stage)*：学习率 \(learningRate)\(schedule)，训练 \(epochs) 个 epoch\
            \(penalty.map { "，对所有 γ 施加 L1 惩罚 s = \($0)" } ?? "")，耗时 \(time) 秒；最后一个 epoch 后的测试准确率为 \
            \(accuracy.percentText)（每个 epoch 的变化见下文的训练曲线）。
            """)
    }

    func breakdown(_ stage: String, _ breakdown: TrainingBreakdown) -> String {
        switch breakdown.kind {
        case let .fell(epoch, bestEpoch, from, to, final, reference):
            language.pick(en: """
                **Warning: *\(stage)* broke down in training.** Its training accuracy fell from \(from.percentText) \
                (epoch \(bestEpoch)) to \(to.percentText) (epoch \(epoch)): the optimiser left the region it was learning \
                in. \(final > from ? "It climbed back to" : "It never came back: its last epoch reached") \(final.percentText)\
                \(final > from ? " by its last epoch" : "")\(reference.map { ", against \($0.percentText) for the baseline trained the same way" } ?? ""). \
                Its accuracy measures that failure and the epochs it lost, not what this network can reach.
                """, zh: """
                **警告：*\(stage)* 训练崩溃。** 它的训练准确率从 \(from.percentText)（第 \(bestEpoch) 个 epoch）\
                跌到 \(to.percentText)（第 \(epoch) 个 epoch）：优化离开了原本在学习的区域，\
                \(final > from ? "之后回升，最后一个 epoch 为" : "之后没有恢复，最后一个 epoch 只有") \(final.percentText)\
                \(reference.map { "（以同样方式训练的基线为 \($0.percentText)）" } ?? "")。\
                它的准确率反映的是这次失败和因此损失的 epoch，而不是这个网络能达到的水平。
                """)
        case let .lagged(final, reference):
            language.pick(en: """
                **Warning: *\(stage)* did not train properly.** It ended at a training accuracy of \(final.percentText), \
                against \(reference.percentText) for the baseline trained the same way: the run broke down early and never \
                recovered. Its accuracy measures that failure, not what this network can reach.
                """, zh: """
                **警告：*\(stage)* 没有正常训练。** 它最后的训练准确率为 \(final.percentText)，而以同样方式训练的基线为 \
                \(reference.percentText)：训练早早崩溃，之后没有恢复。它的准确率反映的是这次失败，而不是这个网络能达到的水平。
                """)
        }
    }

    func stepSchedule(milestones: [Int], factor: Double) -> String {
        language.pick(en: " (×\(factor) at " + milestones.map { "\($0) %" }.joined(separator: " and ") + " of the epochs)",
                      zh: "（在 " + milestones.map { "\($0) %" }.joined(separator: " 和 ") + " 的 epoch 处乘以 \(factor)）")
    }

    var cosineSchedule: String { language.pick(en: " (cosine annealing)", zh: "（余弦退火）") }

    // MARK: Scratch baselines and the model table

    func scratchSentence(_ results: ScratchResults) -> String {
        language.pick(en: """
            Trained from scratch, the pruned architecture reaches \(results.scratchE.percentText) in the baseline's \
            \(results.scratchEEpochs) epochs (scratch-E) and \(results.scratchB.percentText) with the baseline's compute, \
            \(results.scratchBEpochs) epochs\(results.scratchBCapped ? " (capped)" : "") (scratch-B).\
            \(brokeDown(results))\(overfitted(results.overfitting))
            """, zh: """
            从头训练时，剪枝后的结构用基线的 \(results.scratchEEpochs) 个 epoch 达到 \(results.scratchE.percentText)\
            （scratch-E），用与基线相同的计算量训练 \(results.scratchBEpochs) 个 epoch\
            \(results.scratchBCapped ? "（受上限截断）" : "")达到 \(results.scratchB.percentText)（scratch-B）。\
            \(brokeDown(results))\(overfitted(results.overfitting))
            """)
    }

    /// Why scratch-B's extra epochs did not help, when they did not (`ScratchOverfitting`).
    func overfitted(_ overfitting: ScratchOverfitting?) -> String {
        guard let o = overfitting else { return "" }
        let loss = { (value: Float) in String(format: "%.3f", value) }
        return language.pick(en: """
             Scratch-B's extra epochs fitted the training images better than scratch-E's (training accuracy \
            \(o.trainAccuracyB.percentText) against \(o.trainAccuracyE.percentText)) but did not raise test accuracy, and its \
            test loss rose (\(loss(o.testLossB)) against \(loss(o.testLossE))): past the baseline's epochs the pruned \
            architecture overfits, so the baseline's compute does not make scratch-B the stronger reference here, and \
            scratch-E is the higher bar for the fine-tuned network.
            """, zh: """
            scratch-B 多训练的 epoch 让它更好地拟合了训练图像（训练准确率 \(o.trainAccuracyB.percentText)，scratch-E 为 \
            \(o.trainAccuracyE.percentText)），却没有提高测试准确率，测试损失反而更高（\(loss(o.testLossB)) 对 \
            \(loss(o.testLossE))）：超过基线的 epoch 数之后，剪枝后的结构开始过拟合，所以这里与基线相同的计算量并没有让 \
            scratch-B 成为更强的参照，对微调后的网络来说 scratch-E 才是更高的标杆。
            """)
    }

    /// The scratch runs that broke down, named so no one reads their accuracy as the architecture's.
    private func brokeDown(_ results: ScratchResults) -> String {
        let names = [results.scratchEBrokeDown ? "scratch-E" : nil, results.scratchBBrokeDown ? "scratch-B" : nil].compactMap { $0 }
        guard !names.isEmpty else { return "" }
        let list = names.joined(separator: language.pick(en: " and ", zh: " 和 "))
        let pronoun = names.count == 1 ? "its" : "their"
        return language.pick(en: " But \(list) broke down in training (see the warning above), so \(pronoun) accuracy does not "
                                 + "show what this architecture reaches from scratch.",
                             zh: "但 \(list) 训练崩溃（见上文的警告），其准确率不能说明这个结构从头训练能达到多少。")
    }

    func scratchLeftOut(preset: String, byOption: Bool) -> String {
        if byOption {
            return language.pick(en: """
                This run leaves out scratch-E and scratch-B, the baselines of *Rethinking the Value of Network Pruning* \
                (`--scratch off`); without them it cannot say whether the pruned architecture trained from scratch would do as well.
                """, zh: """
                本次运行不训练 scratch-E 和 scratch-B（《Rethinking the Value of Network Pruning》提出的两个基线，\
                `--scratch off`），因此无法判断剪枝后的结构从头训练能否达到同样的准确率。
                """)
        }
        return language.pick(en: """
            The \(preset) preset leaves out scratch-E and scratch-B, the baselines of *Rethinking the Value of Network \
            Pruning*; `--preset standard` (or `--scratch on`) runs them.
            """, zh: """
            \(preset) 预设不运行 scratch-E 和 scratch-B（《Rethinking the Value of Network Pruning》提出的两个基线），\
            `--preset standard`（或 `--scratch on`）会运行它们。
            """)
    }

    func scratchCap(uncapped: Int, epochs: Int) -> String {
        language.pick(en: """
             The rule gives \(uncapped) epochs; the cap (`--scratch-b-cap`) cut scratch-B to \(epochs), so it had less \
            compute than the baseline.
            """, zh: """
            按规则应训练 \(uncapped) 个 epoch，但上限（`--scratch-b-cap`）把 scratch-B 截到了 \(epochs) 个，因此它的计算量少于基线。
            """)
    }

    func scratchProtocol(epochs: Int, scratchBEpochs: Int, capNote: String) -> String {
        language.pick(en: """
            Scratch-E trains the pruned architecture from a fresh initialisation for the baseline's \(epochs) \
            epochs; scratch-B for ⌊E · MACs(baseline) / MACs(pruned)⌋ = \(scratchBEpochs) epochs, the baseline's \
            compute (rethinking-network-pruning's `main_B.py`), with the same learning-rate schedule.\(capNote)
            """, zh: """
            scratch-E 把剪枝后的结构重新初始化，训练与基线相同的 \(epochs) 个 epoch；scratch-B 训练 \
            ⌊E · MACs(基线) / MACs(剪枝后)⌋ = \(scratchBEpochs) 个 epoch，即与基线相同的计算量\
            （rethinking-network-pruning 的 `main_B.py`），学习率策略相同。\(capNote)
            """)
    }

    func scratchWarmup(epochs: Int) -> String {
        language.pick(en: """
             Unlike the paper, both warm up: the learning rate rises linearly, step by step, over their first \(epochs.epochsText) \
            (Goyal et al., 2017), because from a fresh start at the full rate this narrow network can break down \
            in training; the baseline and the fine-tuning had no warm-up, so the scratch runs got the easier start.
            """, zh: """
            与论文不同，两者都做了预热：前 \(epochs) 个 epoch 内学习率逐步线性升到设定值（Goyal 等，2017），\
            因为这个很窄的网络以全学习率从头开始训练可能崩溃；基线和微调没有预热，所以从头训练得到的是更容易的起点。
            """)
    }

    func brokenDownInComparison(_ key: String) -> String {
        language.pick(en: " `\(key)` broke down in training, so this difference measures that failure, not the method.",
                      zh: "`\(key)` 训练崩溃，所以这个差值反映的是那次失败，而不是方法本身。")
    }

    func modelTableHeaders(latencyBatch: Int) -> [String] {
        language == .en
            ? ["Model", "Parameters", "Pruned", "MACs", "Pruned", "Latency (ms / batch of \(latencyBatch))", "Speed-up", "Test accuracy"]
            : ["模型", "参数量", "减少", "计算量（MACs）", "减少", "推理延迟（毫秒 / 每批 \(latencyBatch) 张）", "加速比", "测试准确率"]
    }

    func shortfall(model: String, macRatio: Double, speedUp: Double) -> String {
        let ratio = String(format: "%.1f", macRatio), speed = String(format: "%.2f", speedUp)
        return language.pick(en: "the \(model) network needs \(ratio)× fewer MACs but runs \(speed)× as fast",
                             zh: "“\(model)”的计算量只有基线的 1/\(ratio)，速度却只是基线的 \(speed) 倍")
    }

    func shortfalls(_ items: [String], latencyBatch: Int) -> String {
        let runMilliseconds = String(format: "%.0f", minimumLatencyRunMilliseconds)
        return language.pick(en: """
            Fewer MACs did not buy proportional time: \(items.joined(separator: "; ")) (latency measured on this \
            machine, batch \(latencyBatch): the models timed in turn, each run repeating the forward pass for at least \(runMilliseconds) ms, the median of 7 runs). MACs count only the multiply-adds of the convolutions \
            and Linear layers; the rest of the time goes to BatchNorm, ReLU, pooling and copying activations, which \
            shrink less, to fixed costs per layer, which do not shrink at all, and to channel counts that no longer \
            fill the kernels' SIMD vectors (8 or 16 floats wide).
            """, zh: """
            计算量的减少没有换来同比例的加速：\(items.joined(separator: "；"))（延迟在本机测得，批大小 \(latencyBatch)，\
            各模型轮流计时，每次运行重复前向计算至少 \(runMilliseconds) ms，取 7 次运行的中位数）。MACs 只统计卷积层和全连接层的乘加运算；其余时间花在 BatchNorm、ReLU、池化和激活值的\
            拷贝上，这些部分缩减得更少；每层的固定开销完全不会缩减；而且剪枝后的通道数不再能填满计算核的 SIMD 向量（8 或 16 个 float 宽）。
            """)
    }

    // MARK: After pruning

    var silentChannels: String {
        language.pick(en: """
            The removed channels were not silent: each BatchNorm output is $\\gamma \\hat z + \\beta$, and with \
            small but non-zero $\\gamma$ and a non-zero $\\beta$ a removed channel still fed a roughly constant \
            $\\mathrm{ReLU}(\\beta)$ into the next layer, whose BatchNorm running statistics were measured with it. \
            Removing many such channels at once shifts every later layer.
            """, zh: """
            被剪掉的通道并不是没有输出：BatchNorm 的输出是 $\\gamma \\hat z + \\beta$，当 $\\gamma$ 很小但不为零、\
            $\\beta$ 也不为零时，被剪掉的通道仍会向下一层送入一个近似常数的 $\\mathrm{ReLU}(\\beta)$，而下一层 BatchNorm \
            的滑动统计量正是在有这些通道时统计的。一次剪掉很多这样的通道，后面每一层的输入都会发生偏移。
            """)
    }

    var smallFilters: String {
        language.pick(en: """
            The removed filters had small weights, not zero outputs: the next layer loses what they contributed, \
            and the BatchNorm statistics after it were measured with them.
            """, zh: """
            被剪掉的卷积核只是权重小，输出并不为零：下一层失去了它们的贡献，而其后 BatchNorm 的统计量是在有它们时统计的。
            """)
    }

    func pruningDrop(before: Float, after: Float, why: String) -> String {
        language.pick(en: "Right after pruning, accuracy falls from \(before.percentText) to \(after.percentText). \(why) "
                          + "Fine-tuning lets the remaining channels take over.",
                      zh: "剪枝后准确率立即从 \(before.percentText) 降到 \(after.percentText)。\(why)微调让剩下的通道接替它们的作用。")
    }

    var gammaTitle: String { language.pick(en: "BatchNorm scaling factors |γ|", zh: "BatchNorm 缩放因子 |γ|") }
    func threshold(_ value: Float) -> String {
        let number = String(format: "%.3g", value)
        return language.pick(en: "threshold \(number)", zh: "阈值 \(number)")
    }

    var trainingCurvesCaption: String {
        language.pick(en: """
            Test accuracy (left) and training loss (right) per epoch of every training stage, one row per network; \
            runs from scratch are dashed.
            """, zh: "每个训练阶段逐 epoch 的测试准确率（左）和训练损失（右），每个网络一行；从头训练的曲线为虚线。")
    }

    var channelsTitle: String { language.pick(en: "Channels per layer", zh: "每层通道数") }
    var channelsAxis: String { language.pick(en: "Channels", zh: "通道数") }
    var original: String { language.pick(en: "original", zh: "原始") }

    // MARK: Slimming

    var noLayerEmptied: String { language.pick(en: "No layer lost all its channels.", zh: "没有哪一层的通道被全部剪掉。") }

    func keptAlive(_ layers: [String]) -> String {
        language.pick(en: "The threshold would have emptied \(layers.count) layer(s); the per-layer floor kept the best channel "
                          + "of each alive: " + layers.joined(separator: ", ")
                          + " (network-slimming's reference code stops with an error here).",
                      zh: "这个阈值会把 \(layers.count) 层的通道全部剪掉；按每层至少保留一个通道的下限，这些层各保留了 |γ| 最大的通道："
                          + layers.joined(separator: "、") + "（network-slimming 的参考代码在这种情况下会报错退出）。")
    }

    func thresholdResult(pass: Int, threshold: Float, kept: Int, total: Int, accuracy: Float, floorNote: String) -> String {
        let value = String(format: "%.4g", threshold)
        return language.pick(
            en: (pass > 1 ? "Pass \(pass): the" : "The") + " threshold |γ| > \(value) keeps \(kept) of \(total) prunable channels; "
                + "accuracy right after pruning \(accuracy.percentText). \(floorNote)",
            zh: (pass > 1 ? "第 \(pass) 轮：" : "") + "阈值 |γ| > \(value) 在 \(total) 个可剪通道中保留了 \(kept) 个；"
                + "剪枝后（未微调）的准确率为 \(accuracy.percentText)。\(floorNote)")
    }

    func separated(_ figure: String) -> String {
        language.pick(en: """
            **Separation \(figure)**: the threshold is \(figure) of the median |γ| of the kept channels, so the \
            removed channels' factors sat near zero, well apart from the kept ones: sparsity training did its job.
            """, zh: """
            **分离度 \(figure)**：阈值只有保留通道 |γ| 中位数的 \(figure)，被剪通道的缩放因子都接近零，和保留的通道明显分开：\
            稀疏训练达到了目的。
            """)
    }

    func notSeparated(_ figure: String) -> String {
        language.pick(en: """
            **Separation \(figure): sparsity training did not separate the channels.** The threshold is \(figure) of \
            the median |γ| of the kept channels (network slimming needs it near zero, say under 0.1), so it cuts \
            through one peak and may remove channels that still carry signal: the accuracy right after pruning, below, \
            shows how much they carried. A stronger `--sparsity` or more sparsity-training epochs separate the factors.
            """, zh: """
            **分离度 \(figure)：稀疏训练没有把通道分开。**阈值是保留通道 |γ| 中位数的 \(figure)（网络瘦身要求它接近零，\
            比如小于 0.1），所以阈值从一个峰的中间切过，可能剪掉仍然携带信号的通道：下面剪枝后（未微调）的准确率\
            说明它们携带了多少。更大的 `--sparsity` 或更多的稀疏训练 epoch 能把缩放因子分开。
            """)
    }

    func missedTheGap(_ figure: String, gap: ClosedRange<Double>, removed: Double) -> String {
        let low = String(format: "%.0f", 100 * gap.lowerBound), high = String(format: "%.0f", 100 * gap.upperBound)
        let share = String(format: "%.0f", 100 * removed)
        return language.pick(en: """
            **Separation \(figure): the threshold missed the gap.** The threshold is \(figure) of the median |γ| of the \
            kept channels (network slimming needs it near zero, say under 0.1), so the channels it removed look like \
            some it kept. Yet sparsity training did separate the factors: one global threshold removing \(low)–\(high) % \
            of the prunable channels would fall in the gap between the factors near zero and the rest; this run removed \
            \(share) % (`--percent` sets it). The accuracy right after pruning, below, shows what the removed channels carried.
            """, zh: """
            **分离度 \(figure)：阈值没有落在间隙里。**阈值是保留通道 |γ| 中位数的 \(figure)（网络瘦身要求它接近零，比如小于 0.1），\
            所以被剪掉的通道和一部分保留的通道看起来一样。但稀疏训练确实把缩放因子分开了：剪掉 \(low)–\(high) % 可剪通道的\
            全局阈值会落在接近零的因子和其余因子之间的间隙里；本次运行剪掉了 \(share) %（由 `--percent` 设定）。\
            下面剪枝后（未微调）的准确率说明了被剪通道携带了多少信息。
            """)
    }

    // MARK: Convergence

    var convergenceNotChecked: String {
        language.pick(en: """
            Whether this baseline has converged is not checked in this run: `--convergence-check on` trains it again \
            for twice the epochs (the standard preset does, for a study's first seed).
            """, zh: """
            本次运行没有检查该基线是否收敛：`--convergence-check on` 会用两倍的 epoch 再训练一次\
            （standard 预设会对实验的第一个随机种子这样做）。
            """)
    }

    /// The doubled run of the baseline evaluated as `key`, which the report calls `name`. Its id (the stage
    /// cache's and the JSON's name) stays the key's, so caches made before the label keep matching.
    func convergenceStage(_ key: String, name: String) -> Stage {
        Stage(id: "\(key) (2× epochs)", label: language.pick(en: "\(name) (2× epochs)", zh: "\(name)收敛检查（2 倍 epoch）"))
    }

    func convergence(_ check: ConvergenceCheck) -> String {
        let verdict = check.converged
            ? language.pick(en: """
                under the 0.3-point tolerance, so the \(check.epochs)-epoch baseline has converged: its schedule has run out \
                and more training does not raise it.
                """, zh: "低于 0.3 个百分点的容差，所以训练 \(check.epochs) 个 epoch 的基线已经收敛：学习率策略已经走完，继续训练也不会再提高。")
            : language.pick(en: """
                at least the 0.3-point tolerance: the \(check.epochs)-epoch baseline has \
                **not** converged, so every comparison with it below flatters the pruned networks by up to that much.
                """, zh: """
                达到或超过 0.3 个百分点的容差：训练 \(check.epochs) 个 epoch 的基线**没有**收敛，因此下文与它的每一项对比\
                都可能把剪枝后的网络高估最多这么多。
                """)
        return language.pick(en: """
            **Convergence check.** The same baseline, from the same initialisation, trained for \(2 * check.epochs) \
            epochs with the schedule stretched over them, reaches \(check.doubledAccuracy.percentText) against \
            \(check.accuracy.percentText) after \(check.epochs): \(check.gain.pointsText) points, \(verdict)
            """, zh: """
            **收敛检查。**同一个基线从相同的初始化出发，学习率策略按比例拉长，训练 \(2 * check.epochs) 个 epoch 后达到 \
            \(check.doubledAccuracy.percentText)，而训练 \(check.epochs) 个 epoch 时为 \(check.accuracy.percentText)：\
            相差 \(check.gain.pointsText) 个百分点，\(verdict)
            """)
    }
}
