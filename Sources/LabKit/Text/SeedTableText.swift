import Foundation

/// The verdicts of the tables a study gives over its seeds (SeedTables.swift), in English and
/// Chinese side by side.
struct SeedTableText {
    let language: Language

    /// "yes, within noise (+0.12 ± 0.40)": whether `difference` (first − second, a fraction)
    /// agrees with `claim` given the noise it is judged against, with the difference and its
    /// `spread` in points (over seeds, the spread can be smaller than the noise; see `VerdictNoise`).
    func verdict(_ claim: PaperClaim, difference: Double, spread: Double, noise: Double) -> String {
        let agrees = claim.agrees(difference: difference, noise: noise)
        let within = abs(difference) <= noise
        let numbers = String(format: "%+.2f ± %.2f", 100 * difference, 100 * spread)
        let word = agrees ? language.pick(en: "yes", zh: "是") : language.pick(en: "no", zh: "否")
        let noiseWords = within ? language.pick(en: ", within noise", zh: "，在噪声范围内") : ""
        return language.pick(en: "\(word)\(noiseWords) (\(numbers))", zh: "\(word)\(noiseWords)（\(numbers)）")
    }

    func studyNote(seeds: Int, testImages: Int) -> String {
        let error = String(format: "%.2f", 100 * VerdictNoise.sampling(0.9, 0.9, testImages: testImages))
        return seeds > 1
            ? language.pick(en: """
                Each accuracy is the mean ± standard deviation over the \(seeds) seeds, in %. A verdict gives the difference it \
                judges in points, mean ± its standard deviation over the seeds, and judges it against that spread or the test \
                set's sampling error of the difference, √(p₁(1−p₁)/n + p₂(1−p₂)/n), whichever is larger (\(error) points for \
                two accuracies of 90 % on \(testImages.groupedText) images): the seeds share one test set, so their agreement cannot make a \
                smaller difference real. It says *within noise* when the mean is smaller than that noise.
                """, zh: """
                每个准确率是 \(seeds) 个随机种子的均值 ± 标准差，单位为 %。结论一栏给出所比较的差值（百分点，\
                各随机种子的均值 ± 标准差），并以这个波动和测试集对差值的抽样误差 √(p₁(1−p₁)/n + p₂(1−p₂)/n) 中较大者\
                来判断（两个 90 % 的准确率在 \(testImages.groupedText) 张图像上为 \(error) 个百分点）：各随机种子共用同一个测试集，\
                它们一致也不能让更小的差值成立。均值小于这个噪声时标为“在噪声范围内”。
                """)
            : language.pick(en: """
                One seed: a verdict's spread is the test set's sampling error of the difference, \
                √(p₁(1−p₁)/n + p₂(1−p₂)/n), which leaves out how much another seed would move it.
                """, zh: """
                只有一个随机种子：结论所用的波动是测试集对差值的抽样误差 √(p₁(1−p₁)/n + p₂(1−p₂)/n)，\
                不包括换一个随机种子带来的变化。
                """)
    }

    func seedsCaption(_ caption: String, seeds: Int) -> String {
        language.pick(en: "\(caption) Mean over \(seeds) seeds, error bars ± one standard deviation.",
                      zh: "\(caption)\(seeds) 个随机种子的均值，误差棒为 ± 一个标准差。")
    }
}
