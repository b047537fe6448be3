// The report's words of lab-weight-pruning, in English and Chinese side by side (--lang);
// main.swift says what to write, this file how in each language.
import LabKit

struct LabText: LabCatalogue {
    let language: Language

    var title: String { language.pick(en: "Weight pruning of an MLP", zh: "MLP 的权重剪枝") }

    func intro(prunedCfg: [Int]) -> String {
        language.pick(en: """
            This lab prunes a 784-200-200-10 multilayer perceptron in two ways. **Unstructured** pruning sets \
            the smallest weights to zero and keeps them there with a mask: the matrix keeps its shape, but most \
            of its entries are zero. **Structured** (neuron) pruning removes whole hidden units, ranked by the \
            L1 norm of their incoming weights, so the network really becomes smaller: here from \
            [200, 200, 10] to \(prunedCfg). Finally, the small architecture is trained from scratch, the \
            baseline that *Rethinking the Value of Network Pruning* (Liu et al., 2019) asks every pruning \
            method to beat.
            """, zh: """
            本实验用两种方式对 784-200-200-10 的多层感知机（MLP）剪枝。**非结构化**剪枝把最小的权重置零，并用掩码（mask）\
            让它们一直保持为零：矩阵形状不变，但大部分元素是零。**结构化**（神经元）剪枝按输入权重的 L1 范数给隐藏单元排序，\
            去掉整个神经元，网络真正变小：这里从 [200, 200, 10] 剪到 \(prunedCfg)。最后把这个小结构从头训练一遍，\
            《Rethinking the Value of Network Pruning》（Liu 等，2019）认为每种剪枝方法都应该超过这个基线。
            """)
    }

    func setup(dataset: String, train: Int, test: Int, learningRate: Float, batch: Int, epochs: Int) -> String {
        language.pick(en: """
            Data: \(dataset), \(train.groupedText) training and \(test.groupedText) test images, \
            normalised by the training set's mean and standard deviation. Optimiser: SGD with learning rate \
            \(learningRate) divided by 10 at 50 % and 75 % of the epochs, momentum 0.9, batch \(batch), \
            \(epochs) epochs. The model:
            """, zh: """
            数据：\(dataset)，训练图像 \(train.groupedText) 张，测试图像 \(test.groupedText) 张，用训练集的均值和标准差做归一化。优化器：SGD，\
            学习率 \(learningRate)，在 50 % 和 75 % 的 epoch 处除以 10，动量 0.9，批大小 \(batch)，训练 \(epochs) 个 epoch。\
            模型结构如下：
            """)
    }

    var trainBaseline: String { language.pick(en: "1. Train the baseline", zh: "1. 训练基线模型") }
    func baselineReaches(_ accuracy: Float) -> String {
        language.pick(en: "The dense MLP reaches **\(accuracy.percentText)** test accuracy.",
                      zh: "稠密的 MLP 达到了 **\(accuracy.percentText)** 的测试准确率。")
    }

    // MARK: 2. Unstructured magnitude pruning

    var magnitudeSection: String { language.pick(en: "2. Unstructured magnitude pruning", zh: "2. 非结构化幅值剪枝") }

    func magnitude(scope: PruningScope, fineTuneEpochs: Int) -> String {
        language.pick(en: """
            For a target sparsity $s$, \(scopeExplanation(scope)) Training then only updates kept weights: \
            $w \\leftarrow m \\odot (w - \\eta \\nabla_w L)$. Each sparsity starts from the trained baseline, is \
            evaluated right after pruning, and again after \(fineTuneEpochs.epochsText) of masked \
            fine-tuning at a constant tenth of the learning rate.
            """, zh: """
            对目标稀疏度 $s$，\(scopeExplanation(scope))之后训练只更新保留下来的权重：\
            $w \\leftarrow m \\odot (w - \\eta \\nabla_w L)$。每个稀疏度都从训练好的基线出发，剪枝后立即评估一次，\
            再以十分之一的恒定学习率做 \(fineTuneEpochs) 个 epoch 的掩码微调后再评估一次。
            """)
    }

    /// The report's words for where the magnitude threshold applies.
    func scopeExplanation(_ scope: PruningScope) -> String {
        switch scope {
        case .perLayerStd: language.pick(en: """
            each layer $\\ell$ masks its weights with $|w| < q\\,\\sigma_\\ell$, $\\sigma_\\ell$ the standard deviation of \
            the layer's weights and $q$ one quality parameter chosen so that a fraction $s$ of all weights go (Han et al. \
            2015, per-layer thresholds).
            """, zh: """
            每一层 $\\ell$ 用掩码去掉 $|w| < q\\,\\sigma_\\ell$ 的权重，其中 $\\sigma_\\ell$ 是该层权重的标准差，\
            $q$ 是全网络共用的一个质量参数，取值使所有权重中恰好有比例 $s$ 被剪掉（Han 等 2015，逐层阈值）。
            """)
        case .layerwise: language.pick(en: "every layer masks the fraction $s$ of its own weights with the smallest $|w|$.",
                                       zh: "每一层都剪掉本层 $|w|$ 最小的比例为 $s$ 的权重。")
        case .global: language.pick(en: """
            the $s \\cdot N$ weights of smallest $|w|$ over all layers go (one global threshold; `--scope global`).
            """, zh: "在所有层中剪掉 $|w|$ 最小的 $s \\cdot N$ 个权重（一个全局阈值；`--scope global`）。")
        }
    }

