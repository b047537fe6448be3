// The report's words of lab-rethinking, in English and Chinese side by side (--lang);
// main.swift says what to write, this file how in each language.
import Foundation
import LabKit

struct LabText: LabCatalogue {
    let language: Language

    var title: String {
        language.pick(en: "Rethinking the value of network pruning", zh: "重新思考网络剪枝的价值")
    }

    var intro: String {
        language.pick(en: """
            Pruning is usually a three-stage pipeline: train a large network, remove what a criterion calls unimportant, and \
            fine-tune what is left, keeping the surviving weights. *Rethinking the Value of Network Pruning* (Liu et al., \
            ICLR 2019) asks what those inherited weights are worth: train the pruned architecture from a fresh random \
            initialisation instead, and is it worse? For every structured pruning method they examined it was not: \
            fine-tuning gave comparable or worse accuracy than training the pruned model from scratch, so the value of such \
            pruning lies in the architecture it finds. This lab repeats the paper's central comparison on Fashion-MNIST for \
            L1-norm filter pruning, network slimming and weight-level pruning of VGG and soft filter pruning of ResNet, and \
            its test of the lottery ticket hypothesis (Frankle & Carbin, ICLR 2019) at two learning rates.
            """, zh: """
            剪枝通常分三步：训练一个大网络，按某个准则去掉“不重要”的部分，再微调剩下的网络，保留存活下来的权重。\
            《Rethinking the Value of Network Pruning》（Liu 等，ICLR 2019）追问这些继承来的权重到底值多少：\
            如果把剪枝后的结构重新随机初始化、从头训练，结果会更差吗？对他们考察的每一种结构化剪枝方法，答案都是否定的：\
            微调得到的准确率与从头训练剪枝后的模型相当，甚至更差，因此这类剪枝的价值在于它找到的网络结构。\
            本实验在 Fashion-MNIST 上重复论文的核心对比：VGG 的 L1 范数卷积核剪枝、网络瘦身和权重级剪枝，\
            以及 ResNet 的软卷积核剪枝（SFP）；并在两种学习率下重复论文对彩票假设（Frankle 和 Carbin，ICLR 2019）的检验。
            """)
    }

    var budgets: String {
        language.pick(en: """
            The paper gives the scratch runs two budgets. **Scratch-E** trains the pruned architecture, freshly initialised, \
            for the unpruned network's E epochs. **Scratch-B** trains it for the unpruned network's compute: a pruned \
            network does fewer multiply-accumulates (MACs) per image, so the same compute buys more epochs, at least E:
            """, zh: """
            论文给从头训练设了两种预算。**scratch-E** 把剪枝后的结构重新初始化，训练与未剪枝网络相同的 E 个 epoch。\
            **scratch-B** 给它与未剪枝网络相同的计算量：剪枝后的网络每张图像的乘加运算（MACs）更少，同样的计算量\
            可以训练更多 epoch，至少 E 个：
            """)
    }

    func setup(dataset: String, train: Int, test: Int, shape: [Int], subset: Bool, augment: Bool, epochs: Int,
               learningRate: Float, batch: Int, resnet: (config: TrainingConfig, images: Int)?) -> String {
        language.pick(en: """
            Data: \(dataset), \(train.groupedText) training images\(subset ? " (a stratified subset, so that every section fits the preset's time)" : "") \
            and all \(test.groupedText) test images, of shape \(shape) (zero-padded to 32×32 where smaller), \
            \(augment ? "with random crop and flip" : "without augmentation (on Fashion-MNIST crop and flip kept short baselines from converging)"). \
            Every network trained from scratch here (the unpruned baselines, sparsity training, scratch-E and scratch-B, the \
            tickets) uses SGD with momentum 0.9, weight decay 1e-4, batch \(batch) and learning rate \(learningRate) divided \
            by 10 at 50 % and 75 % of its epochs, rethinking-network-pruning's CIFAR recipe, for E = \(epochs) epochs \
            (160 there)\(resnet.map { ", except the ResNet of section 4 and its scratch runs: \($0.images) images, E = \($0.config.epochs) epochs at batch \($0.config.batchSize) and rate \($0.config.learningRate)" } ?? ""). \
            Each method is fine-tuned as its reference code does, as its section says.
            """, zh: """
            数据：\(dataset)，训练图像 \(train.groupedText) 张\(subset ? "（分层抽取的子集，使每个部分都能在预设的时间内完成）" : "")，\
            测试图像全部 \(test.groupedText) 张，形状 \(shape)（不足 32×32 的补零），\
            \(augment ? "训练时随机裁剪和翻转" : "不做数据增强（在 Fashion-MNIST 上，随机裁剪和翻转使较短的基线训练无法收敛）")。这里每个从头训练的网络\
            （未剪枝的基线、稀疏训练、scratch-E 和 scratch-B、各轮彩票）都使用 SGD，动量 0.9，权重衰减 1e-4，\
            批大小 \(batch)，学习率 \(learningRate)，在 50 % 和 75 % 的 epoch 处除以 10，即 rethinking-network-pruning \
            的 CIFAR 配置，训练 E = \(epochs) 个 epoch（论文为 160）\(resnet.map { "；第 4 节的 ResNet 及其 scratch 训练除外：训练图像 \($0.images) 张，E = \($0.config.epochs) 个 epoch，批大小 \($0.config.batchSize)，学习率 \($0.config.learningRate)" } ?? "")。\
            每种方法按其参考代码的方式微调，见各节。
            """)
    }

    func methodName(_ method: Method) -> String {
        switch method {
        case .l1: l1Name
        case .slimming: slimmingName
        case .weightLevel: weightLevelName
        case .sfp: sfpName
        case .lottery: lotteryName
        }
    }

    func sectionsRun(_ methods: [Method], lotteryOnVGG: Bool, preset: String) -> String {
        let run = list(methods.map(methodName))
        let left = Method.allCases.filter { !methods.contains($0) }
        var sentence = language.pick(en: "This run covers \(run).", zh: "本次运行包括：\(run)。")
        if !left.isEmpty {
            sentence += language.pick(en: """
                 It leaves out \(list(left.map(methodName))): `--methods \(left.map(\.rawValue).joined(separator: ","))` \
                (or `--preset standard`) runs them.
                """, zh: """
                未运行：\(list(left.map(methodName)))；`--methods \(left.map(\.rawValue).joined(separator: ","))`\
                （或 `--preset standard`）会运行它们。
                """)
        }
        if methods.contains(.lottery) && !lotteryOnVGG {
            sentence += language.pick(en: " The \(preset) preset runs the lottery tickets of the MLP only; `--preset standard` adds VGG's.",
                                      zh: "\(preset) 预设只运行 MLP 的彩票实验；`--preset standard` 还会运行 VGG 的。")
        }
        return sentence
    }

