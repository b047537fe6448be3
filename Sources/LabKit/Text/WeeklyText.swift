/// The weekly report draft `report-index --lang zh` writes (reports/weekly.zh.md), in the shape
/// and terms of the student's own 周报: 本周工作, 实验结果, 下周计划 (left for the student).
/// Chinese only, as the report it drafts; each lab's own sentence is in `ReportIndex.labs`.
enum WeeklyText {
    static let title = "周报草稿：神经网络剪枝实验（PruneLab）"
    static let note = """
        > 本文由 `swift run report-index --lang zh` 根据 `reports/*.json` 自动生成，是周报的草稿：数字都来自各实验报告，\
        “下周计划”留给自己填写。
        """
    static let work = "本周工作"
    static func workIntro(_ labs: Int) -> String {
        "　　本周用 PruneLab 完成了 \(labs) 个剪枝实验，每个实验都包括基线训练、剪枝、微调，以及剪枝后结构从头训练的对比（scratch-E / scratch-B）："
    }
    static func report(_ link: String) -> String { "详见[实验报告](\(link))。" }

    static let results = "实验结果"
    static let resultsIntro = "　　测试准确率都在完整的测试集上评估；运行了多个随机种子的实验给出均值 ± 标准差。"
    static let headers = ["实验", "方法", "基线", "剪枝后", "微调后", "scratch-B", "参数量减少", "计算量减少", "加速比", "随机种子数"]

    static func run(preset: String, seeds: Int, minutes: Double) -> String {
        "预设 \(preset)，\(seeds) 个随机种子，耗时约 \(Int(max(minutes, 1).rounded())) 分钟。"
    }

    static func method(_ label: String, fineTuned: String, baseline: String, parameters: Double?, macs: Double?) -> String {
        var removed = ""
        if let parameters, let macs {
            removed = "，参数量减少 \(Int((100 * parameters).rounded())) %，计算量减少 \(Int((100 * macs).rounded())) %"
        }
        return "\(label)：微调后 \(fineTuned)（基线 \(baseline)）\(removed)。"
    }

    /// The figures a weekly report shows of each lab, in this order, when the lab drew them: file
    /// name (without `.png`) and what the caption says it shows.
    static let keyFigures: [(file: String, shows: String)] = [
        ("accuracy-seeds", "各阶段的测试准确率（各随机种子的均值，误差棒为 ± 一个标准差）"),
        ("accuracy-vs-sparsity", "测试准确率随稀疏度的变化"),
        ("method-diagram", "剪枝方法示意图（由实际的模型和剪枝方案画出）"),
        ("bottleneck-diagram", "Bottleneck 模块剪枝前后的通道数"),
        ("rethinking-table", "各方法微调、scratch-E 与 scratch-B 的测试准确率（各随机种子的均值，误差棒为 ± 一个标准差）"),
        ("tickets-vgg", "彩票假设：每一轮剪枝后，中奖彩票与随机初始化的测试准确率"),
    ]
    /// Shown when a lab has no `accuracy-seeds` (a single run).
    static let singleRunFigure = (file: "accuracy-stages", shows: "各阶段的测试准确率")

    static func caption(_ number: Int, lab: String, shows: String) -> String { "图 \(number)：\(lab) \(shows)。" }

    static let plan = "下周计划"
    static let toFill = ["（待填写）", "（待填写）", "（待填写）"]
}
