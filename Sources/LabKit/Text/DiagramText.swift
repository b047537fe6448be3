/// The labels of the method diagrams (MethodDiagrams.swift), in English and Chinese side by side.
struct DiagramText {
    let language: Language

    // MARK: Filter pruning

    func filters(_ layer: String, before: Int, after: Int) -> String {
        language.pick(en: "\(layer) filters: \(before) → \(after)", zh: "\(layer) 卷积核：\(before) → \(after)")
    }

    func inputChannels(_ layer: String, before: Int, after: Int) -> String {
        language.pick(en: "\(layer) input channels: \(before) → \(after)", zh: "\(layer) 输入通道：\(before) → \(after)")
    }

    func inputColumns(_ layer: String, blocks: Int, blockSize: Int, before: Int, keptBlocks: Int, after: Int) -> String {
        language.pick(en: "\(layer) input columns: \(blocks) blocks of \(blockSize) (H·W) = \(before) → \(keptBlocks) blocks = \(after)",
                      zh: "\(layer) 输入列：\(blocks) 块 × \(blockSize)（H·W）= \(before) → \(keptBlocks) 块 = \(after)")
    }

    func filterTitle(_ network: String, before: [Int], after: [Int]) -> String {
        language.pick(en: "Filter pruning of \(network): \(before) → \(after) filters", zh: "\(network) 的卷积核剪枝：\(before) → \(after)")
    }

    var kept: String { language.pick(en: "kept", zh: "保留") }
    var removedWithSlices: String {
        language.pick(en: "removed, with the slices that read it (dashed)", zh: "剪掉，连同读取它的切片一起（虚线）")
    }

    // MARK: Slimming

    func slimmingTitle(kept: Int, total: Int, threshold: String) -> String {
        language.pick(en: "Network slimming: \(kept) of \(total) channels above the threshold |γ| > \(threshold)",
                      zh: "网络瘦身：\(total) 个通道中有 \(kept) 个高于阈值 |γ| > \(threshold)")
    }

    func keptOf(_ kept: Int, _ total: Int) -> String { language.pick(en: "\(kept) of \(total) kept", zh: "保留 \(kept)/\(total)") }
    func threshold(_ value: String) -> String { language.pick(en: "threshold \(value)", zh: "阈值 \(value)") }
    var slimmingKey: String {
        language.pick(en: "each row: one layer's channels, largest |γ| first; left of the dashed cut they stay",
                      zh: "每行是一层的通道，按 |γ| 从大到小排列；虚线左侧的通道保留")
    }

    // MARK: Bottleneck

    func input(_ channels: Int) -> String {
        language.pick(en: "input: \(channels) channels (residual stream)", zh: "输入：\(channels) 个通道（残差流）")
    }
    func batchNorm1(_ channels: Int) -> String { language.pick(en: "BatchNorm bn1: \(channels) channels", zh: "BatchNorm bn1：\(channels) 个通道") }
    func selection(_ selected: Int, of input: Int) -> String {
        language.pick(en: "ChannelSelection: \(selected) of \(input), ReLU", zh: "通道选择：保留 \(selected)/\(input)，ReLU")
    }
    func conv(_ name: String, _ before: Int, _ after: Int) -> String {
        language.pick(en: "\(name): \(before) → \(after)", zh: "\(name)：\(before) → \(after)")
    }
    func batchNorm(_ name: String, _ channels: Int) -> String {
        language.pick(en: "BatchNorm \(name), ReLU: \(channels)", zh: "BatchNorm \(name)，ReLU：\(channels)")
    }
    func output(_ channels: Int) -> String { language.pick(en: "output: \(channels) channels", zh: "输出：\(channels) 个通道") }

    func shortcut(downsample: Bool, input: Int, output: Int) -> [String] {
        switch (language, downsample) {
        case (.en, true): ["shortcut:", "1×1 conv", "\(input) → \(output)"]
        case (.en, false): ["shortcut:", "identity"]
        case (.zh, true): ["捷径连接：", "1×1 卷积", "\(input) → \(output)"]
        case (.zh, false): ["捷径连接：", "恒等映射"]
        }
    }

    func bottleneckTitle(_ block: String) -> String {
        language.pick(en: "Bottleneck \(block) before and after slimming", zh: "Bottleneck 模块 \(block) 瘦身前后")
    }
    var before: String { language.pick(en: "before", zh: "剪枝前") }
    var after: String { language.pick(en: "after", zh: "剪枝后") }
    var changed: String { language.pick(en: "changed by pruning", zh: "被剪枝改变") }
}
