// The report's words of lab-vgg-slimming, in English and Chinese side by side (--lang);
// main.swift says what to write, this file how in each language.
import LabKit

struct LabText: LabCatalogue {
    let language: Language

    var title: String { language.pick(en: "Network slimming of VGG", zh: "VGG 的网络瘦身") }

    var intro: String {
        language.pick(en: """
            Network slimming (Liu et al., ICCV 2017) gives every channel a scaling factor and lets training decide \
            which channels matter. The factor is already there: the $\\gamma$ of the BatchNorm after each convolution, \
            $\\hat z = (z - \\mu_B)/\\sqrt{\\sigma_B^2 + \\epsilon}$, $z_{out} = \\gamma \\hat z + \\beta$. Training adds an \
            L1 penalty that pushes many $\\gamma$ to zero:
            """, zh: """
            网络瘦身（Liu 等，ICCV 2017）给每个通道一个缩放因子，让训练来决定哪些通道重要。这个因子其实\
            已经存在：就是每个卷积层后面 BatchNorm 的 $\\gamma$，$\\hat z = (z - \\mu_B)/\\sqrt{\\sigma_B^2 + \\epsilon}$，\
            $z_{out} = \\gamma \\hat z + \\beta$。训练时在损失函数中加入 L1 惩罚项，把许多 $\\gamma$ 推向零：
            """)
    }

    var penalty: String {
        language.pick(en: """
            Its subgradient is added after every backward pass, \
            $\\partial L / \\partial \\gamma \\mathrel{+}= s \\cdot \\mathrm{sign}(\\gamma)$ (network-slimming's `updateBN`). \
            Then one global threshold, the `--percent` quantile of all $|\\gamma|$, decides which channels go; \
            the compact network is rebuilt from the survivors and fine-tuned.
            """, zh: """
            每次反向传播之后加上它的次梯度 $\\partial L / \\partial \\gamma \\mathrel{+}= s \\cdot \\mathrm{sign}(\\gamma)$\
            （network-slimming 的 `updateBN`）。然后用一个全局阈值，即所有 $|\\gamma|$ 的 `--percent` 分位数，决定剪掉哪些通道；\
            用保留下来的通道重建出紧凑的网络，再进行微调。
            """)
    }

    func setup(depth: Int, width: Double, cfg: [Int], dataset: String, train: Int, test: Int, shape: [Int], augment: Bool,
               learningRate: Float,
               batch: Int, epochs: Int, sparsity: Double, sparsityNote: String, protocols: String) -> String {
        language.pick(en: """
            VGG-\(depth) at width ×\(width) (cfg \(cfg)) on \(dataset) \
            (\(train.groupedText) training, \(test.groupedText) test images of shape \(shape), \
            zero-padded to 32×32 where smaller\(augment ? ", random crop and flip" : ", no augmentation")). SGD with momentum 0.9, weight decay 1e-4, learning \
            rate \(learningRate) divided by 10 at 50 % and 75 % of the epochs, batch \(batch), \
            \(epochs) epochs for the baseline and for sparsity training. Sparsity $s$ = \
            \(sparsity)\(sparsityNote) \(protocols)
            """, zh: """
            VGG-\(depth)，宽度 ×\(width)（cfg \(cfg)），数据集 \(dataset)（训练图像 \(train.groupedText) 张，测试图像 \(test.groupedText) 张，\
            形状 \(shape)，不足 32×32 的补零\(augment ? "，随机裁剪和翻转" : "，不做数据增强")）。SGD，动量 0.9，权重衰减 1e-4，学习率 \(learningRate)，\
            在 50 % 和 75 % 的 epoch 处除以 10，批大小 \(batch)，基线和稀疏训练都训练 \(epochs) 个 epoch。稀疏系数 $s$ = \
            \(sparsity)\(sparsityNote)\(protocols)
            """)
    }

    var baselineSection: String { language.pick(en: "1. Baseline", zh: "1. 基线模型") }
    var sparsitySection: String {
        language.pick(en: "2. Sparsity training, global threshold and pruning", zh: "2. 稀疏训练、全局阈值与剪枝")
    }
    var sparsityMethod: String {
        language.pick(en: """
            The same network from the same initialisation, trained with the L1 penalty on every γ; then the global threshold.
            """, zh: "同一个网络从相同的初始化出发，对所有 γ 加 L1 惩罚进行训练；然后用全局阈值剪枝。")
    }