    /// The short name of a pruning scope, for tables.
    func scopeName(_ scope: PruningScope) -> String {
        switch scope {
        case .perLayerStd: language.pick(en: "per-layer thresholds q·σ (Han et al.)", zh: "逐层阈值 q·σ（Han 等）")
        case .layerwise: language.pick(en: "the same fraction in every layer", zh: "每层剪相同的比例")
        case .global: language.pick(en: "one global threshold", zh: "一个全局阈值")
        }
    }

    func maskedFineTuneStage(_ sparsity: Double) -> Stage {
        Stage(en: String(format: "masked fine-tune %.0f%%", sparsity * 100), zh: String(format: "掩码微调（稀疏度 %.0f%%）", sparsity * 100),
              language)
    }

    func sparsityPruned(_ sparsity: Double) -> String {
        let percent = sparsity.wholePercentText
        return language.pick(en: "sparsity \(percent), pruned", zh: "稀疏度 \(percent) 剪枝后")
    }

    func sparsityFineTuned(_ sparsity: Double) -> String {
        let percent = sparsity.wholePercentText
        return language.pick(en: "sparsity \(percent), fine-tuned", zh: "稀疏度 \(percent) 微调后")
    }

    var sweepHeaders: [String] {
        language == .en ? ["Sparsity", "Non-zero parameters", "Accuracy after pruning", "After fine-tuning"]
            : ["稀疏度", "非零参数量", "剪枝后准确率", "微调后准确率"]
    }

    var sparsityCaption: String {
        language.pick(en: """
            Test accuracy against the fraction of weights removed, right after pruning and after masked fine-tuning. \
            The flat line is the dense baseline.
            """, zh: "测试准确率随剪掉的权重比例的变化：剪枝后立即评估，以及掩码微调后评估。水平线是稠密的基线。")
    }

    var sparsityTitle: String { language.pick(en: "Accuracy vs sparsity", zh: "准确率与稀疏度") }
    var weightsRemovedAxis: String { language.pick(en: "Weights removed (%)", zh: "剪掉的权重（%）") }
    var afterPruning: String { language.pick(en: "after pruning", zh: "剪枝后") }
    var afterFineTuning: String { language.pick(en: "after fine-tuning", zh: "微调后") }

    func histogramCaption(_ shown: String) -> String {
        language.pick(en: """
            Weights of all layers of the trained baseline, and the weights that survive \(shown) magnitude pruning after \
            fine-tuning: pruning removes the peak around zero.
            """, zh: "训练好的基线所有层的权重，以及 \(shown) 幅值剪枝并微调后留下的权重：剪枝去掉了零附近的那个峰。")
    }

    var histogramTitle: String { language.pick(en: "Weight values before and after pruning", zh: "剪枝前后的权重分布") }
    var weightValue: String { language.pick(en: "Weight value", zh: "权重值") }
    func keptAfter(_ shown: String) -> String { language.pick(en: "kept after \(shown) pruning", zh: "\(shown) 剪枝后保留的权重") }

    var sweepConclusion: String {
        language.pick(en: """
            The table and Figure 1 show how far the MLP can be thinned: most weights are redundant, and a short \
            masked fine-tune recovers most of what pruning costs, until very high sparsity.
            """, zh: """
            上表和图 1 说明 MLP 可以剪到多稀疏：大部分权重是冗余的，只要稀疏度不是特别高，短暂的掩码微调就能恢复剪枝带来的大部分损失。
            """)
    }

    // MARK: 3. Neuron pruning

    func neuronSection(_ cfg: [Int]) -> String { language.pick(en: "3. Neuron pruning to \(cfg)", zh: "3. 神经元剪枝到 \(cfg)") }

    var neuronMethod: String {
        language.pick(en: """
            A hidden unit $j$ of layer $\\ell$ is scored by the L1 norm of its incoming weights, \
            $\\lVert W^{(\\ell)}_{j,:} \\rVert_1$. Keeping the top units of each hidden layer removes row $j$ of \
            $W^{(\\ell)}$, entry $j$ of its bias, and column $j$ of $W^{(\\ell+1)}$: one surgery for the whole group.
            """, zh: """
            第 $\\ell$ 层的隐藏单元 $j$ 按其输入权重的 L1 范数 $\\lVert W^{(\\ell)}_{j,:} \\rVert_1$ 打分。每个隐藏层只保留\
            得分最高的单元；去掉单元 $j$ 就是删去 $W^{(\\ell)}$ 的第 $j$ 行、偏置的第 $j$ 项以及 $W^{(\\ell+1)}$ 的第 $j$ 列：\
            整组参数一次手术完成。
            """)
    }

