import Foundation

/// The pruning-ratio sweep's sentences (PruningSweep.swift) and its charts' words, in English and
/// Chinese side by side. Method ids ("slimming", "L1 norm", "random") key the JSON; `method(_:)`
/// names them in the report.
struct SweepText {
    let language: Language

    func method(_ id: String) -> String {
        switch id {
        case "slimming": language.pick(en: "slimming", zh: "网络瘦身")
        case "L1 norm": language.pick(en: "L1 norm", zh: "L1 范数")
        case "random": language.pick(en: "random", zh: "随机通道")
        default: id
        }
    }

    /// The name of a sweep fine-tune in the report's run details.
    func stageLabel(method: String, fraction: String) -> String {
        language.pick(en: "sweep: \(method) at \(fraction)", zh: "扫描：\(method)，剪除 \(fraction)")
    }

    func title(_ number: String) -> String { language.pick(en: "\(number). Pruning-ratio sweep", zh: "\(number). 剪枝比例扫描") }

    var leftOut: String {
        language.pick(en: """
            This run leaves out the pruning-ratio sweep, accuracy against the fraction of channels removed for each \
            method; `--sweep on` runs it (the standard and full presets do).
            """, zh: "本次运行未做剪枝比例扫描（各方法的准确率随剪除通道比例的变化）；`--sweep on` 可开启（standard 和 full 预设默认开启）。")
    }

    func slimmingMethod(channels: Int) -> String {
        language.pick(en: """
            slimming prunes the sparsity-trained network by one global |γ| threshold over all its \(channels) prunable \
            channels, so each layer loses what its factors dictate
            """, zh: "网络瘦身在稀疏训练后的网络上，对全部 \(channels) 个可剪通道使用同一个全局 |γ| 阈值，每层剪掉多少由其缩放因子决定")
    }

    func l1Method(layers: Int, wholeSelections: Int) -> String {
        let whole = wholeSelections == 0 ? ""
            : language.pick(en: "; the \(wholeSelections) channel selections on the residual stream have no filters of their own and stay whole",
                            zh: "；残差主干上的 \(wholeSelections) 个通道选择层没有自己的卷积核，保持不剪")
        return language.pick(en: """
            L1 norm prunes the baseline by the same fraction in each of its \(layers) layers with filters, the \
            filters with the smallest L1 norms, ⌊n·(1 − fraction)⌋ of n kept
            """, zh: "L1 范数在基线网络的 \(layers) 个带卷积核的层中按同一比例剪掉 L1 范数最小的卷积核，n 个中保留 ⌊n·(1 − 比例)⌋ 个") + whole
    }

    func randomMethod(seed: UInt64) -> String {
        language.pick(en: "random channels prune the baseline to L1 norm's widths with the kept channels drawn at random (seed \(seed))",
                      zh: "随机通道把基线网络剪到与 L1 范数相同的宽度，但保留哪些通道随机决定（种子 \(seed)）")
    }

    func randomSelectionsMethod(layers: Int, seed: UInt64) -> String {
        language.pick(en: """
            random channels prune the baseline by the same fraction of the channels each of its \(layers) layers reads, \
            ⌊n·(1 − fraction)⌋ of n kept, drawn at random (seed \(seed))
            """, zh: "随机通道在基线网络的 \(layers) 个层中，按同一比例随机剪掉每层读入的通道，n 个中保留 ⌊n·(1 − 比例)⌋ 个（种子 \(seed)）")
    }

    func intro(fractions: String, methods: [String], epochs: Int, learningRate: Float) -> String {
        switch language {
        case .en:
            let list = methods.joined(separator: "; ")
            return """
                The classic figure of a pruning paper: accuracy against the fraction of channels removed, here \(fractions). \
                \(list.prefix(1).uppercased() + list.dropFirst()); every layer keeps at least one channel. Each pruned \
                network is evaluated right after the surgery, then fine-tuned for \(epochs.epochsText) at a constant \
                \(learningRate), a hundredth of the training rate (Li et al.'s short fine-tune, the same for every \
                method and fraction so that the curves compare), and evaluated again. Random channels are the floor a method \
                must beat: a criterion no better than chance at the same widths has not shown that its choice matters.
                """
        case .zh:
            return """
                剪枝论文的经典图：准确率随剪除通道比例的变化，本次比例为 \(fractions)。\(methods.joined(separator: "；"))；\
                每层至少保留一个通道。每个剪枝后的网络先在结构剪枝后立即评估，再以恒定学习率 \(learningRate)（训练学习率的百分之一，\
                即 Li 等人的短微调；各方法、各比例相同，曲线才可比）微调 \(epochs) 个 epoch 后再次评估。随机通道是每种方法必须超过的下限：\
                在相同宽度下不比随机选择更好的准则，说明不了它的选择有意义。
                """
        }
    }

    func accuracyCaption(epochs: Int, reference: String) -> String {
        language.pick(en: """
            Test accuracy against the fraction of channels removed, one colour per method: dashed right after pruning, \
            solid after the \(epochs)-epoch fine-tune; the black line is the \(reference).
            """, zh: "测试准确率随剪除通道比例的变化，每种方法一种颜色：虚线为剪枝后立即评估，实线为微调 \(epochs) 个 epoch 之后；黑线为\(reference)。")
    }

