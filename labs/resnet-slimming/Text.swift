// The report's words of lab-resnet-slimming, in English and Chinese side by side (--lang);
// main.swift says what to write, this file how in each language.
import LabKit

struct LabText: LabCatalogue {
    let language: Language

    /// The short chart labels of the channel selections (`2.1 sel`, `final sel`).
    var selectionShort: String { language.pick(en: "sel", zh: "选择") }
    var finalSelectionShort: String { language.pick(en: "final sel", zh: "最终选择") }

    var title: String { language.pick(en: "Network slimming and L1-norm pruning of ResNets", zh: "ResNet 的网络瘦身与 L1 范数剪枝") }

    var intro: String {
        language.pick(en: """
            Residual networks make channel pruning harder: a block's output is added to its input, so the channels \
            of the residual stream are shared by every block of a stage and cannot be removed one layer at a time. \
            This lab prunes two ResNets in the two ways the papers (and the student's reproduction this lab grew from) do:
            """, zh: """
            残差网络让通道剪枝变得更难：残差块的输出要与输入相加，所以残差流的通道被同一个 stage 的所有残差块共享，\
            不能逐层单独剪。本实验按论文（以及本实验所源自的学生复现）的两种方式剪枝两个 ResNet：
            """)
    }

    func slimmingBullet(depth: Int) -> String {
        language.pick(en: """
            **Network slimming** of a pre-activation ResNet-\(depth) with Bottleneck blocks (Liu et al., ICCV 2017): \
            BatchNorm γ are pushed towards zero by an L1 penalty, one global threshold on |γ| picks the channels. Inside a \
            block, conv1's and conv2's filters go with their BatchNorms. The block's *input* channels are shared, so a \
            `ChannelSelection` layer after the block's first BatchNorm passes on only the kept ones and conv1 loses the \
            matching input slices, while the residual stream stays whole (network-slimming's `resprune.py`).
            """, zh: """
            对带 Bottleneck 模块的预激活 ResNet-\(depth) 做**网络瘦身**（Liu 等，ICCV 2017）：用 L1 惩罚把 BatchNorm 的 γ \
            推向零，再用 |γ| 上的一个全局阈值选出通道。在残差块内部，conv1 和 conv2 的卷积核连同各自的 BatchNorm 一起剪掉。\
            残差块的*输入*通道是共享的，所以在块的第一个 BatchNorm 之后放一个通道选择层（`ChannelSelection`），只把保留的\
            通道传下去，conv1 也去掉对应的输入切片，而残差流保持完整（network-slimming 的 `resprune.py`）。
            """)
    }

    func l1Bullet(depth: Int) -> String {
        language.pick(en: """
            **L1-norm filter pruning** of a BasicBlock ResNet-\(depth) (Li et al., ICLR 2017): in each block only \
            the first conv's filters are pruned, by the L1 norm of their weights, with one ratio per stage, and sensitive \
            layers left whole (rethinking-network-pruning's `res56prune.py -v B`).
            """, zh: """
            对 BasicBlock 结构的 ResNet-\(depth) 做 **L1 范数卷积核剪枝**（Li 等，ICLR 2017）：每个残差块只剪第一个卷积层的\
            卷积核，按权重的 L1 范数排序，每个 stage 用一个剪枝比例，敏感层不剪（rethinking-network-pruning 的 \
            `res56prune.py -v B`）。
            """)
    }

    func setup(dataset: String, train: Int, test: Int, shape: [Int], augment: Bool, width: Double, learningRate: Float, batch: Int,
               epochs: Int, sparsity: Double, sparsityNote: String, protocols: String) -> String {
        language.pick(en: """
            \(dataset): \(train.groupedText) training and \(test.groupedText) test images of shape \
            \(shape) (zero-padded to 32×32 where smaller\(augment ? "; random crop and flip" : "; no augmentation")). \
            Both ResNets at width ×\(width). SGD with momentum 0.9, weight decay 1e-4, learning rate \
            \(learningRate) divided by 10 at 50 % and 75 % of the epochs, batch \(batch), \
            \(epochs) epochs for each baseline and for sparsity training. Sparsity $s$ = \(sparsity)\
            \(sparsityNote) \(protocols)
            """, zh: """
            \(dataset)：训练图像 \(train.groupedText) 张，测试图像 \(test.groupedText) 张，形状 \(shape)（不足 32×32 的补零\
            \(augment ? "；随机裁剪和翻转" : "；不做数据增强")）。两个 ResNet 的宽度都是 ×\(width)。SGD，动量 0.9，\
            权重衰减 1e-4，学习率 \(learningRate)，在 50 % 和 75 % 的 epoch 处除以 10，批大小 \(batch)，每个基线和稀疏训练\
            都训练 \(epochs) 个 epoch。稀疏系数 $s$ = \(sparsity)\(sparsityNote)\(protocols)
            """)
    }

