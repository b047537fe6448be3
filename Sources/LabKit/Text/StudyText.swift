import Foundation

/// The summary a study's merge writes (StudyMerge.swift), in English and Chinese side by side.
struct StudyText {
    let language: Language

    func summaryTitle(seeds: Int) -> String {
        language.pick(en: seeds == 1 ? "Summary of 1 seed" : "Summary over \(seeds) seeds", zh: "\(seeds) 个随机种子的汇总")
    }

    func seedsHeaders(_ seeds: [UInt64]) -> [String] {
        [language.pick(en: "Stage", zh: "阶段"), language.pick(en: "Mean ± std (%)", zh: "均值 ± 标准差（%）")]
            + seeds.map { language.pick(en: "Seed \($0)", zh: "种子 \($0)") }
    }

    func seedsCaption(seeds: Int) -> String {
        language.pick(en: "Test accuracy at every stage: mean over \(seeds) seeds, error bars ± one standard deviation.",
                      zh: "各阶段的测试准确率：\(seeds) 个随机种子的均值，误差棒为 ± 一个标准差。")
    }

    func sweepTitle(option: String, fractions: Int, seeds: String) -> String {
        language.pick(en: "Sweep over \(option): \(fractions) fractions, \(seeds)", zh: "\(option) 扫描：\(fractions) 个剪枝比例，\(seeds)")
    }

    var sweepComparisons: String {
        language.pick(en: """
            The lab's comparisons at each fraction, in points (mean ± std over the seeds; *within noise* \
            when the difference is smaller than its spread or than the test set's sampling error):
            """, zh: "每个剪枝比例下的对比，单位为百分点（各随机种子的均值 ± 标准差；差值小于其波动或测试集的抽样误差时标为*在噪声范围内*）：")
    }

    var sweepChartTitle: String { language.pick(en: "Test accuracy against the fraction pruned", zh: "测试准确率随剪枝比例的变化") }
    func sweepAxis(_ option: String) -> String { language.pick(en: "Fraction pruned (\(option))", zh: "剪枝比例（\(option)）") }
    var sweepCaption: String {
        language.pick(en: "Test accuracy of every stage against the fraction pruned: mean over the seeds, error bars ± one "
                          + "standard deviation.",
                      zh: "各阶段的测试准确率随剪枝比例的变化：各随机种子的均值，误差棒为 ± 一个标准差。")
    }

    func seedCounts(low: Int, high: Int) -> String {
        let range = low == high ? "\(low)" : "\(low)–\(high)"
        return language.pick(en: range + (high == 1 ? " seed each" : " seeds each"), zh: "每个比例 \(range) 个随机种子")
    }

    func withinNoise(_ yes: Bool) -> String { language.pick(en: yes ? " (*within noise*)" : "", zh: yes ? "（*在噪声范围内*）" : "") }

    /// A comparison over the seeds, in points. It is within noise when its mean is smaller than its
    /// spread over the seeds or than the test set's sampling error: the seeds share one test set, so
    /// their agreement cannot make a difference smaller than that error real.
    func comparison(name: String, mean: Double, deviation: Double, budgets: String, seeds: Int, samplingError: Double) -> String {
        let values = String(format: "%+.2f ± %.2f", mean, deviation)
        let error = String(format: "%.2f", samplingError)
        let verdict = seeds < 2
            ? language.pick(en: "one seed, so the spread is unknown", zh: "只有一个随机种子，波动范围未知")
            : abs(mean) <= deviation ? language.pick(en: "within noise: the difference is smaller than its spread over the seeds",
                                                     zh: "在噪声范围内：差值小于它在各随机种子间的波动")
            : abs(mean) <= samplingError ? language.pick(
                en: "within noise: the difference is smaller than the test set's sampling error of a difference, \(error) points",
                zh: "在噪声范围内：差值小于测试集对差值的抽样误差 \(error) 个百分点")
            : language.pick(en: "larger than its spread over the seeds and than the test set's sampling error (\(error) points)",
                            zh: "大于它在各随机种子间的波动，也大于测试集的抽样误差（\(error) 个百分点）")
        return language.pick(en: "**\(name)**: \(values) points (\(budgets)); \(verdict).",
                             zh: "**\(name)**：\(values) 个百分点（\(budgets)）；\(verdict)。")
    }

