import Foundation

/// The words of the charts LabKit builds (titles, axes, legends), in English and Chinese side by side.
struct ChartText {
    let language: Language

    var count: String { language.pick(en: "count", zh: "数量") }
    var countLogScale: String { language.pick(en: "count (log scale)", zh: "数量（对数坐标）") }
    var testAccuracy: String { language.pick(en: "test accuracy", zh: "测试准确率") }
    var accuracyByStage: String { language.pick(en: "Test accuracy by stage", zh: "各阶段的测试准确率") }
    var testAccuracyAxis: String { language.pick(en: "Test accuracy (%)", zh: "测试准确率（%）") }
    var network: String { language.pick(en: "network", zh: "网络") }
    var epoch: String { language.pick(en: "Epoch", zh: "训练轮次（epoch）") }
    var trainingLoss: String { language.pick(en: "Training loss", zh: "训练损失") }
    var trainingCurves: String { language.pick(en: "Training curves", zh: "训练曲线") }
    func accuracyPanel(_ network: String) -> String { language.pick(en: "\(network): test accuracy", zh: "\(network)：测试准确率") }
    func lossPanel(_ network: String) -> String { language.pick(en: "\(network): training loss", zh: "\(network)：训练损失") }
    func keptPanel(_ layer: String, kept: Int, of total: Int) -> String {
        language.pick(en: "\(layer): \(kept) of \(total) kept", zh: "\(layer)：保留 \(kept)/\(total)")
    }

    func gammaPerLayer(threshold: Float) -> String {
        let value = String(format: "%.3g", threshold)
        return language.pick(en: "|γ| per layer after sparsity training (threshold \(value) dashed)",
                             zh: "稀疏训练后各层的 |γ|（虚线为阈值 \(value)）")
    }
}
