// The report's words of lab-densenet-slimming, in English and Chinese side by side (--lang);
// main.swift says what to write, this file how in each language.
import Foundation
import LabKit

struct LabText: LabCatalogue {
    let language: Language

    /// The short chart labels of the transitions (`t1`) and of the classifier's selection (`final`).
    func transitionShort(_ number: String) -> String { language.pick(en: "t\(number)", zh: "过渡\(number)") }
    var finalShort: String { language.pick(en: "final", zh: "最终") }

    var title: String { language.pick(en: "Network slimming of DenseNet", zh: "DenseNet 的网络瘦身") }

    var intro: String {
        language.pick(en: """
            A DenseNet (Huang et al., CVPR 2017) concatenates: each dense layer reads every feature map made before it in \
            its block and adds k new ones (k, the growth rate), and a transition between blocks reads them all. A feature \
            map is read by every later layer of its block, so it cannot be removed where it is made. Network slimming \
            (Liu et al., ICCV 2017) prunes on the reading side instead. Each layer starts with its own BatchNorm \
            (pre-activation), whose $\\gamma$ scales every channel the layer reads, \
            $\\hat z = (z - \\mu_B)/\\sqrt{\\sigma_B^2 + \\epsilon}$, $z_{out} = \\gamma \\hat z + \\beta$; a channel \
            selection after it passes on only the channels whose $\\gamma$ survive, and the layer's conv loses the \
            matching input slices. The same feature map can thus be kept by one reader and dropped by another, and no \
            filter is ever removed. Training adds an L1 penalty that pushes many $\\gamma$ to zero:
            """, zh: """
            DenseNet（Huang 等，CVPR 2017）的特点是拼接：每个稠密层读入本 block 中在它之前产生的全部特征图，再新增 k 个\
            （k 称为增长率），block 之间的过渡层则读入全部特征图。一张特征图会被本 block 后面的每一层读取，所以不能在\
            产生它的地方把它剪掉。网络瘦身（Liu 等，ICCV 2017）改为在读入的一侧剪枝：每一层都以自己的 BatchNorm 开头\
            （预激活结构），它的缩放因子 $\\gamma$ 对该层读入的每个通道分别缩放，\
            $\\hat z = (z - \\mu_B)/\\sqrt{\\sigma_B^2 + \\epsilon}$，$z_{out} = \\gamma \\hat z + \\beta$；其后的通道选择层\
            只把 $\\gamma$ 保留下来的通道传下去，该层的卷积去掉对应的输入切片。因此同一张特征图可能被读取它的一层保留、\
            被另一层剪掉，而卷积核本身从来不剪。训练时在损失函数中加入 L1 惩罚项，把许多 $\\gamma$ 推向零：
            """)
    }

    var penalty: String {
        language.pick(en: """
            Its subgradient is added after every backward pass, \
            $\\partial L / \\partial \\gamma \\mathrel{+}= s \\cdot \\mathrm{sign}(\\gamma)$ (network-slimming's `updateBN`). \
            Then one global threshold, the `--percent` quantile of all $|\\gamma|$ (40 % for DenseNet-40 in \
            network-slimming's README, `denseprune.py`), decides which channels each layer stops reading; the compact \
            network is rebuilt from the survivors and fine-tuned.
            """, zh: """
            每次反向传播之后加上它的次梯度 $\\partial L / \\partial \\gamma \\mathrel{+}= s \\cdot \\mathrm{sign}(\\gamma)$\
            （network-slimming 的 `updateBN`）。然后用一个全局阈值，即所有 $|\\gamma|$ 的 `--percent` 分位数\
            （network-slimming 的 README 对 DenseNet-40 取 40 %，见 `denseprune.py`），决定每一层不再读入哪些通道；\
            用保留下来的通道重建出紧凑的网络，再进行微调。
            """)
    }