    /// After a comparison: the seeds it leaves out, each with the run that broke down in it.
    func leftOutOfComparison(_ runs: [(seed: UInt64, name: String)]) -> String {
        let items = list(runs.map { language.pick(en: "seed \($0.seed) (its \($0.name) broke down in training)",
                                                  zh: "随机种子 \($0.seed)（其 \($0.name) 训练崩溃）") })
        return language.pick(en: " Left out: \(items); a broken-down run measures its failure, not the method.",
                             zh: "未计入：\(items)；训练崩溃的运行反映的是失败，而不是方法。")
    }

    var brokenDownMark: String {
        language.pick(en: "† broke down in training: see the warning in that seed's walkthrough; the comparisons below leave it out.",
                      zh: "† 训练崩溃：见该随机种子的实验过程中的警告；下面的比较不计入它。")
    }

    func comparisonWithoutSeeds(name: String) -> String {
        language.pick(en: "**\(name)**: no seed gives this comparison.", zh: "**\(name)**：没有随机种子能给出这个比较。")
    }

    func convergence(name: String, seed: UInt64, check: ConvergenceCheck) -> String {
        let verdictEn = check.converged ? "converged (under 0.3)"
            : "**not converged** (0.3 or more): the comparisons above flatter a pruned network that trained longer than "
                + "this baseline by up to that much, which the training gave, not the pruning"
        let verdictZh = check.converged ? "已收敛（低于 0.3）"
            : "**未收敛**（不低于 0.3）：上面的比较会把训练得比该基线更久的剪枝网络高估最多这么多，这部分来自训练，而不是剪枝"
        return language.pick(en: """
            **Convergence of \(name)** (seed \(seed)): \(2 * check.epochs) epochs reach \
            \(check.doubledAccuracy.percentText) against \(check.accuracy.percentText) after \(check.epochs), \
            \(check.gain.pointsText) points: \(verdictEn).
            """, zh: """
            **\(name) 的收敛检查**（随机种子 \(seed)）：训练 \(2 * check.epochs) 个 epoch 达到 \
            \(check.doubledAccuracy.percentText)，训练 \(check.epochs) 个 epoch 时为 \(check.accuracy.percentText)，\
            相差 \(check.gain.pointsText) 个百分点：\(verdictZh)。
            """)
    }

    func sweepSentence(option: String, percents: String, seeds: String, testImages: String, firstSeed: UInt64,
                       firstPercent: String) -> String {
        language.pick(en: """
            The same recipe run at \(option) \(percents), with seeds \(seeds) (each run evaluated on \(testImages) \
            test images). Each cell is the mean ± standard deviation over the seeds at that fraction, in %. The walkthrough \
            below is the run with seed \(firstSeed) at \(option) \(firstPercent); every run's numbers are in the JSON.
            """, zh: """
            同一套配置分别在 \(option) \(percents) 下运行，随机种子为 \(seeds)（每次运行都在 \(testImages) 张测试图像上评估）。\
            每个单元格是该剪枝比例下各随机种子的均值 ± 标准差，单位为 %。下文的详细过程是随机种子 \(firstSeed)、\
            \(option) \(firstPercent) 的那次运行；每次运行的数字都在 JSON 中。
            """)
    }

    func summarySentence(seeds: String, testImages: String, firstSeed: UInt64) -> String {
        language.pick(en: """
            The same recipe run with seeds \(seeds) (initial weights, data order and any augmentation differ; each run evaluated on \
            \(testImages) test images). Mean ± standard deviation over the seeds; a difference is within noise when it is \
            smaller than its spread, or than the test set's sampling error of a difference, √(p₁(1−p₁)/n + p₂(1−p₂)/n) \
            (0.42 points for two accuracies of 90 % on 10,000 images): the seeds share one test set, so their agreement \
            cannot make a smaller difference real. The walkthrough below is the run with seed \(firstSeed); every run's numbers are in the JSON.
            """, zh: """
            同一套配置用随机种子 \(seeds) 各运行一次（初始权重、数据顺序和数据增强都不同；每次运行都在 \(testImages) \
            张测试图像上评估）。表中为各随机种子的均值 ± 标准差；差值小于自身波动，或小于测试集对差值的抽样误差 \
            √(p₁(1−p₁)/n + p₂(1−p₂)/n)（两个 90 % 的准确率在 10,000 张图像上为 0.42 个百分点）时，视为在噪声范围内：\
            各随机种子共用同一个测试集，它们一致也不能让更小的差值成立。下文的详细过程是\
            随机种子 \(firstSeed) 的那次运行；每次运行的数字都在 JSON 中。
            """)
    }