    func sparsityStage(pass: Int, of passes: Int) -> Stage {
        passes > 1 ? Stage(en: "sparsity training (pass \(pass))", zh: "稀疏训练（第 \(pass) 轮）", language) : common.sparsityStage
    }

    func gammaCaption(_ percent: String) -> String {
        language.pick(en: """
            |γ| of every BatchNorm after baseline training and after sparsity training; the dashed line is the global \
            threshold that removes \(percent) of the channels.
            """, zh: "基线训练后和稀疏训练后所有 BatchNorm 的 |γ|；虚线是剪掉 \(percent) 通道的全局阈值。")
    }

    var fineTuneSection: String { language.pick(en: "3. Fine-tune the slimmed network", zh: "3. 微调瘦身后的网络") }
    var l1Section: String { language.pick(en: "4. L1-norm filter pruning for comparison", zh: "4. 作为对比的 L1 范数卷积核剪枝") }
    var l1Paper: String {
        language.pick(en: "Li et al.'s VGG-16 recipe: conv1 and conv8–conv13 lose the half of their filters with the smallest L1 norms.",
                      zh: "采用 Li 等的 VGG-16 方案：conv1 和 conv8–conv13 各剪掉 L1 范数最小的一半卷积核。")
    }

    func l1Matched(macsPercent: String) -> String {
        language.pick(en: """
            Every conv loses the same fraction of its filters, those with the smallest L1 norms, the fraction chosen so \
            that the pruned network has about the slimmed one's multiply-accumulates \
            (\(macsPercent) % of the baseline's).
            """, zh: """
            每个卷积层剪掉相同比例、L1 范数最小的卷积核，比例的选取使剪枝后网络的乘加运算量（MACs）与瘦身后的网络大致相同\
            （为基线的 \(macsPercent) %）。
            """)
    }

    var l1FineTuneStage: Stage { Stage(en: "L1 fine-tune", zh: "L1 剪枝后微调", language) }
    var randomFloor: String {
        language.pick(en: """
            The floor every criterion must beat: the same widths as L1-norm pruning, with the channels each layer keeps \
            chosen at random, fine-tuned as the L1-norm pruned network.
            """, zh: """
            每种剪枝准则都必须超过的下限：每层宽度与 L1 范数剪枝相同，但每层保留的通道随机选取，微调方式也与 L1 范数剪枝后的网络相同。
            """)
    }
    var randomPruned: String { language.pick(en: "random pruned", zh: "随机剪枝后") }
    var randomFineTuned: String { language.pick(en: "random fine-tuned", zh: "随机微调后") }
    var randomFineTuneStage: Stage { Stage(en: "random fine-tune", zh: "随机剪枝后微调", language) }
    var channelsCaption: String {
        language.pick(en: "Channels of every conv layer: original, kept by slimming, kept by L1-norm pruning.",
                      zh: "每个卷积层的通道数：原始、网络瘦身保留的、L1 范数剪枝保留的。")
    }

    var scratchSection: String { language.pick(en: "5. The slimmed architecture trained from scratch", zh: "5. 从头训练瘦身后的结构") }
    var slimmedModel: String { language.pick(en: "slimmed, fine-tuned", zh: "瘦身并微调") }
    var l1Model: String { language.pick(en: "L1-norm pruned, fine-tuned", zh: "L1 范数剪枝并微调") }
    var randomModel: String { language.pick(en: "random channels, fine-tuned", zh: "随机通道并微调") }
    var accuracyCaption: String { language.pick(en: "Test accuracy at every stage.", zh: "每个阶段的测试准确率。") }

    var slimmedMinusBaseline: String { language.pick(en: "Slimmed, fine-tuned − baseline", zh: "瘦身并微调 − 基线") }
    var slimmedFineTuned: String { language.pick(en: "Slimmed, fine-tuned", zh: "瘦身并微调") }
    var slimmingMinusL1: String { language.pick(en: "Slimming − L1 norm at the same MACs", zh: "网络瘦身 − 相同 MACs 下的 L1 范数剪枝") }
    func bothFineTuned(_ epochs: Int, slimming: Int, l1: Int) -> String {
        language.pick(en: "\(epochs) + \(slimming) epochs against \(epochs) + \(l1)",
                      zh: "\(epochs) + \(slimming) 个 epoch 对 \(epochs) + \(l1) 个")
    }
    var l1MinusRandom: String { language.pick(en: "L1 norm − random channels", zh: "L1 范数 − 随机通道") }
    var sameWidths: String { language.pick(en: "same widths, same fine-tuning", zh: "相同宽度，相同微调") }