    /// "a, b and c" / "a、b 和 c".
    func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return language.pick(en: items.dropLast().joined(separator: ", ") + " and " + items.last!,
                             zh: items.dropLast().joined(separator: "、") + "和" + items.last!)
    }

    // MARK: The unpruned VGG

    var baselineSection: String { language.pick(en: "The unpruned VGG", zh: "未剪枝的 VGG") }
    func baselineStage(depth: Int) -> Stage { Stage(en: "VGG-\(depth) baseline", zh: "VGG-\(depth) 基线训练", language) }
    func vggBaseline(depth: Int) -> String { language.pick(en: "VGG-\(depth) baseline", zh: "VGG-\(depth) 基线") }

    // MARK: 1. L1-norm filter pruning

    var l1Name: String { language.pick(en: "L1-norm filter pruning", zh: "L1 范数卷积核剪枝") }
    var l1Short: String { language.pick(en: "L1 norm", zh: "L1 范数") }
    var l1Section: String { language.pick(en: "1. L1-norm filter pruning of VGG", zh: "1. VGG 的 L1 范数卷积核剪枝") }
    var l1Prefix: Stage { Stage(en: "L1", zh: "L1", language) }
    var l1Pruned: String { language.pick(en: "L1 pruned", zh: "L1 剪枝后") }
    var l1FineTuned: String { language.pick(en: "L1 fine-tuned", zh: "L1 微调后") }
    var l1FineTuneStage: Stage { Stage(en: "L1 fine-tune", zh: "L1 剪枝后微调", language) }

    func l1Method(depth: Int, layers: [String]) -> String {
        language.pick(en: """
            Li et al. (ICLR 2017) rank the filters of a conv by the L1 norm of their weights, Σ|W|, and remove the smallest, \
            with their BatchNorm channels and the next layer's input slices; the pruned network keeps the surviving weights \
            and is fine-tuned. As their VGG-16 "pruned-A" (conv1 and conv8–conv13, the 512-wide convs, lose half their \
            filters), VGG-\(depth) here loses half the filters of \(list(layers)): conv1 and the convs of the widest width.
            """, zh: """
            Li 等（ICLR 2017）按卷积核权重的 L1 范数 Σ|W| 给每个卷积层的卷积核排序，去掉最小的，连同对应的 BatchNorm \
            通道和下一层的输入切片；剪枝后的网络保留存活的权重并进行微调。仿照他们的 VGG-16 “pruned-A”（conv1 和 \
            conv8–conv13 这些 512 宽的卷积层各剪掉一半卷积核），这里的 VGG-\(depth) 剪掉 \(list(layers)) 各一半的卷积核，\
            即 conv1 和最宽的那些卷积层。
            """)
    }

    func l1Protocol(fineTuneEpochs: Int, rate: Float, epochs: Int) -> String {
        language.pick(en: """
            Fine-tuning as rethinking-network-pruning's `main_finetune.py`: \(fineTuneEpochs.epochsText), a quarter of E = \
            \(epochs), at a constant \(rate), a hundredth of the training rate (40 epochs at 0.001 there). The fine-tuned \
            network thus has \(epochs) + \(fineTuneEpochs) epochs behind it; scratch-E gets \(epochs), scratch-B its compute.
            """, zh: """
            微调方式与 rethinking-network-pruning 的 `main_finetune.py` 相同：以恒定学习率 \(rate)（训练学习率的百分之一）\
            微调 \(fineTuneEpochs) 个 epoch，即 E = \(epochs) 的四分之一（论文为以 0.001 微调 40 个 epoch）。\
            因此微调后的网络共训练了 \(epochs) + \(fineTuneEpochs) 个 epoch；scratch-E 训练 \(epochs) 个，scratch-B 按计算量折算。
            """)
    }

    func l1Result(pruned: Float, fineTuned: Float, scratch: ScratchResults, macs: Double) -> String {
        language.pick(en: """
            The pruned network does \(String(format: "%.1f", 100 * macs)) % of the unpruned MACs. Right after pruning it \
            reaches \(pruned.percentText), fine-tuned \(fineTuned.percentText); from scratch \(scratch.scratchE.percentText) \
            (scratch-E) and \(scratch.scratchB.percentText) (scratch-B, \(scratch.scratchBEpochs) epochs).
            """, zh: """
            剪枝后的网络计算量为未剪枝网络的 \(String(format: "%.1f", 100 * macs)) %。剪枝后立即评估为 \(pruned.percentText)，\
            微调后为 \(fineTuned.percentText)；从头训练为 \(scratch.scratchE.percentText)（scratch-E）和 \
            \(scratch.scratchB.percentText)（scratch-B，\(scratch.scratchBEpochs) 个 epoch）。
            """)
    }

    var l1Claim: String {
        language.pick(en: "scratch-B matches or beats fine-tuning (Table 1)", zh: "scratch-B 与微调相当或更好（表 1）")
    }
    var l1Pruning: String {
        language.pick(en: "L1 norm: conv1 and the widest convs by 50 %", zh: "L1 范数：conv1 和最宽的卷积层各剪 50 %")
    }
    var paperL1: String {
        language.pick(en: "VGG-16 pruned-A (conv1, conv8–13 by 50 %); fine-tuned 40 epochs at 0.001",
                      zh: "VGG-16 pruned-A（conv1、conv8–13 各剪 50 %）；以 0.001 微调 40 个 epoch")
    }
    func ourL1(depth: Int, fineTune: Int) -> String {
        language.pick(en: "VGG-\(depth): conv1 and the widest convs by 50 %; fine-tuned \(fineTune.epochsText) at a hundredth of the rate",
                      zh: "VGG-\(depth)：conv1 和最宽的卷积层各剪 50 %；以百分之一的学习率微调 \(fineTune) 个 epoch")
    }

    // MARK: 2. Network slimming

    var slimmingName: String { language.pick(en: "network slimming", zh: "网络瘦身") }
    var slimmingShort: String { language.pick(en: "slimming", zh: "网络瘦身") }
    var slimmingSection: String { language.pick(en: "2. Network slimming of VGG", zh: "2. VGG 的网络瘦身") }
    var slimmingPrefix: Stage { Stage(en: "slimming", zh: "网络瘦身", language) }
    var slimmingPruned: String { language.pick(en: "slimmed", zh: "瘦身后") }
    var slimmingFineTuned: String { language.pick(en: "slimmed, fine-tuned", zh: "瘦身并微调") }

    func slimmingMethod(sparsity: Double, percent: String) -> String {
        language.pick(en: """
            Network slimming (Liu et al., ICCV 2017) trains the network from the baseline's initialisation with an L1 \
            penalty s·Σ|γ| on every BatchNorm scale (s = \(sparsity)), removes the \(percent) of all channels with the \
            smallest |γ| by one global threshold (network-slimming's `vggprune.py`), rebuilds the compact network from the \
            survivors and fine-tunes it. Which channels each layer keeps is decided by training, so the architecture is the \
            method's output.
            """, zh: """
            网络瘦身（Liu 等，ICCV 2017）从基线的初始化出发，对每个 BatchNorm 的缩放因子加 L1 惩罚 s·Σ|γ|（s = \(sparsity)）\
            进行训练，用一个全局阈值去掉 |γ| 最小的 \(percent) 的通道（network-slimming 的 `vggprune.py`），\
            用保留下来的通道重建紧凑的网络并微调。每层保留哪些通道由训练决定，所以网络结构本身就是这个方法的产出。
            """)
    }

    func slimmingProtocol(fineTuneEpochs: Int) -> String {
        language.pick(en: """
            Fine-tuning as network-slimming's `main_finetune.py` (`--refine`): \(fineTuneEpochs) epochs with the training \
            schedule and rate. The fine-tuned network has E sparsity-training epochs and \(fineTuneEpochs) fine-tuning epochs \
            behind it.
            """, zh: """
            微调方式与 network-slimming 的 `main_finetune.py`（`--refine`）相同：按训练时的学习率和策略微调 \
            \(fineTuneEpochs) 个 epoch。因此微调后的网络经历了 E 个稀疏训练 epoch 和 \(fineTuneEpochs) 个微调 epoch。
            """)
    }

    func slimmingResult(sparse: Float, pruned: Float, fineTuned: Float, scratch: ScratchResults, cfg: [Int]) -> String {
        language.pick(en: """
            Sparsity training ends at \(sparse.percentText); the threshold leaves the convs \(cfg) at \
            \(pruned.percentText), and fine-tuning reaches \(fineTuned.percentText). From scratch: \
            \(scratch.scratchE.percentText) (scratch-E), \(scratch.scratchB.percentText) (scratch-B, \
            \(scratch.scratchBEpochs) epochs).
            """, zh: """
            稀疏训练结束时为 \(sparse.percentText)；阈值剪枝后各卷积层为 \(cfg)，准确率 \(pruned.percentText)，\
            微调后达到 \(fineTuned.percentText)。从头训练：\(scratch.scratchE.percentText)（scratch-E），\
            \(scratch.scratchB.percentText)（scratch-B，\(scratch.scratchBEpochs) 个 epoch）。
            """)
    }

    var slimmingClaim: String {
        language.pick(en: "scratch-B matches or beats fine-tuning (Table 4)", zh: "scratch-B 与微调相当或更好（表 4）")
    }
    var paperSlimming: String {
        language.pick(en: "VGG-19, s = 1e-4, 70 % of channels, fine-tuned 160 epochs",
                      zh: "VGG-19，s = 1e-4，剪掉 70 % 的通道，微调 160 个 epoch")
    }
    func ourSlimming(depth: Int, sparsity: Double, epochs: Int) -> String {
        language.pick(en: "VGG-\(depth), s = \(sparsity) (stronger, for \(epochs) short epochs), fine-tuned \(epochs) epochs",
                      zh: "VGG-\(depth)，s = \(sparsity)（为 \(epochs) 个较短的 epoch 加大），微调 \(epochs) 个 epoch")
    }

    // MARK: 3. Weight-level pruning

    var weightLevelName: String { language.pick(en: "weight-level pruning", zh: "权重级剪枝") }
    var weightLevelShort: String { language.pick(en: "weight level", zh: "权重级") }
    var weightLevelSection: String { language.pick(en: "3. Weight-level pruning of VGG", zh: "3. VGG 的权重级剪枝") }
    var weightLevelPrefix: Stage { Stage(en: "weight-level", zh: "权重级剪枝", language) }
    var weightLevelPruned: String { language.pick(en: "weight-level pruned", zh: "权重剪枝后") }
    var weightLevelFineTuned: String { language.pick(en: "weight-level fine-tuned", zh: "权重剪枝并微调") }
    var weightLevelFineTuneStage: Stage { Stage(en: "weight-level fine-tune", zh: "权重级剪枝后微调", language) }

    func weightLevelMethod(percent: String) -> String {
        language.pick(en: """
            Han et al.'s magnitude pruning (NeurIPS 2015), as rethinking-network-pruning's `cifar/weight-level` runs it: one \
            threshold on |w| over all conv weights together removes \(percent) of them (the classifier stays dense), and \
            masks hold the pruned weights at zero while the rest is fine-tuned. The network keeps its shape; what it saves is \
            non-zero weights, which only sparse kernels turn into speed. Here the "architecture" that scratch training \
            inherits is the mask.
            """, zh: """
            Han 等的幅值剪枝（NeurIPS 2015），按 rethinking-network-pruning 的 `cifar/weight-level` 的方式：\
            在所有卷积权重上用一个 |w| 阈值剪掉 \(percent)（分类层保持稠密），剪掉的权重由掩码固定为零，其余权重继续微调。\
            网络形状不变，节省的是非零权重，只有稀疏计算核才能把它变成速度。这里从头训练所继承的“结构”就是掩码。
            """)
    }

    func weightLevelProtocol(fineTuneEpochs: Int, rate: Float) -> String {
        language.pick(en: """
            Fine-tuning as `cifar_finetune.py`: \(fineTuneEpochs.epochsText) at a constant \(rate) with the masks kept \
            (40 epochs at 0.001 after 160 at 0.1 there: a quarter of the epochs at a hundredth of the rate).
            """, zh: """
            微调方式与 `cifar_finetune.py` 相同：保持掩码，以恒定学习率 \(rate) 微调 \(fineTuneEpochs) 个 epoch\
            （论文在 160 个 epoch、学习率 0.1 的训练之后以 0.001 微调 40 个 epoch：四分之一的 epoch，百分之一的学习率）。
            """)
    }

    func weightLevelScratchRule(kept: Double, baselineEpochs: Int, epochs: Int) -> String {
        let percent = String(format: "%.1f", 100 * kept)
        return language.pick(en: """
            Scratch-E and scratch-B train the same masks from a fresh initialisation, the kept conv weights drawn from \
            N(0, 2/n) with n the kept weights of the layer over its input channels (`cifar_E.py`, `cifar_B.py`), with the \
            baseline's learning-rate schedule: scratch-E for its \(baselineEpochs) epochs, scratch-B for its compute. Scratch-B's \
            compute counts only the kept weights, as the reference's `count_flops.py` counts a conv's FLOPs from its non-zero \
            weights: the pruned network does \(percent) % of the unpruned MACs, so the rule gives scratch-B \(epochs) epochs. \
            (`cifar_B.py` as published counts both networks before it loads the pruned weights, which would make the ratio 1 \
            and scratch-B the same as scratch-E; this lab follows the counting's evident intent.) The engine runs masked \
            convolutions densely, so scratch-B's extra epochs cost this run more time, not the same.
            """, zh: """
            scratch-E 和 scratch-B 在重新初始化的网络上训练同样的掩码，保留的卷积权重从 N(0, 2/n) 中抽取，\
            n 是该层保留的权重数除以输入通道数（`cifar_E.py`、`cifar_B.py`），学习率策略与基线相同：scratch-E 训练基线的 \
            \(baselineEpochs) 个 epoch，scratch-B 训练与基线相同的计算量。scratch-B 的计算量只计保留的权重，\
            与参考代码 `count_flops.py` 按非零权重计算卷积 FLOPs 的方式一致：剪枝后的网络计算量为未剪枝网络的 \
            \(percent) %，所以按规则 scratch-B 训练 \(epochs) 个 epoch。（已发布的 `cifar_B.py` 在载入剪枝后的权重之前就统计了\
            两个网络的计算量，比值会是 1，scratch-B 就等同于 scratch-E；本实验按其计数方式的本意处理。）\
            本引擎以稠密方式计算带掩码的卷积，所以 scratch-B 多出的 epoch 在这里确实多花时间。
            """)
    }

    func weightLevelResult(sparsity: Double, pruned: Float, fineTuned: Float, scratch: ScratchResults) -> String {
        language.pick(en: """
            With \(String(format: "%.1f", 100 * sparsity)) % of the conv weights pruned the network reaches \
            \(pruned.percentText) right after pruning and \(fineTuned.percentText) fine-tuned; the same mask from scratch \
            \(scratch.scratchE.percentText) (scratch-E) and \(scratch.scratchB.percentText) (scratch-B, \
            \(scratch.scratchBEpochs) epochs).
            """, zh: """
            剪掉 \(String(format: "%.1f", 100 * sparsity)) % 的卷积权重后，网络在剪枝后立即评估为 \(pruned.percentText)，\
            微调后为 \(fineTuned.percentText)；同一掩码从头训练为 \(scratch.scratchE.percentText)（scratch-E）和 \
            \(scratch.scratchB.percentText)（scratch-B，\(scratch.scratchBEpochs) 个 epoch）。
            """)
    }

    func keptWeights(_ fraction: Double) -> String {
        let percent = String(format: "%.1f", 100 * fraction)
        return language.pick(en: "non-zero weights do \(percent) % of the MACs", zh: "非零权重的计算量占 \(percent) %")
    }
    func ofConvWeights(_ percent: String) -> String {
        language.pick(en: "\(percent) of conv weights", zh: "\(percent) 的卷积权重")
    }
    var weightLevelClaim: String {
        language.pick(en: "on CIFAR, scratch training about matches fine-tuning (not on ImageNet at high ratios)",
                      zh: "在 CIFAR 上从头训练与微调大致相当（在 ImageNet 上高剪枝率时不然）")
    }
    var paperWeightLevel: String {
        language.pick(en: "VGG-19, conv weights pruned globally; fine-tuned 40 epochs at 0.001; scratch on the same mask",
                      zh: "VGG-19，全局剪卷积权重；以 0.001 微调 40 个 epoch；在同一掩码上从头训练")
    }
    func ourWeightLevel(depth: Int, percent: String, fineTune: Int) -> String {
        language.pick(en: """
            VGG-\(depth), \(percent) of the conv weights; fine-tuned \(fineTune.epochsText) at a hundredth of the rate; \
            scratch-B's epochs from the non-zero MACs
            """, zh: "VGG-\(depth)，剪掉 \(percent) 的卷积权重；以百分之一的学习率微调 \(fineTune) 个 epoch；scratch-B 的 epoch 数按非零权重的计算量折算")
    }

    // MARK: 4. Soft filter pruning

    var sfpName: String { language.pick(en: "soft filter pruning", zh: "软卷积核剪枝") }
    var sfpShort: String { "SFP" }
    func sfpSection(depth: Int) -> String {
        language.pick(en: "4. Soft filter pruning of ResNet-\(depth)", zh: "4. ResNet-\(depth) 的软卷积核剪枝")
    }
    var sfpPrefix: Stage { Stage(en: "SFP", zh: "SFP", language) }
    func resnetStage(depth: Int) -> Stage { Stage(en: "ResNet-\(depth) baseline", zh: "ResNet-\(depth) 基线训练", language) }
    var resnetBaseline: String { language.pick(en: "ResNet baseline", zh: "ResNet 基线") }
    var sfpStage: Stage { Stage(en: "soft filter pruning", zh: "软卷积核剪枝训练", language) }
    var sfpSoft: String { language.pick(en: "SFP, zero filters", zh: "SFP（卷积核置零）") }
    var sfpPruned: String { language.pick(en: "SFP, filters removed", zh: "SFP（卷积核移除后）") }

    func sfpMethod(ratio: String) -> String {
        language.pick(en: """
            Soft filter pruning (He et al., IJCAI 2018) prunes while it trains, from scratch: before the first epoch and \
            after every epoch, the \(ratio) of each pruned conv's filters with the smallest L2 norm are set to zero but not \
            removed, so they keep training and may grow back, and the next zeroing chooses again. After the last epoch the \
            zeroed filters are removed. Here the inner conv of every residual block is pruned (the filters the surgery can \
            remove); the reference zeroes every conv at the same rate. As in the paper, SFP's own result stands in the \
            fine-tuned column: the network is trained once, with SFP, for the unpruned ResNet's epochs. The unpruned ResNet, \
            from the same initialisation, is trained first.
            """, zh: """
            软卷积核剪枝（He 等，IJCAI 2018）在从头训练的过程中剪枝：在第一个 epoch 之前和每个 epoch 之后，把每个被剪卷积层中 \
            L2 范数最小的 \(ratio) 卷积核置零但不移除，它们会继续训练、可能重新长大，下一次置零重新选择。最后一个 epoch \
            之后才真正移除被置零的卷积核。这里剪的是每个残差块的内部卷积（手术能够移除的卷积核）；参考代码以相同比例\
            把每个卷积层都置零。与论文一样，“微调”一栏填的是 SFP 自己的结果：网络只用 SFP 训练一次，epoch 数与未剪枝的 \
            ResNet 相同。先从同一初始化训练未剪枝的 ResNet。
            """)
    }

    func sfpPrune(kept: Int, total: Int, soft: Float, pruned: Float) -> String {
        let why = soft == pruned
            ? language.pick(en: "The same: no zero filter's BatchNorm passed a positive β on here.",
                            zh: "两者相同：这里没有哪个置零卷积核后面的 BatchNorm 输出正的 β。")
            : language.pick(en: "The two differ because a zero filter's BatchNorm still passes its β on.",
                            zh: "两者不同，是因为置零卷积核后面的 BatchNorm 仍会输出它的 β。")
        return language.pick(en: """
            The last zeroing leaves \(kept) of \(total) inner channels. With the others zero, SFP's network reaches \
            \(soft.percentText), the number the reference and the paper report; with them removed for real, BatchNorm \
            included, \(pruned.percentText). \(why)
            """, zh: """
            最后一次置零后，内部通道保留 \(kept) 个（共 \(total) 个）。其余通道置零时，SFP 的网络达到 \(soft.percentText)，\
            即参考代码和论文报告的数字；把它们连同 BatchNorm 真正移除后为 \(pruned.percentText)。\(why)
            """)
    }

    func sfpRegrowth(stayed: Int, zeroed: Int) -> String {
        guard stayed == zeroed else {
            return language.pick(en: """
                \(stayed) of the \(zeroed) filters zeroed after the last epoch had been zeroed before the first; the others \
                grew back at some point, and the zeroing chose again.
                """, zh: "最后一个 epoch 后被置零的 \(zeroed) 个卷积核中，有 \(stayed) 个在第一个 epoch 之前就被置零；其余的曾经重新长大，置零又重新选择。")
        }
        return language.pick(en: """
            All \(zeroed) filters zeroed after the last epoch had been zeroed before the first, and never grew back: a filter \
            zeroed at initialisation feeds its BatchNorm a constant zero, so in training mode the channel is exactly β, still \
            0, the ReLU after it passes no gradient, and the optimiser has no momentum to carry the filter back. The \
            reference zeroes before the first epoch too, so by the same arithmetic its blocks' first convs stay zero as \
            well. SFP here is therefore the architecture chosen by filter norm at initialisation, trained once from scratch.
            """, zh: """
            最后一个 epoch 后被置零的 \(zeroed) 个卷积核全部在第一个 epoch 之前就已被置零，而且再也没有长回来：\
            在初始化时被置零的卷积核只给它的 BatchNorm 输入常数零，训练模式下该通道的输出恰好是 β（仍为 0），\
            其后的 ReLU 不传梯度，优化器也没有动量把它带回来。参考代码同样在第一个 epoch 之前置零，按同样的推算，它的残差块第一个卷积\
            也会一直为零。所以这里的 SFP 实际上是：按初始化时的卷积核范数选出结构，再从头训练一次。
            """)
    }

    func sfpResult(soft: Float, scratch: ScratchResults) -> String {
        language.pick(en: """
            The pruned architecture from scratch reaches \(scratch.scratchE.percentText) (scratch-E) and \
            \(scratch.scratchB.percentText) (scratch-B, \(scratch.scratchBEpochs) epochs), against SFP's \(soft.percentText).
            """, zh: """
            剪枝后的结构从头训练达到 \(scratch.scratchE.percentText)（scratch-E）和 \(scratch.scratchB.percentText)\
            （scratch-B，\(scratch.scratchBEpochs) 个 epoch），SFP 为 \(soft.percentText)。
            """)
    }

    var sfpClaim: String {
        language.pick(en: "training from scratch matches or beats SFP (as every structured method examined)",
                      zh: "从头训练与 SFP 相当或更好（与所考察的每种结构化方法一样）")
    }
    func sfpPruning(_ ratio: String) -> String {
        language.pick(en: "\(ratio) of each block's inner filters (SFP)", zh: "每个残差块内部卷积核的 \(ratio)（SFP）")
    }
    var paperSFP: String {
        language.pick(en: "ResNet-56 and others, 30 % of every conv's filters, 200 epochs, weight decay 5e-4, batch 128",
                      zh: "ResNet-56 等，每个卷积层的 30 % 卷积核，200 个 epoch，权重衰减 5e-4，批大小 128")
    }
    func ourSFP(own: Bool, epochs: Int, batch: Int) -> String {
        own ? language.pick(en: "the same recipe (\(epochs) epochs), without the one-epoch warm-up at 0.01; only the blocks' inner convs",
                            zh: "相同配置（\(epochs) 个 epoch），没有 0.01 的一个 epoch 预热；只剪残差块的内部卷积")
            : language.pick(en: "the lab's training (\(epochs.epochsText), weight decay 1e-4, batch \(batch)); only the blocks' inner convs",
                            zh: "本实验的训练配置（\(epochs) 个 epoch，权重衰减 1e-4，批大小 \(batch)）；只剪残差块的内部卷积")
    }
    func resnetModel(depth: Int, width: Double, kept: String) -> String {
        language.pick(en: "ResNet-\(depth) ×\(width) (\(kept))", zh: "ResNet-\(depth) ×\(width)（\(kept)）")
    }
    func resnetSetup(depth: Int, width: Double, dataset: String, epochs: Int) -> String {
        language.pick(en: "ResNet-\(depth) ×\(width), \(dataset), \(epochs) epochs",
                      zh: "ResNet-\(depth) ×\(width)，\(dataset)，\(epochs) 个 epoch")
    }

    // MARK: 5. Lottery tickets

    var lotteryName: String { language.pick(en: "lottery tickets", zh: "彩票假设") }
    var lotterySection: String { language.pick(en: "5. Lottery tickets at two learning rates", zh: "5. 两种学习率下的彩票假设") }
    var winningTicket: String { language.pick(en: "winning ticket", zh: "中奖彩票") }
    var randomInit: String { language.pick(en: "random init", zh: "随机初始化") }

    func lotteryMethod(percent: String) -> String {
        language.pick(en: """
            The lottery ticket hypothesis (Frankle & Carbin, ICLR 2019): a dense network contains a sparse subnetwork, its \
            *winning ticket*, that trained in isolation from the original initialisation θ₀ reaches the dense network's \
            accuracy. Iterative magnitude pruning finds it: train, prune p = \(percent) of the remaining weights with the \
            smallest |w|, rewind the survivors to θ₀, train again, and so on. The control trains the same mask from a fresh \
            random initialisation θ′₀ (the kept conv weights drawn from N(0, 2/n) as the reference's \
            `cifar_scratch_no_longer.py`). Rethinking (its section 6) finds that the winning ticket beats the random \
            initialisation only with a small learning rate, 0.01; with the usual 0.1 it does no better. Each round here \
            trains both, for the same epochs with the same schedule:
            """, zh: """
            彩票假设（Frankle 和 Carbin，ICLR 2019）：稠密网络中存在一个稀疏子网络，即“中奖彩票”，它从原始初始化 θ₀ \
            单独训练就能达到稠密网络的准确率。迭代幅值剪枝可以找到它：训练，剪掉剩余权重中 |w| 最小的 p = \(percent)，\
            把存活的权重回退到 θ₀，再训练，如此反复。对照组在同一掩码上从新的随机初始化 θ′₀ 训练（保留的卷积权重按参考代码 \
            `cifar_scratch_no_longer.py` 从 N(0, 2/n) 中抽取）。Rethinking（第 6 节）发现，只有在较小的学习率 0.01 下\
            中奖彩票才优于随机初始化；在常用的 0.1 下并不更好。这里每一轮都训练这两者，epoch 数和学习率策略相同：
            """)
    }

    /// "lr 0.1".
    func rate(_ value: Float) -> String { "lr \(value)" }

    func lotteryVGG(depth: Int, rounds: Int, epochs: Int, rates: [String]) -> String {
        language.pick(en: """
            VGG-\(depth), pruned over all its conv weights with one global threshold (`cifar_prune_iterative.py`; the \
            classifier stays dense), \(rounds) rounds of \(epochs.epochsText) each, at the training rate and a tenth of it, \
            \(list(rates)) (0.1 and 0.01 in the paper).
            """, zh: """
            VGG-\(depth)，在所有卷积权重上用一个全局阈值剪枝（`cifar_prune_iterative.py`；分类层保持稠密），共 \(rounds) 轮，\
            每轮训练 \(epochs) 个 epoch，学习率为训练学习率及其十分之一：\(list(rates))（论文为 0.1 和 0.01）。
            """)
    }

    var denseIsBaseline: String {
        language.pick(en: """
            At the training rate the dense network of round 0 is the unpruned baseline above (the same initialisation and \
            training), reused.
            """, zh: "在训练学习率下，第 0 轮的稠密网络就是上面未剪枝的基线（初始化和训练都相同），直接复用。")
    }

    func denseStage(_ name: String, rate: String) -> Stage {
        Stage(en: "\(name) dense, \(rate)", zh: "\(name) 稠密网络，\(rate)", language)
    }
    func denseLabel(_ name: String, rate: String) -> String { denseStage(name, rate: rate).label }
    func ticketStage(_ name: String, rate: String, round: Int) -> Stage {
        Stage(en: "\(name) winning ticket, \(rate), round \(round)", zh: "\(name) 中奖彩票，\(rate)，第 \(round) 轮", language)
    }
    func ticketLabel(_ name: String, rate: String, round: Int) -> String { ticketStage(name, rate: rate, round: round).label }
    func randomStage(_ name: String, rate: String, round: Int) -> Stage {
        Stage(en: "\(name) random init, \(rate), round \(round)", zh: "\(name) 随机初始化，\(rate)，第 \(round) 轮", language)
    }
    func randomLabel(_ name: String, rate: String, round: Int) -> String { randomStage(name, rate: rate, round: round).label }

    func roundResult(_ name: String, rate: String, round: Int, left: Double, ticket: Float, random: Float) -> String {
        let percent = String(format: "%.1f", 100 * left)
        return language.pick(en: """
            \(name), \(rate), round \(round) (\(percent) % of the weights left): winning ticket \(ticket.percentText), \
            random initialisation \(random.percentText).
            """, zh: """
            \(name)，\(rate)，第 \(round) 轮（剩余 \(percent) % 的权重）：中奖彩票 \(ticket.percentText)，\
            随机初始化 \(random.percentText)。
            """)
    }

    func ticketMinusRandom(_ name: String, rate: String, round: Int) -> String {
        language.pick(en: "\(name), \(rate): winning ticket − random init (round \(round))",
                      zh: "\(name)，\(rate)：中奖彩票 − 随机初始化（第 \(round) 轮）")
    }
    func sameEpochs(_ epochs: Int) -> String {
        language.pick(en: "\(epochs.epochsText) each, the same mask", zh: "各 \(epochs) 个 epoch，同一掩码")
    }

    func lotteryVGGLeftOut(preset: String) -> String {
        language.pick(en: """
            The \(preset) preset leaves out the VGG tickets (each round trains two VGGs); `--preset standard` runs them. \
            The MLP's below are cheap.
            """, zh: "\(preset) 预设不运行 VGG 的彩票实验（每一轮要训练两个 VGG）；`--preset standard` 会运行。下面 MLP 的实验开销很小。")
    }

    func lotteryMLP(rounds: Int, epochs: Int) -> String {
        language.pick(en: """
            The hypothesis's first experiment, LeNet-300-100: the MLP with hidden layers of 300 and 100 units on the unpadded \
            images, without augmentation, pruned over all its weights with one global threshold (Frankle & Carbin prune it \
            layer by layer, the output layer at half the rate), \(rounds) rounds of \(epochs.epochsText) at both rates.
            """, zh: """
            彩票假设的第一个实验 LeNet-300-100：隐藏层为 300 和 100 个单元的 MLP，输入不补零的图像，不做数据增强，\
            在所有权重上用一个全局阈值剪枝（Frankle 和 Carbin 逐层剪枝，输出层的比例减半），在两种学习率下各 \(rounds) 轮，\
            每轮 \(epochs) 个 epoch。
            """)
    }

    var lotteryTableTitle: String {
        language.pick(en: "Winning tickets against random initialisation", zh: "中奖彩票与随机初始化的对比")
    }
    var lotteryHeaders: [String] {
        language == .en
            ? ["Network", "Rate", "Round", "Weights left", "Winning ticket (%)", "Random init (%)", "As the paper?"]
            : ["网络", "学习率", "轮次", "剩余权重", "中奖彩票（%）", "随机初始化（%）", "与论文一致？"]
    }
    var lotteryTableNote: String {
        language.pick(en: """
            Round 0 is the dense network. The last column judges winning ticket − random initialisation against what the paper \
            found at that rate: *no better* at the training rate, *better* at a tenth of it; *within noise* when the \
            difference is smaller than its spread (see the note under the paper's table). The paper's finding is for VGG \
            and ResNet on CIFAR-10; for LeNet-300-100, Frankle & Carbin found winning tickets (with Adam).
            """, zh: """
            第 0 轮是稠密网络。最后一栏把“中奖彩票 − 随机初始化”与论文在该学习率下的发现比较：在训练学习率下“并不更好”，\
            在十分之一的学习率下“更好”；差值小于其波动时标为“在噪声范围内”（见论文表格下的说明）。论文的发现针对 \
            CIFAR-10 上的 VGG 和 ResNet；对 LeNet-300-100，Frankle 和 Carbin（使用 Adam）找到了中奖彩票。
            """)
    }

    /// "lr 0.1 · 75 %": the rate and the fraction of the weights pruned.
    func roundCategory(rate: String, pruned: Double) -> String {
        "\(rate) · " + String(format: "%.0f %%", 100 * pruned)
    }
    func lotteryCaption(_ network: String) -> String {
        language.pick(en: """
            \(network): test accuracy of each round's winning ticket (θ₀ on the mask) and of the same mask from a random \
            initialisation, at both learning rates; the percentage is the fraction of the weights pruned.
            """, zh: "\(network)：每一轮中奖彩票（掩码上的 θ₀）和同一掩码随机初始化的测试准确率，两种学习率；百分比是剪掉的权重比例。")
    }
    func lotteryChartTitle(_ network: String) -> String {
        language.pick(en: "\(network): winning ticket against random initialisation", zh: "\(network)：中奖彩票与随机初始化")
    }
    var lotteryConclusion: String {
        language.pick(en: """
            The paper's point is about the ticket's initial values, not its mask: where a random initialisation trains as \
            well on the same mask, what iterative pruning found is the sparse architecture, not a lucky initialisation.
            """, zh: "论文的论点针对的是彩票的初始值而不是掩码：如果在同一掩码上随机初始化也训练得一样好，迭代剪枝找到的就是稀疏结构，而不是幸运的初始化。")
    }

    // MARK: Results

    var tableIntro: String {
        language.pick(en: """
            The paper's central table on this data. For each method: the unpruned network, the pruned network as the method \
            delivers it (fine-tuned; for SFP its own result), and the same architecture trained from scratch for E epochs \
            (scratch-E) and for the unpruned network's compute (scratch-B). The paper's conclusion is what it found on \
            CIFAR-10 and ImageNet; the last column says whether scratch-B here matches or beats fine-tuning.
            """, zh: """
            本数据上的论文核心表格。每种方法给出：未剪枝的网络、方法交付的剪枝后网络（微调后；SFP 为其自身结果），\
            以及同一结构从头训练 E 个 epoch（scratch-E）和按未剪枝网络的计算量训练（scratch-B）的结果。“论文结论”是论文在 \
            CIFAR-10 和 ImageNet 上的发现；最后一栏说明这里的 scratch-B 是否与微调相当或更好。
            """)
    }
    var tableTitle: String {
        language.pick(en: "Fine-tuned against scratch-E and scratch-B", zh: "微调与 scratch-E、scratch-B 的对比")
    }
    var tableHeaders: [String] {
        language == .en
            ? ["Method", "Model (saved)", "Unpruned (%)", "Fine-tuned (%)", "Scratch-E (%)", "Scratch-B (%)",
               "The paper's conclusion", "Do our numbers agree?"]
            : ["方法", "模型（节省）", "未剪枝（%）", "微调后（%）", "scratch-E（%）", "scratch-B（%）", "论文结论", "我们的数字是否一致？"]
    }

    func verdictNote(testImages: Int) -> String {
        let noise = String(format: "%.2f", 100 * (2 * 0.9 * 0.1 / Double(max(testImages, 1))).squareRoot())
        return language.pick(en: """
            The last column gives scratch-B − fine-tuned in points with its spread, and says *yes* when scratch-B is not \
            below fine-tuning by more than the spread, *within noise* when the difference is smaller than the spread. In \
            one run the spread is the test set's sampling error of the difference (\(noise) points for two accuracies of \
            90 % on \(testImages.groupedText) images), which leaves out how much another seed would move it: `--seeds 3` gives the \
            spread over seeds, and the merged report repeats this table with mean ± std, judging each difference against \
            the larger of that spread and this error.
            """, zh: """
            最后一栏给出 scratch-B − 微调 的差值（百分点）及其波动：scratch-B 比微调低得不超过波动时为“是”，\
            差值小于波动时标为“在噪声范围内”。单次运行中，波动是测试集对差值的抽样误差（在 \(testImages.groupedText) 张图像上两个 \
            90 % 的准确率约为 \(noise) 个百分点），不包括换一个随机种子带来的变化：`--seeds 3` 给出随机种子间的波动，\
            合并后的报告会以均值 ± 标准差重列这张表，并以这个波动和上述误差中较大者判断每个差值。
            """)
    }

    /// After the table in the short presets: scratch-B's extra epochs against an under-trained baseline.
    func shortRunCaution(preset: String, epochs: Int) -> String {
        language.pick(en: """
            In the \(preset) preset E = \(epochs) epochs leaves every network short of convergence, and scratch-B's extra \
            epochs alone can lift it above the unpruned network: read a large scratch-B lead here as training time, not as \
            the paper's finding. The standard preset trains longer and checks its baselines' convergence.
            """, zh: """
            \(preset) 预设中 E = \(epochs) 个 epoch，所有网络都远未收敛，scratch-B 多出的 epoch 本身就可能让它超过未剪枝的网络：\
            这里 scratch-B 大幅领先应理解为训练时间的差别，而不是论文的结论。standard 预设训练更久，并检查基线是否收敛。
            """)
    }

    /// After the table when the convergence check found a baseline short of convergence.
    func unconvergedCaution(_ checks: [(name: String, check: ConvergenceCheck)]) -> String {
        let gains = checks.map { String(format: "%@ %+.2f", $0.name, 100 * $0.check.gain) }
        let epochs = checks[0].check.epochs
        return language.pick(en: """
            The convergence check found the unpruned networks short of convergence: trained for \(2 * epochs) epochs instead \
            of \(epochs) they gain \(gains.joined(separator: ", ")) points. The fine-tuned networks inherit that short \
            training, while scratch-B's extra epochs make up for part of it, so the scratch-B leads above are larger than \
            the paper's, which compares converged networks. The direction agrees with the paper; the size mixes the value \
            of inherited weights with training time (`--epochs` longer tests it, at a longer run).
            """, zh: """
            收敛检查发现未剪枝的网络没有收敛：训练 \(2 * epochs) 个 epoch 而不是 \(epochs) 个，准确率提高 \
            \(gains.joined(separator: "，")) 个百分点。微调的网络继承了这种训练不足，而 scratch-B 多出的 epoch 弥补了一部分，\
            所以上表中 scratch-B 的领先比论文中（比较的是收敛的网络）更大。方向与论文一致；领先的大小混合了继承权重的价值和训练时间\
            （用更大的 `--epochs` 可以检验，运行时间也更长）。
            """)
    }

    var barsTitle: String {
        language.pick(en: "Fine-tuned, scratch-E and scratch-B by method", zh: "各方法的微调、scratch-E 与 scratch-B")
    }
    var barsCaption: String {
        language.pick(en: """
            Test accuracy of each method's pruned network: fine-tuned (for SFP, its own result), scratch-E and scratch-B.
            """, zh: "各方法剪枝后网络的测试准确率：微调后（SFP 为其自身结果）、scratch-E 和 scratch-B。")
    }

    func closing(structured: Bool, lottery: Bool) -> String {
        var parts: [String] = []
        if structured {
            parts.append(language.pick(en: """
                Where scratch-B matches fine-tuning, the weights inherited from the unpruned network bought nothing that \
                training the pruned architecture for the same compute did not: what the method contributed is the \
                architecture (for weight-level pruning, the mask). Where scratch-E falls short and scratch-B does not, the gap \
                is compute, not inheritance.
                """, zh: """
                凡是 scratch-B 与微调相当的地方，从未剪枝网络继承来的权重并没有带来以相同计算量从头训练剪枝后结构所得不到的东西：\
                方法的贡献是网络结构（对权重级剪枝而言是掩码）。凡是 scratch-E 不足而 scratch-B 不差的地方，差距来自计算量，\
                而不是继承。
                """))
        }
        if lottery {
            parts.append(language.pick(en: """
                The lottery section asks the same question of a mask: whether its original initialisation matters, at the \
                usual learning rate and at a small one.
                """, zh: "彩票一节对掩码提出同样的问题：在常用学习率和较小学习率下，它的原始初始化是否重要。"))
        }
        return parts.joined(separator: language.pick(en: " ", zh: ""))
    }

    // MARK: Beside the paper

    func model(depth: Int, width: Double, kept: String) -> String {
        language.pick(en: "VGG-\(depth) ×\(width) (\(kept))", zh: "VGG-\(depth) ×\(width)（\(kept)）")
    }
    func scratchBMinusFineTuned(_ method: String) -> String {
        language.pick(en: "\(method): scratch-B − fine-tuned", zh: "\(method)：scratch-B − 微调")
    }
    func budgets(fineTuned: String, scratchB: Int) -> String {
        language.pick(en: "\(fineTuned) epochs against \(scratchB) from scratch", zh: "\(fineTuned) 个 epoch 对从头训练的 \(scratchB) 个")
    }
    func ourSetup(depth: Int, width: Double, dataset: String, epochs: Int) -> String {
        language.pick(en: "VGG-\(depth) ×\(width), \(dataset), \(epochs) epochs", zh: "VGG-\(depth) ×\(width)，\(dataset)，\(epochs) 个 epoch")
    }
    var paperTraining: String {
        language.pick(en: "160 epochs (SFP 200), lr 0.1 ÷10 at 50 % and 75 %, batch 64",
                      zh: "160 个 epoch（SFP 为 200），lr 0.1，在 50 % 和 75 % 处 ÷10，批大小 64")
    }
    var paperLottery: String {
        language.pick(en: "VGG-16, conv weights pruned globally round by round, lr 0.1 and 0.01, 160 epochs per training",
                      zh: "VGG-16，逐轮全局剪卷积权重，lr 0.1 和 0.01，每次训练 160 个 epoch")
    }
    func ourLottery(depth: Int, rounds: Int, percent: String, epochs: Int) -> String {
        language.pick(en: "VGG-\(depth), \(rounds) rounds of \(percent) of the remaining weights, \(epochs.epochsText) per training",
                      zh: "VGG-\(depth)，\(rounds) 轮，每轮剪掉剩余权重的 \(percent)，每次训练 \(epochs) 个 epoch")
    }
    var mlpName: String { language.pick(en: "lottery tickets, MLP", zh: "彩票假设（MLP）") }
    var paperMLP: String {
        language.pick(en: "LeNet-300-100 on MNIST (Frankle & Carbin): 20 % of each layer a round, the output layer 10 %, Adam 1.2e-3",
                      zh: "MNIST 上的 LeNet-300-100（Frankle 和 Carbin）：每轮每层剪 20 %，输出层 10 %，Adam 1.2e-3")
    }
    func ourMLP(dataset: String, rounds: Int, percent: String, epochs: Int) -> String {
        language.pick(en: """
            the same MLP on \(dataset), \(rounds) rounds of \(percent) of the remaining weights under one global threshold, \
            SGD, \(epochs.epochsText) per training
            """, zh: "\(dataset) 上的同一 MLP，\(rounds) 轮，每轮在一个全局阈值下剪掉剩余权重的 \(percent)，SGD，每次训练 \(epochs) 个 epoch")
    }
    func lotterySetup(_ name: String, rate: String, dataset: String, epochs: Int) -> String {
        language.pick(en: "\(name), \(dataset), \(rate), \(epochs.epochsText) per training",
                      zh: "\(name)，\(dataset)，\(rate)，每次训练 \(epochs) 个 epoch")
    }
    func ticketPruning(_ sparsity: Double, rounds: Int) -> String {
        let percent = String(format: "%.1f %%", 100 * sparsity)
        return language.pick(en: "\(percent) of the weights (winning ticket, round \(rounds))",
                             zh: "\(percent) 的权重（中奖彩票，第 \(rounds) 轮）")
    }
    func keptOfPrunable(_ fraction: Double) -> String {
        let percent = String(format: "%.1f %%", 100 * fraction)
        return language.pick(en: "\(percent) of the prunable weights kept", zh: "保留可剪权重的 \(percent)")
    }

    var rethinkingNumbers: String {
        language.pick(en: """
            The published rows are the original methods' fine-tuned results. Rethinking's own tables (mean ± std of 5 runs \
            on CIFAR-10, e.g. its Tables 1 and 4 for L1-norm pruning and network slimming) are not quoted here, since the \
            project quotes only numbers it has checked against the paper; read them in arXiv 1810.05270.
            """, zh: """
            表中发表的数字是各原始方法微调后的结果。Rethinking 自己的表格（CIFAR-10 上 5 次运行的均值 ± 标准差，\
            例如 L1 范数剪枝和网络瘦身的表 1 和表 4）这里没有引用，因为本项目只引用核对过原文的数字；请在 arXiv 1810.05270 中查阅。
            """)
    }
}