    func setup(depth: Int, growthRate: Int, parameters: Int, macs: Int, paperMACs: Int, full: Bool, dataset: String, train: Int,
               subset: Bool, test: Int, shape: [Int], augment: Bool, learningRate: Float, batch: Int, epochs: Int,
               sparsity: Double, sparsityNote: String, fineTuneEpochs: Int) -> String {
        let n = (depth - 4) / 3
        let size = full ? "" : language.pick(en: """
             The paper's DenseNet-40 (k = 12) costs \(millions(paperMACs)) M multiply-accumulates per image of this shape, \
            too many for two CPU cores in this preset's time, so this run trains a smaller DenseNet of the same design.
            """, zh: """
            论文中的 DenseNet-40（k = 12）对这种形状的图像每张需要 \(millions(paperMACs)) M 次乘加运算，两个 CPU 核心\
            在这个预设的时间内训练不完，所以本次运行训练一个结构相同、规模更小的 DenseNet。
            """)
        return language.pick(en: """
            DenseNet-\(depth) with growth rate k = \(growthRate): a 3×3 stem conv to \(2 * growthRate) channels, three \
            dense blocks of \(n) layers (BatchNorm, channel selection, ReLU, 3×3 conv to k channels, concatenated to the \
            input), a transition after the first two (BatchNorm, selection, ReLU, 1×1 conv as wide as its input, 2×2 average \
            pool), and BatchNorm, selection, ReLU, average pool and a linear classifier at the end, without bottleneck or \
            compression as network-slimming's `densenet.py`: \(parameters.groupedText) parameters, \
            \(millions(macs)) M multiply-accumulates per image.\(size) \(dataset): \
            \(train.groupedText) training images\(subset ? " (a stratified subset)" : ""), \(test.groupedText) test images of shape \(shape) \
            (zero-padded to 32×32 where smaller\(augment ? "; random crop and flip" : "; no augmentation")). SGD with \
            momentum 0.9, weight decay 1e-4, learning rate \(learningRate) divided by 10 at 50 % and 75 % of the epochs, \
            batch \(batch), \(epochs) epochs for the baseline and for sparsity training. Sparsity $s$ = \(sparsity)\
            \(sparsityNote) The slimmed network is fine-tuned for \(fineTuneEpochs) epochs with the training schedule \
            (network-slimming's `--refine`).
            """, zh: """
            DenseNet-\(depth)，增长率 k = \(growthRate)：先是一个 3×3 卷积，输出 \(2 * growthRate) 个通道；然后是三个\
            稠密 block，每个 block 有 \(n) 层（BatchNorm、通道选择层、ReLU、输出 k 个通道的 3×3 卷积，结果与输入拼接）；\
            前两个 block 之后各有一个过渡层（BatchNorm、通道选择层、ReLU、输出通道数与输入相同的 1×1 卷积、2×2 平均池化）；\
            最后是 BatchNorm、通道选择层、ReLU、平均池化和线性分类器。与 network-slimming 的 `densenet.py` 一样，\
            不用 bottleneck，也不做压缩：参数量 \(parameters.groupedText)，每张图像 \(millions(macs)) M 次乘加运算。\
            \(size)\(dataset)：训练图像 \(train.groupedText) 张\(subset ? "（分层抽样的子集）" : "")，测试图像 \(test.groupedText) 张，\
            形状 \(shape)（不足 32×32 的补零\(augment ? "；随机裁剪和翻转" : "；不做数据增强")）。SGD，动量 0.9，\
            权重衰减 1e-4，学习率 \(learningRate)，在 50 % 和 75 % 的 epoch 处除以 10，批大小 \(batch)，基线和稀疏训练\
            都训练 \(epochs) 个 epoch。稀疏系数 $s$ = \(sparsity)\(sparsityNote)瘦身后的网络按训练时的学习率策略微调 \
            \(fineTuneEpochs) 个 epoch（network-slimming 的 `--refine`）。
            """)
    }