    func summary(baseline: Float, epochs: Int, sparse: Float, percent: String, pruned: Float, fineTuneEpochs: Int, fineTuned: Float,
                 l1: Float, l1Epochs: Int, random: Float) -> String {
        language.pick(en: """
            The baseline reaches \(baseline.percentText) after \(epochs) epochs. Sparsity training (\(epochs) epochs \
            from the same initialisation) ends at \(sparse.percentText); pruning \
            \(percent) of the channels by the global |γ| threshold leaves \
            \(pruned.percentText), and \(fineTuneEpochs) epochs of fine-tuning \
            \(fineTuned.percentText): \((fineTuned - baseline).pointsText) points against the \
            baseline, with \(epochs + fineTuneEpochs) epochs of training behind the slimmed network against the \
            baseline's \(epochs), so part of any gain is extra training, not pruning. L1-norm pruning reaches \
            \(l1.percentText) after \(l1Epochs.epochsText) of fine-tuning, random channels at the same widths \
            \(random.percentText).
            """, zh: """
            基线训练 \(epochs) 个 epoch 后达到 \(baseline.percentText)。稀疏训练（从相同的初始化出发，\(epochs) 个 epoch）\
            结束时为 \(sparse.percentText)；按全局 |γ| 阈值剪掉 \(percent) 的通道后为 \(pruned.percentText)，再微调 \
            \(fineTuneEpochs) 个 epoch 后为 \(fineTuned.percentText)：与基线相差 \((fineTuned - baseline).pointsText) 个百分点。\
            不过瘦身后的网络总共训练了 \(epochs + fineTuneEpochs) 个 epoch，而基线只有 \(epochs) 个，所以提升中有一部分来自\
            额外的训练，而不是剪枝本身。L1 范数剪枝微调 \(l1Epochs) 个 epoch 后达到 \(l1.percentText)，相同宽度下随机选取通道\
            则为 \(random.percentText)。
            """)
    }

    func scratchTest(_ scratch: ScratchResults, fineTuned: Float) -> String {
        language.pick(en: """
             The fair test of pruning is scratch-B, the slimmed architecture trained from scratch with the baseline's \
            compute: \(scratch.scratchB.percentText) after \(scratch.scratchBEpochs) epochs\
            \(scratch.scratchBCapped ? " (capped)" : ""), against \(fineTuned.percentText) for the fine-tuned \
            slimmed network; scratch-E (\(scratch.scratchEEpochs) epochs) reaches \(scratch.scratchE.percentText).
            """, zh: """
            检验剪枝是否真正有用的公平对比是 scratch-B，即用与基线相同的计算量从头训练瘦身后的结构：训练 \
            \(scratch.scratchBEpochs) 个 epoch\(scratch.scratchBCapped ? "（受上限截断）" : "")后为 \
            \(scratch.scratchB.percentText)，而微调后的瘦身网络为 \(fineTuned.percentText)；scratch-E\
            （\(scratch.scratchEEpochs) 个 epoch）为 \(scratch.scratchE.percentText)。
            """)
    }

    // MARK: Beside the papers

    func ourSetup(depth: Int, width: Double, dataset: String, epochs: Int, sparsity: Double) -> String {
        language.pick(en: "VGG-\(depth) ×\(width), \(dataset), \(epochs) epochs, s = \(sparsity)",
                      zh: "VGG-\(depth) ×\(width)，\(dataset)，\(epochs) 个 epoch，s = \(sparsity)")
    }
    var sameBaseline: String { language.pick(en: "the same baseline", zh: "同一个基线") }
    func l1Pruning(paperRecipe: Bool) -> String {
        language.pick(en: "L1 norm, \(paperRecipe ? "Li et al.'s VGG-16 recipe" : "slimming's MACs")",
                      zh: "L1 范数，\(paperRecipe ? "Li 等的 VGG-16 方案" : "与网络瘦身相同的 MACs")")
    }
    var paperNetworks: String {
        language.pick(en: "VGG-19 (slimming), VGG-16 (L1 norm), full width", zh: "VGG-19（网络瘦身）、VGG-16（L1 范数），原始宽度")
    }
    func ourNetwork(depth: Int, width: Double, cfg: [Int]) -> String {
        language.pick(en: "VGG-\(depth) at width ×\(width), cfg \(cfg)", zh: "VGG-\(depth)，宽度 ×\(width)，cfg \(cfg)")
    }
}