    var costCaption: String {
        language.pick(en: """
            Parameters (left) and multiply-accumulates (right) left after pruning, as a percentage of the unpruned network's, \
            against the fraction of channels removed; methods that prune to the same widths share a line.
            """, zh: "剪枝后剩余的参数量（左）和乘加运算量（右），占未剪枝网络的百分比，随剪除通道比例的变化；剪到相同宽度的方法共用一条线。")
    }

    var tableHeaders: [String] {
        [language.pick(en: "Method", zh: "方法"), language.pick(en: "Removed", zh: "剪除比例"),
         language.pick(en: "Channels kept", zh: "保留通道"), language.pick(en: "Parameters left", zh: "剩余参数量"),
         language.pick(en: "MACs left", zh: "剩余计算量"), language.pick(en: "After pruning", zh: "剪枝后"),
         language.pick(en: "After fine-tuning", zh: "微调后")]
    }

    func kept(_ kept: Int, of total: Int) -> String { language.pick(en: "\(kept) of \(total)", zh: "\(kept)/\(total)") }

    func withinAPoint(fraction: String, parameters: String, macs: String) -> String {
        language.pick(en: "\(fraction) (\(parameters) of the parameters and \(macs) of the MACs left)",
                      zh: "\(fraction)（剩余 \(parameters) 的参数量和 \(macs) 的计算量）")
    }

    var noneWithinAPoint: String { language.pick(en: "none of the swept ones", zh: "扫描的比例中没有") }

    func beatsRandom(_ wins: Int, of fractions: Int) -> String {
        language.pick(en: ", beating random channels at \(wins) of \(fractions) fractions", zh: "，在 \(fractions) 个比例中有 \(wins) 个超过随机通道")
    }

    func findings(reference: String, accuracy: String, entries: [String]) -> String {
        language.pick(en: """
            After the short fine-tune, the largest fraction removed at which each method stays within a point of the \
            \(reference)'s \(accuracy): \(entries.joined(separator: "; ")). These curves are one run's: a \
            difference of a point between two of them can be noise, and `--seeds 3` measures the spread (a study's \
            summary gives it for every fraction).
            """, zh: """
            短微调之后，各方法与\(reference)（\(accuracy)）相差不超过 1 个百分点时能剪除的最大比例：\(entries.joined(separator: "；"))。\
            这些曲线来自一次运行：两条曲线相差一个百分点可能只是噪声，`--seeds 3` 可以测出波动（多种子研究的汇总给出每个比例的波动）。
            """)
    }

    func floorNote(_ places: [(method: String, fraction: String, layers: Int)]) -> String {
        guard !places.isEmpty else { return "" }
        switch language {
        case .en:
            let list = places.map { "\($0.method) at \($0.fraction) (\($0.layers) layer(s))" }.joined(separator: ", ")
            return " The floor of one channel per layer kept layers alive: \(list)."
        case .zh:
            let list = places.map { "\($0.method) 在 \($0.fraction)（\($0.layers) 层）" }.joined(separator: "，")
            return "每层至少保留一个通道的下限使这些层免于被剪空：\(list)。"
        }
    }

    // MARK: A study's merge

    func seedsIntro(seeds: Int, epochs: Int) -> String {
        language.pick(en: """
            The pruning-ratio sweep over the \(seeds) seeds: test accuracy right after pruning and after the \
            \(epochs)-epoch fine-tune, mean ± standard deviation in %.
            """, zh: "\(seeds) 个随机种子上的剪枝比例扫描：剪枝后立即评估和微调 \(epochs) 个 epoch 之后的测试准确率，均值 ± 标准差（%）。")
    }

    var seedsHeaders: [String] {
        [language.pick(en: "Method", zh: "方法"), language.pick(en: "Removed", zh: "剪除比例"),
         language.pick(en: "After pruning", zh: "剪枝后"), language.pick(en: "After fine-tuning", zh: "微调后")]
    }

    func seedsCaption(seeds: Int, reference: String) -> String {
        language.pick(en: """
            Test accuracy against the fraction of channels removed: mean over \(seeds) seeds, error bars ± one standard \
            deviation; dashed right after pruning, solid after the fine-tune, the black line the \(reference)'s mean.
            """, zh: "测试准确率随剪除通道比例的变化：\(seeds) 个随机种子的均值，误差棒为 ± 一个标准差；虚线为剪枝后，实线为微调后，黑线为\(reference)的均值。")
    }

    // MARK: Charts

    func prunedSeries(_ method: String) -> String { language.pick(en: "\(method), pruned", zh: "\(method)，剪枝后") }
    func fineTunedSeries(_ method: String) -> String { language.pick(en: "\(method), fine-tuned", zh: "\(method)，微调后") }
    var accuracyTitle: String { language.pick(en: "Accuracy against the fraction of channels removed", zh: "准确率随剪除通道比例的变化") }
    var channelsRemovedAxis: String { language.pick(en: "Channels removed (%)", zh: "剪除通道（%）") }
    var leftAxis: String { language.pick(en: "Left (% of unpruned)", zh: "剩余（占未剪枝的 %）") }
    var costTitle: String { language.pick(en: "Cost of the pruned networks", zh: "剪枝后网络的开销") }
    var parametersLeft: String { language.pick(en: "Parameters left", zh: "剩余参数量") }
    var macsLeft: String { language.pick(en: "MACs left", zh: "剩余计算量") }
    var and: String { language.pick(en: " and ", zh: "和") }
}
