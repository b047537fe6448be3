import Foundation

/// The "beside the papers" section (PublishedResults.swift), in English and Chinese side by side;
/// the published results carry their own words as `Phrase`s.
struct PapersText {
    let language: Language

    var title: String { language.pick(en: "Beside the papers", zh: "与论文结果对照") }
    func thisRun(seed: UInt64) -> String { language.pick(en: "this run (seed \(seed))", zh: "本次运行（随机种子 \(seed)）") }

    var headers: [String] {
        language == .en
            ? ["Source", "Setup", "Pruned", "Baseline (%)", "Pruned, fine-tuned (%)", "Change (points)", "Saved"]
            : ["来源", "实验设置", "剪枝对象", "基线（%）", "剪枝并微调后（%）", "变化（百分点）", "节省"]
    }

    var scaleNote: String {
        language.pick(en: """
            The published numbers are CIFAR-10 (or MNIST) results at the papers' scale, quoted from the sources named; \
            they show what the method achieves there, not a target for these smaller runs. **How this run differs from \
            the paper:**
            """, zh: """
            论文中的数字是在论文规模下的 CIFAR-10（或 MNIST）结果，引自所列来源；它们说明方法在那种条件下能达到什么效果，\
            并不是这些小规模实验的目标。**本次运行与论文的不同之处：**
            """)
    }

    var differenceHeaders: [String] { ["", language.pick(en: "Paper", zh: "论文"), language.pick(en: "This run", zh: "本次运行")] }

    /// "81.2 % of parameters, 62.0 % of MACs".
    func saving(parameters: Double, macs: Double) -> String {
        let p = String(format: "%.1f", 100 * parameters), m = String(format: "%.1f", 100 * macs)
        return language.pick(en: "\(p) % of parameters, \(m) % of MACs", zh: "参数量 \(p) %，计算量 \(m) %")
    }
}