    func preresnetSection(depth: Int) -> String {
        language.pick(en: "A1. Baseline pre-activation ResNet-\(depth)", zh: "A1. 预激活 ResNet-\(depth) 基线")
    }
    var preresnetStage: Stage { Stage(en: "PreResNet baseline", zh: "PreResNet 基线训练", language) }
    var preresnetBaseline: String { language.pick(en: "PreResNet baseline", zh: "PreResNet 基线") }
    var sparsitySection: String {
        language.pick(en: "A2. Sparsity training, global threshold and channel selection", zh: "A2. 稀疏训练、全局阈值与通道选择")
    }

    func gammaCaption(_ percent: String) -> String {
        language.pick(en: """
            |γ| of every BatchNorm that scores a prunable channel, after baseline training and after sparsity training; \
            the dashed line is the global threshold that removes \(percent) of them.
            """, zh: "为可剪通道打分的所有 BatchNorm 的 |γ|，分别在基线训练后和稀疏训练后统计；虚线是剪掉其中 \(percent) 的全局阈值。")
    }

    var channelsCaption: String {
        language.pick(en: """
            Channels of every prunable layer of the pre-activation ResNet: original and kept by slimming. `sel` is the \
            channel selection in front of a block's conv1, `c1` and `c2` are the filters of conv1 and conv2.
            """, zh: """
            预激活 ResNet 每个可剪层的通道数：原始的和网络瘦身保留的。`sel` 是残差块 conv1 前面的通道选择层，\
            `c1` 和 `c2` 分别是 conv1 和 conv2 的卷积核。
            """)
    }

    func bottleneckCaption(_ block: String) -> String {
        language.pick(en: """
            The Bottleneck block that lost the most channels, \(block), before and after slimming: the channel \
            selection passes on only the kept channels of the shared input, conv1 and conv2 lose filters, and conv3 restores \
            the residual stream's width, so the shortcut and the addition are untouched.
            """, zh: """
            通道被剪得最多的 Bottleneck 模块 \(block) 在瘦身前后的结构：通道选择层只把共享输入中保留的通道传下去，conv1 和 \
            conv2 的卷积核被剪掉一部分，conv3 再把宽度恢复成残差流的宽度，所以捷径连接和相加操作都不受影响。
            """)
    }

    var fineTuneSection: String { language.pick(en: "A3. Fine-tune and train from scratch", zh: "A3. 微调与从头训练") }

    func l1Section(depth: Int) -> String {
        language.pick(en: "B1. BasicBlock ResNet-\(depth) and L1-norm pruning", zh: "B1. BasicBlock ResNet-\(depth) 与 L1 范数剪枝")
    }
    var resnetStage: Stage { Stage(en: "ResNet baseline", zh: "ResNet 基线训练", language) }
    var resnetBaseline: String { language.pick(en: "ResNet baseline", zh: "ResNet 基线") }

    func l1Method(ratios: [Double], skipped: [Int]) -> String {
        let left = skipped.map(String.init)
        return language.pick(en: """
            Ratios per stage \(ratios); conv layers left whole: \
            \(left.isEmpty ? "none" : left.joined(separator: ", ")). Each block's first conv \
            keeps ⌊n·(1 − ratio)⌋ of its n filters, those with the largest L1 norms; its BatchNorm and the second conv's \
            input slices follow. Block outputs, tied to the shortcuts, stay whole.
            """, zh: """
            每个 stage 的剪枝比例为 \(ratios)；不剪的卷积层：\(left.isEmpty ? "无" : left.joined(separator: "、"))。\
            每个残差块的第一个卷积层在 n 个卷积核中保留 L1 范数最大的 ⌊n·(1 − ratio)⌋ 个，其 BatchNorm 和第二个卷积层的\
            输入切片随之剪掉。残差块的输出与捷径连接绑定，保持不变。
            """)
    }

    var resnetL1Pruned: String { language.pick(en: "ResNet L1 pruned", zh: "ResNet L1 剪枝后") }
    var resnetL1FineTuneStage: Stage { Stage(en: "ResNet L1 fine-tune", zh: "ResNet L1 剪枝后微调", language) }
    var resnetL1FineTuned: String { language.pick(en: "ResNet L1 fine-tuned", zh: "ResNet L1 微调后") }
    var l1ChannelsCaption: String {
        language.pick(en: """
            Inner channels (first conv's filters) of every block of the BasicBlock ResNet: original and kept by L1-norm pruning.
            """, zh: "BasicBlock ResNet 每个残差块的内部通道数（第一个卷积层的卷积核）：原始的和 L1 范数剪枝保留的。")
    }

    func preresnetModel(_ depth: Int, slimmed: Bool) -> String {
        slimmed ? language.pick(en: "PreResNet-\(depth) slimmed, fine-tuned", zh: "PreResNet-\(depth) 瘦身并微调")
            : language.pick(en: "PreResNet-\(depth) baseline", zh: "PreResNet-\(depth) 基线")
    }
    func resnetModel(_ depth: Int, pruned: Bool) -> String {
        pruned ? language.pick(en: "ResNet-\(depth) L1-pruned, fine-tuned", zh: "ResNet-\(depth) L1 剪枝并微调")
            : language.pick(en: "ResNet-\(depth) baseline", zh: "ResNet-\(depth) 基线")
    }