    func baselineSection(depth: Int) -> String {
        language.pick(en: "1. Baseline DenseNet-\(depth)", zh: "1. DenseNet-\(depth) 基线")
    }
    var sparsitySection: String {
        language.pick(en: "2. Sparsity training, global threshold and channel selection", zh: "2. 稀疏训练、全局阈值与通道选择")
    }
    var sparsityMethod: String {
        language.pick(en: """
            The same network from the same initialisation, trained with the L1 penalty on every γ: every BatchNorm of a \
            DenseNet stands in front of a channel selection, so every γ scores a channel that some layer reads.
            """, zh: """
            同一个网络从相同的初始化出发，对所有 γ 加 L1 惩罚进行训练：DenseNet 的每个 BatchNorm 后面都有一个通道选择层，\
            所以每个 γ 都在为某一层读入的某个通道打分。
            """)
    }

    func gammaCaption(_ percent: String) -> String {
        language.pick(en: """
            |γ| of every BatchNorm (one per channel each layer reads), after baseline training and after sparsity \
            training; the dashed line is the global threshold that removes \(percent) of them.
            """, zh: "所有 BatchNorm 的 |γ|（每层读入的每个通道一个），分别在基线训练后和稀疏训练后统计；虚线是剪掉其中 \(percent) 的全局阈值。")
    }

    var keptChannelsTitle: String { language.pick(en: "Channels each layer reads", zh: "每层读入的通道数") }
    var channelsReadAxis: String { language.pick(en: "Channels read", zh: "读入通道数") }

    func keptChannelsCaption(growthRate: Int) -> String {
        language.pick(en: """
            The channels each dense layer (`1.3`: block 1, layer 3, counted from 0 as in the parameter names), \
            transition (`t1`) and the classifier (`final`) \
            reads: all it receives, and those its channel selection keeps after slimming. Unpruned, the counts grow by \
            k = \(growthRate) from layer to layer of a block (the concatenation); after slimming, a bar shows which part of \
            the features its layer still uses.
            """, zh: """
            每个稠密层（`1.3` 表示第 1 个 block 的第 3 层，与参数名一样从 0 开始编号）、过渡层（`过渡1`）和分类器（`最终`）读入的通道数：收到的全部\
            通道，以及网络瘦身后其通道选择层保留的通道。剪枝前，同一 block 内每往后一层就多 k = \(growthRate) 个通道\
            （拼接的结果）；剪枝后，每根柱子表示该层还在使用的那部分特征。
            """)
    }

    func keptByPart(_ parts: [(part: DenseNetPart, kept: Int, total: Int)]) -> String {
        func name(_ part: DenseNetPart) -> String {
            switch part {
            case let .block(number): language.pick(en: "the layers of block \(number)", zh: "第 \(number) 个 block 的各层")
            case .transitions: language.pick(en: "the transitions", zh: "过渡层")
            case .classifier: language.pick(en: "the classifier", zh: "分类器")
            }
        }
        func share(_ kept: Int, _ total: Int) -> String { (Double(kept) / Double(max(total, 1))).wholePercentText }
        switch language {
        case .en:
            let list = parts.map { part in
                let verbs = part.part == .classifier ? ("keeps", "it reads") : ("keep", "they read")
                return "\(name(part.part)) \(verbs.0) \(part.kept) of the \(part.total) channels \(verbs.1) (\(share(part.kept, part.total)))"
            }
            return "Where slimming cut: " + list.joined(separator: "; ") + "."
        case .zh:
            let list = parts.map { "\(name($0.part))在读入的 \($0.total) 个通道中保留 \($0.kept) 个（\(share($0.kept, $0.total))）" }
            return "网络瘦身剪在哪里：" + list.joined(separator: "；") + "。"
        }
    }

    var fineTuneSection: String { language.pick(en: "3. Fine-tune and train from scratch", zh: "3. 微调与从头训练") }