    var neuronsPruned: String { language.pick(en: "neurons pruned", zh: "神经元剪枝后") }
    var neuronFineTuneStage: Stage { Stage(en: "neuron fine-tune", zh: "神经元剪枝后微调", language) }
    var unitsCaption: String { language.pick(en: "Hidden units per layer before and after neuron pruning.", zh: "神经元剪枝前后每层的隐藏单元数。") }
    var unitsTitle: String { language.pick(en: "Hidden units per layer", zh: "每层隐藏单元数") }
    var units: String { language.pick(en: "Units", zh: "单元数") }

    func afterSurgery(_ cfg: [Int], pruned: Float, epochs: Int, fineTuned: Float) -> String {
        language.pick(en: """
            Right after the surgery the \(cfg) network reaches \(pruned.percentText); \
            \(epochs.epochsText) of fine-tuning at a constant tenth of the learning rate bring it to \
            \(fineTuned.percentText).
            """, zh: """
            剪枝手术刚完成时，\(cfg) 网络的准确率为 \(pruned.percentText)；以十分之一的恒定学习率微调 \(epochs) 个 epoch 后\
            达到 \(fineTuned.percentText)。
            """)
    }

    // MARK: 4. Scratch, results

    var scratchSection: String {
        language.pick(en: "4. The same small network trained from scratch", zh: "4. 从头训练同样的小网络")
    }

    var baselineModel: String { language.pick(en: "baseline [200, 200, 10]", zh: "基线 [200, 200, 10]") }
    func prunedModel(_ cfg: [Int]) -> String { language.pick(en: "pruned \(cfg), fine-tuned", zh: "剪枝到 \(cfg) 并微调") }
    func scratchModel(_ cfg: [Int]) -> String { "scratch-B \(cfg)" }

    var prunedMinusBaseline: String {
        language.pick(en: "Neuron-pruned, fine-tuned − baseline", zh: "神经元剪枝并微调 − 基线")
    }
    var prunedFineTuned: String {
        language.pick(en: "Neuron-pruned, fine-tuned", zh: "神经元剪枝并微调")
    }

    func summary(_ cfg: [Int], baseline: Float, pruned: Float, fineTuned: Float, fineTuneEpochs: Int, epochs: Int) -> String {
        language.pick(en: """
            Neuron pruning to \(cfg) drops accuracy from \(baseline.percentText) to \
            \(pruned.percentText) before fine-tuning; \(fineTuneEpochs.epochsText) of fine-tuning bring it to \
            \(fineTuned.percentText) (\((fineTuned - baseline).pointsText) points from the baseline, \
            which trained \(epochs) epochs against the pruned network's \(epochs) + \(fineTuneEpochs)).
            """, zh: """
            神经元剪枝到 \(cfg) 后，微调前准确率从 \(baseline.percentText) 降到 \(pruned.percentText)；微调 \
            \(fineTuneEpochs) 个 epoch 后回到 \(fineTuned.percentText)（与基线相差 \((fineTuned - baseline).pointsText) \
            个百分点；基线训练了 \(epochs) 个 epoch，剪枝后的网络则是 \(epochs) + \(fineTuneEpochs) 个）。
            """)
    }

    // MARK: Beside the paper

    func ourSetup(_ dataset: String, epochs: Int) -> String {
        language.pick(en: "784-200-200-10, \(dataset), \(epochs) epochs", zh: "784-200-200-10，\(dataset)，\(epochs) 个 epoch")
    }
    func ofWeights(_ percent: String) -> String { language.pick(en: "\(percent) of weights", zh: "\(percent) 的权重") }
    func maskedSaving(_ percent: String) -> String {
        language.pick(en: "\(percent) of weights (masked, not removed)", zh: "\(percent) 的权重（用掩码置零，并未真正删除）")
    }
    var mnistDigits: String { language.pick(en: "MNIST digits", zh: "MNIST 手写数字") }
    func ourData(_ dataset: String, images: Int) -> String {
        language.pick(en: "\(dataset): \(images.groupedText) training images (clothing, a harder task)",
                      zh: "\(dataset)：\(images.groupedText) 张训练图像（服装图像，任务更难）")
    }
    var lenet: String { language.pick(en: "LeNet-300-100 (784-300-100-10)", zh: "LeNet-300-100（784-300-100-10）") }
    var ourNetwork: String { language.pick(en: "784-200-200-10, the student's reproduction", zh: "784-200-200-10，即学生复现时用的网络") }
    var pruning: String { language.pick(en: "Pruning", zh: "剪枝方式") }
    var paperPruning: String {
        language.pick(en: "per-layer thresholds, pruned and retrained iteratively", zh: "逐层阈值，迭代地剪枝和重新训练")
    }
    func ourPruning(_ scope: PruningScope, fineTuneEpochs: Int) -> String {
        language.pick(en: "\(scopeName(scope)), pruned once per sparsity, then \(fineTuneEpochs.epochsText) of masked fine-tuning",
                      zh: "\(scopeName(scope))，每个稀疏度只剪一次，然后做 \(fineTuneEpochs) 个 epoch 的掩码微调")
    }
}