    var accuracyCaption: String {
        language.pick(en: """
            Test accuracy at every stage: the slimming stages of the pre-activation ResNet, then the BasicBlock ResNet \
            before and after L1-norm pruning.
            """, zh: "每个阶段的测试准确率：先是预激活 ResNet 的网络瘦身各阶段，然后是 BasicBlock ResNet 在 L1 范数剪枝前后的结果。")
    }

    var slimmedMinusBaseline: String {
        language.pick(en: "Slimmed PreResNet, fine-tuned − baseline", zh: "瘦身并微调的 PreResNet − 基线")
    }
    var slimmedFineTuned: String {
        language.pick(en: "Slimmed PreResNet, fine-tuned", zh: "瘦身并微调的 PreResNet")
    }
    var l1MinusBaseline: String { language.pick(en: "L1-pruned ResNet, fine-tuned − baseline", zh: "L1 剪枝并微调的 ResNet − 基线") }

    func summary(baseline: Float, epochs: Int, sparse: Float, percent: String, pruned: Float, fineTuned: Float, fineTuneEpochs: Int,
                 l1Depth: Int, resnet: Float, l1Pruned: Float, l1: Float, l1Epochs: Int) -> String {
        language.pick(en: """
            Slimming: the baseline reaches \(baseline.percentText) after \(epochs) epochs, sparsity training \
            \(sparse.percentText); pruning \(percent) of the channels leaves \
            \(pruned.percentText) before and \(fineTuned.percentText) after \(fineTuneEpochs) \
            epochs of fine-tuning (\((fineTuned - baseline).pointsText) points against the baseline, with \
            \(epochs + fineTuneEpochs) epochs of training behind the slimmed network against the baseline's \
            \(epochs)). L1-norm pruning of ResNet-\(l1Depth): \(resnet.percentText) → \
            \(l1Pruned.percentText) right after pruning → \(l1.percentText) after \(l1Epochs.epochsText) \
            of fine-tuning.
            """, zh: """
            网络瘦身：基线训练 \(epochs) 个 epoch 后达到 \(baseline.percentText)，稀疏训练后为 \(sparse.percentText)；\
            剪掉 \(percent) 的通道后，微调前为 \(pruned.percentText)，微调 \(fineTuneEpochs) 个 epoch 后为 \
            \(fineTuned.percentText)（与基线相差 \((fineTuned - baseline).pointsText) 个百分点；瘦身后的网络总共训练了 \
            \(epochs + fineTuneEpochs) 个 epoch，基线只有 \(epochs) 个）。ResNet-\(l1Depth) 的 L1 范数剪枝：\
            \(resnet.percentText) → 剪枝后 \(l1Pruned.percentText) → 微调 \(l1Epochs) 个 epoch 后 \(l1.percentText)。
            """)
    }

    // MARK: Beside the papers

    func dataSetup(_ dataset: String, epochs: Int) -> String {
        language.pick(en: "\(dataset), \(epochs) epochs", zh: "\(dataset)，\(epochs) 个 epoch")
    }
    func preresnetSetup(depth: Int, width: Double, data: String, sparsity: Double) -> String {
        language.pick(en: "PreResNet-\(depth) ×\(width), \(data), s = \(sparsity)",
                      zh: "PreResNet-\(depth) ×\(width)，\(data)，s = \(sparsity)")
    }
    func resnetSetup(depth: Int, width: Double, data: String) -> String {
        language.pick(en: "ResNet-\(depth) ×\(width), \(data)", zh: "ResNet-\(depth) ×\(width)，\(data)")
    }
    func l1Ratios(_ ratios: [Double]) -> String {
        language.pick(en: "L1 norm, ratios \(ratios) per stage", zh: "L1 范数，各 stage 剪枝比例 \(ratios)")
    }
    var paperData: String {
        language.pick(en: "CIFAR-10: 50,000 colour training images of 32×32, crop and flip",
                      zh: "CIFAR-10：50,000 张 32×32 的彩色训练图像，随机裁剪和翻转")
    }
    var networks: String { language.pick(en: "Networks", zh: "网络") }
    var paperNetworks: String {
        language.pick(en: "PreResNet-164 (slimming), ResNet-56 (L1 norm), full width",
                      zh: "PreResNet-164（网络瘦身）、ResNet-56（L1 范数），原始宽度")
    }
    func ourNetworks(depth: Int, l1Depth: Int, width: Double) -> String {
        language.pick(en: "PreResNet-\(depth) and ResNet-\(l1Depth) at width ×\(width)",
                      zh: "PreResNet-\(depth) 和 ResNet-\(l1Depth)，宽度 ×\(width)")
    }
}