    /// Said when the seeds reused trained stages, so no one takes the commit above for where all the training ran.
    func reusedStages(_ reused: Int, of total: Int) -> String {
        language.pick(en: """
            \(reused) of the seeds' \(total) stages were reused from their stage caches, trained by an earlier run of the same \
            recipe: a stage's cache key holds a fingerprint of the build's numerics, its settings and its starting weights, \
            so a reused stage is what this code trains (each seed's run details give the time its epochs took).
            """, zh: """
            各随机种子共 \(total) 个阶段中有 \(reused) 个取自阶段缓存，由同一配置的早先运行训练：缓存键包含构建的数值指纹、\
            阶段设置和起始权重，因此取用的阶段正是这份代码会训练出的结果（每个随机种子的运行详情给出其训练所用时间）。
            """)
    }

    /// "Every seed ran on code tree `t`, at commit `a` (seeds 1, 2) and `b` (seed 3)."
    func provenance(tree: String, commits: [(commit: String, seeds: [String])]) -> String {
        if commits.count == 1 {
            return language.pick(en: "Every seed ran at commit `\(commits[0].commit)` (code tree `\(tree)`).",
                                 zh: "所有随机种子都在提交 `\(commits[0].commit)`（代码树 `\(tree)`）上运行。")
        }
        let each = commits.map { commit, seeds in
            language.pick(en: "`\(commit)` (seed\(seeds.count == 1 ? "" : "s") \(list(seeds)))", zh: "`\(commit)`（随机种子 \(list(seeds))）")
        }
        return language.pick(en: """
            The seeds ran in several sittings, on one code tree (`\(tree)`: the same Sources, labs and Package.swift), \
            at commits \(each.joined(separator: ", ")).
            """, zh: "这些随机种子分几次运行，代码树相同（`\(tree)`：Sources、labs 和 Package.swift 完全一致），提交分别为 \(each.joined(separator: "、"))。")
    }

    var removedIntro: String {
        language.pick(en: "Each smaller network against its baseline: the fraction removed, mean ± standard deviation over the seeds "
                          + "(a network trained from scratch at pruned widths is as small as the pruned one):",
                      zh: "各个较小的网络与其基线相比去掉的比例，各随机种子的均值 ± 标准差（按剪枝后的宽度从头训练的网络与剪枝网络一样小）：")
    }

    func removedHeaders(channels: Bool) -> [String] {
        [language.pick(en: "Network", zh: "网络")]
            + (channels ? [language.pick(en: "Prunable channels removed (%)", zh: "去掉的可剪通道（%）")] : [])
            + [language.pick(en: "Parameters removed (%)", zh: "去掉的参数（%）"),
               language.pick(en: "Multiply-accumulates removed (%)", zh: "去掉的乘加运算（%）")]
    }

    /// Slimming's separation in every seed and how many of them separated (under 0.1).
    func separations(_ values: [(seed: UInt64, value: Double)]) -> String {
        let separated = values.filter { $0.value < 0.1 }.count
        let each = list(values.map { language.pick(en: "\($0.value.separationText) (seed \($0.seed))",
                                                   zh: "\($0.value.separationText)（随机种子 \($0.seed)）") })
        let verdict = separated == values.count
            ? language.pick(en: "under 0.1 in every seed: the removed channels' factors sat near zero, apart from the kept ones",
                            zh: "每个随机种子都低于 0.1：被剪通道的缩放因子都接近零，和保留的通道明显分开")
            : separated == 0
            ? language.pick(en: "0.1 or more in every seed: the threshold did not fall in a gap between the factors near zero and "
                                + "the kept ones, so it removed channels like some it kept",
                            zh: "每个随机种子都不低于 0.1：阈值没有落在接近零的因子和保留因子之间的间隙里，所以剪掉的通道和一部分保留的通道一样")
            : language.pick(en: "under 0.1 in \(separated) of \(values.count) seeds only: whether sparsity training separates the "
                                + "channels depends on the seed in this recipe",
                            zh: "只有 \(values.count) 个随机种子中的 \(separated) 个低于 0.1：在这套配置下，稀疏训练能否把通道分开取决于随机种子")
        return language.pick(en: "**Separation** of slimming's threshold (the threshold over the median |γ| of the kept channels): "
                                 + "\(each); \(verdict).",
                             zh: "网络瘦身阈值的**分离度**（阈值除以保留通道 |γ| 的中位数）：\(each)；\(verdict)。")
    }

    /// Seeds or fractions in a sentence: "1, 2, 3", or "1、2、3" in Chinese.
    func list(_ items: [String]) -> String { items.joined(separator: language.pick(en: ", ", zh: "、")) }

    /// The test images each run was evaluated on, when the JSON does not say: "all".
    var allImages: String { language.pick(en: "all", zh: "全部") }
}