    var noL1InSweep: String {
        language.pick(en: """
            L1-norm filter pruning (Li et al.) is not among the sweep's methods: it ranks a layer's own filters by the L1 \
            norm of their weights, and a DenseNet's channel groups are the channels a layer reads, which no filter of that \
            layer makes; its filters are never pruned, since later layers read them. Random channels at each layer's \
            fraction are the floor slimming must beat.
            """, zh: """
            L1 范数卷积核剪枝（Li 等）不在扫描的方法之中：它按权重的 L1 范数给一层自己的卷积核排序，而 DenseNet 的通道组是\
            一层读入的通道，并不是该层的卷积核产生的；该层的卷积核本身也从来不剪，因为后面的层还要读它们的输出。\
            每层按同一比例随机剪掉通道，是网络瘦身必须超过的下限。
            """)
    }

    func model(_ depth: Int, slimmed: Bool) -> String {
        slimmed ? language.pick(en: "DenseNet-\(depth) slimmed, fine-tuned", zh: "DenseNet-\(depth) 瘦身并微调")
            : language.pick(en: "DenseNet-\(depth) baseline", zh: "DenseNet-\(depth) 基线")
    }

    var accuracyCaption: String {
        language.pick(en: "Test accuracy at every stage of slimming the DenseNet.", zh: "DenseNet 网络瘦身各阶段的测试准确率。")
    }

    var slimmedMinusBaseline: String { language.pick(en: "Slimmed, fine-tuned − baseline", zh: "瘦身并微调 − 基线") }
    var slimmedFineTuned: String { language.pick(en: "Slimmed, fine-tuned", zh: "瘦身并微调") }

    func summary(baseline: Float, epochs: Int, sparse: Float, percent: String, pruned: Float, fineTuned: Float,
                 fineTuneEpochs: Int, saving: String) -> String {
        language.pick(en: """
            The baseline reaches \(baseline.percentText) after \(epochs) epochs, sparsity training \
            \(sparse.percentText); pruning \(percent) of the channels the layers read by the global |γ| threshold leaves \
            \(pruned.percentText) before and \(fineTuned.percentText) after \(fineTuneEpochs) epochs of fine-tuning \
            (\((fineTuned - baseline).pointsText) points against the baseline, with \(epochs + fineTuneEpochs) epochs of \
            training behind the slimmed network against the baseline's \(epochs)). Pruning removed \(saving).
            """, zh: """
            基线训练 \(epochs) 个 epoch 后达到 \(baseline.percentText)，稀疏训练后为 \(sparse.percentText)；按全局 |γ| \
            阈值剪掉各层读入通道的 \(percent) 后，微调前为 \(pruned.percentText)，微调 \(fineTuneEpochs) 个 epoch 后为 \
            \(fineTuned.percentText)（与基线相差 \((fineTuned - baseline).pointsText) 个百分点；瘦身后的网络总共训练了 \
            \(epochs + fineTuneEpochs) 个 epoch，基线只有 \(epochs) 个）。剪枝去掉了\(saving)。
            """)
    }

    // MARK: Beside the papers

    func ourSetup(depth: Int, growthRate: Int, dataset: String, epochs: Int, sparsity: Double) -> String {
        language.pick(en: "DenseNet-\(depth) (k = \(growthRate)), \(dataset), \(epochs) epochs, s = \(sparsity)",
                      zh: "DenseNet-\(depth)（k = \(growthRate)），\(dataset)，\(epochs) 个 epoch，s = \(sparsity)")
    }
    func ourSaving(_ saving: String, parameters: (before: Int, after: Int)) -> String {
        language.pick(en: "\(saving) (parameters \(compact(parameters.before)) → \(compact(parameters.after)))",
                      zh: "\(saving)（参数量 \(compact(parameters.before)) → \(compact(parameters.after))）")
    }
    var paperData: String {
        language.pick(en: "CIFAR-10: 50,000 colour training images of 32×32, crop and flip",
                      zh: "CIFAR-10：50,000 张 32×32 的彩色训练图像，随机裁剪和翻转")
    }
    func ourData(_ dataset: String, images: Int, subset: Bool, shape: [Int], augment: Bool) -> String {
        let augmentation = common.augmentation(augment)
        return language.pick(en: """
            \(dataset): \(images.groupedText) training images\(subset ? " (a stratified subset, for time)" : ""), fed as \(shape) \
            (zero-padded where smaller)\(augmentation)
            """, zh: """
            \(dataset)：\(images.groupedText) 张训练图像\(subset ? "（为节省时间而分层抽样的子集）" : "")，以 \(shape) 输入（尺寸不足时补零）\
            \(augmentation)
            """)
    }
    func paperNetwork(parameters: Int, macs: Int) -> String {
        language.pick(en: """
            DenseNet-40, k = 12, no bottleneck or compression: \(compact(parameters)) parameters (the paper's table: \
            1.02M; the README: 1.07M, counting the selections' index vectors), \(millions(macs)) M multiply-accumulates \
            per image (the paper: 5.33×10⁸ FLOPs)
            """, zh: """
            DenseNet-40，k = 12，不用 bottleneck，也不做压缩：参数量 \(compact(parameters))（论文的表中为 1.02M；README \
            把通道选择层的索引向量也算在内，为 1.07M），每张图像 \(millions(macs)) M 次乘加运算（论文为 5.33×10⁸ FLOPs）
            """)
    }
    func ourNetwork(depth: Int, growthRate: Int, parameters: Int, macs: Int, full: Bool) -> String {
        let why = full ? "" : language.pick(en: """
            ; smaller so that the preset fits its time on two CPU cores (depth, growth rate and training subset chosen \
            by timing epochs on such a machine)
            """, zh: "；规模更小，使这个预设能在两个 CPU 核心上按时跑完（深度、增长率和训练子集是在这样的机器上实测每个 epoch 的耗时后选定的）")
        return language.pick(en: "DenseNet-\(depth), k = \(growthRate): \(compact(parameters)) parameters, \(millions(macs)) M multiply-accumulates per image\(why)",
                             zh: "DenseNet-\(depth)，k = \(growthRate)：\(compact(parameters)) 个参数，每张图像 \(millions(macs)) M 次乘加运算\(why)")
    }
    var fractionPruned: String { language.pick(en: "Channels pruned", zh: "剪掉的通道") }
    var paperFraction: String { language.pick(en: "40 % (`denseprune.py --percent 0.4`)", zh: "40 %（`denseprune.py --percent 0.4`）") }
    func ourFraction(_ percent: String, paper: Bool) -> String {
        paper ? percent : language.pick(en: """
            \(percent): the stronger s of a short run drives more |γ| near zero, and the threshold must fall in the gap \
            above them (the separation figure says whether it did)
            """, zh: "\(percent)：短训练用的 s 更大，会把更多 |γ| 压到零附近，阈值必须落在它们上方的间隙里（分离度说明是否做到了）")
    }
    var paperFineTuning: String {
        language.pick(en: "160 epochs with the training schedule (`--refine`)", zh: "按训练时的学习率策略微调 160 个 epoch（`--refine`）")
    }
    func ourFineTuning(_ epochs: Int) -> String {
        language.pick(en: "\(epochs) epochs with the training schedule", zh: "按训练时的学习率策略微调 \(epochs) 个 epoch")
    }
    var testSet: String { language.pick(en: "Test set", zh: "测试集") }
    var paperTestSet: String { language.pick(en: "CIFAR-10's 10,000 test images", zh: "CIFAR-10 的 10,000 张测试图像") }
    func ourTestSet(_ dataset: String, images: Int) -> String {
        language.pick(en: "\(dataset)'s \(images.groupedText) test images, the whole set", zh: "\(dataset) 的全部 \(images.groupedText) 张测试图像")
    }
}

/// Multiply-accumulates in millions for prose, e.g. 282.3.
func millions(_ count: Int) -> String { String(format: "%.1f", Double(count) / 1e6) }

/// A parameter count as the papers print it: 1.06M, 47.5k.
func compact(_ count: Int) -> String {
    count >= 1_000_000 ? String(format: "%.2fM", Double(count) / 1e6)
        : count >= 1000 ? String(format: "%.1fk", Double(count) / 1e3) : "\(count)"
}
