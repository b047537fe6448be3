// The report's words of lab-filter-pruning, in English and Chinese side by side (--lang);
// main.swift says what to write, this file how in each language.
import LabKit

struct LabText: LabCatalogue {
    let language: Language

    var title: String { language.pick(en: "L1-norm filter pruning of a small CNN", zh: "小型 CNN 的 L1 范数卷积核剪枝") }

    func intro(prunedCfg: [Int]) -> String {
        language.pick(en: """
            Li et al. (*Pruning Filters for Efficient ConvNets*, ICLR 2017) rank the filters of a convolution by \
            the L1 norm of their weights, $s_j = \\sum |\\mathcal{F}_{j}|$, and remove the smallest. Removing \
            filter $j$ of a layer removes output channel $j$: row $j$ of this layer's weight and bias, and input \
            slice $j$ of the next layer's weight. After the last convolution the feature maps are flattened, so \
            channel $j$ owns a *block* of $H \\times W$ = 7·7 = 49 input columns of the Linear layer, and the \
            whole block goes. Here the small CNN of the student's reproduction goes from [32, 64, 64] to \
            \(prunedCfg) filters.
            """, zh: """
            Li 等（《Pruning Filters for Efficient ConvNets》，ICLR 2017）按权重的 L1 范数 \
            $s_j = \\sum |\\mathcal{F}_{j}|$ 给卷积层的卷积核（filter）排序，剪掉最小的那些。剪掉某层的第 $j$ 个卷积核，\
            就是去掉第 $j$ 个输出通道：本层权重和偏置的第 $j$ 行，以及下一层权重中第 $j$ 个输入通道的切片。最后一个卷积层之后\
            特征图会被展平（flatten），所以通道 $j$ 对应全连接层中一 *块* $H \\times W$ = 7·7 = 49 列输入，整块一起去掉。\
            这里把学生复现时用的小 CNN 从 [32, 64, 64] 个卷积核剪到 \(prunedCfg)。
            """)
    }

    func setup(dataset: String, train: Int, test: Int, learningRate: Float, batch: Int, epochs: Int) -> String {
        language.pick(en: """
            Data: \(dataset), \(train.groupedText) training and \(test.groupedText) test images. \
            SGD, learning rate \(learningRate) divided by 10 at 50 % and 75 % of the epochs, momentum 0.9, batch \
            \(batch), \(epochs) epochs.
            """, zh: """
            数据：\(dataset)，训练图像 \(train.groupedText) 张，测试图像 \(test.groupedText) 张。SGD，学习率 \(learningRate)，在 50 % 和 75 % 的 \
            epoch 处除以 10，动量 0.9，批大小 \(batch)，训练 \(epochs) 个 epoch。
            """)
    }

    var trainBaseline: String { language.pick(en: "1. Train the baseline", zh: "1. 训练基线模型") }
    func baselineReaches(_ accuracy: Float, testImages: Int) -> String {
        language.pick(en: "The unpruned CNN reaches **\(accuracy.percentText)** on the \(testImages.groupedText) test images.",
                      zh: "未剪枝的 CNN 在 \(testImages.groupedText) 张测试图像上达到 **\(accuracy.percentText)**。")
    }

    // MARK: 2. Filter norms and sensitivity

    var normsSection: String { language.pick(en: "2. Filter norms and sensitivity", zh: "2. 卷积核范数与敏感度分析") }

    var normsMethod: String {
        language.pick(en: """
            Figure 1 sorts each layer's filters by L1 norm, divided by the largest (Li et al., Figure 2a): a \
            layer whose curve falls steeply has a few strong filters and many weak ones. Figure 2 prunes each \
            layer *alone* by 10 % … 90 % of its filters, smallest norms first, and evaluates without retraining \
            (Figure 2b): flat curves mark layers that tolerate pruning.
            """, zh: """
            图 1 把每层的卷积核按 L1 范数排序，并除以该层的最大值（Li 等，图 2a）：曲线下降得越陡，说明该层只有少数几个强的\
            卷积核、大量弱的卷积核。图 2 每次 *只* 剪一层，按范数从小到大剪掉该层 10 % … 90 % 的卷积核，不重新训练直接评估\
            （Li 等，图 2b）：曲线越平，说明这一层越经得起剪枝。
            """)
    }

    var normsCaption: String {
        language.pick(en: """
            Filters of each layer sorted by L1 norm, normalised by the layer's largest (x: filter rank as a percentage of the layer).
            """, zh: "每层卷积核按 L1 范数排序，并按该层最大值归一化（横轴：卷积核的排名占该层的百分比）。")
    }

    var normsTitle: String { language.pick(en: "Sorted filter L1 norms", zh: "排序后的卷积核 L1 范数") }
    var rankAxis: String { language.pick(en: "Filter rank (% of layer)", zh: "卷积核排名（占该层的 %）") }
    var normAxis: String { language.pick(en: "L1 norm / max", zh: "L1 范数 / 最大值") }
    var sensitivityStep: String { language.pick(en: "Sensitivity analysis", zh: "敏感度分析") }

    func subsetNote(subset: Int, baseline: Float, testImages: Int) -> String {
        language.pick(en: """
            , measured on a stratified subset of \(subset.groupedText) test images (so the unpruned line may differ \
            a little from the baseline's \(baseline.percentText) on all \(testImages.groupedText))
            """, zh: """
            ，在 \(subset.groupedText) 张分层抽样的测试图像上测得（因此未剪枝的那条线可能与基线在全部 \(testImages.groupedText) 张图像上的 \
            \(baseline.percentText) 略有不同）
            """)
    }

    func allImages(_ testImages: Int) -> String {
        language.pick(en: ", on all \(testImages.groupedText) test images", zh: "，在全部 \(testImages.groupedText) 张测试图像上测得")
    }

    func sensitivityCaption(_ note: String) -> String {
        language.pick(en: "Test accuracy when one layer alone loses a fraction of its filters, without fine-tuning\(note).",
                      zh: "只剪一层、剪掉不同比例的卷积核且不微调时的测试准确率\(note)。")
    }

    var sensitivityTitle: String { language.pick(en: "Sensitivity to pruning", zh: "各层对剪枝的敏感度") }
    var prunedAwayAxis: String { language.pick(en: "Filters pruned away (%)", zh: "剪掉的卷积核（%）") }
    var unpruned: String { language.pick(en: "unpruned", zh: "未剪枝") }

    // MARK: 3. Prune, fine-tune

    func pruneSection(_ cfg: [Int]) -> String { language.pick(en: "3. Prune to \(cfg)", zh: "3. 剪枝到 \(cfg)") }

    var diagramCaption: String {
        language.pick(en: """
            What the plan removes: each conv's filters (blue kept, pale removed) and, under them, the slices of the layer that \
            reads them, at the same positions; behind the flatten every channel owns a block of H·W input columns of the Linear layer.
            """, zh: """
            剪枝方案去掉了什么：每个卷积层的卷积核（蓝色保留，浅色剪掉），以及其下方读取这些通道的层在相同位置上的切片；\
            展平之后，每个通道对应全连接层中一块 H·W 列的输入。
            """)
    }

    var channelsCaption: String { language.pick(en: "Filters per conv layer before and after pruning.", zh: "剪枝前后每个卷积层的卷积核数。") }
    var filtersTitle: String { language.pick(en: "Filters per layer", zh: "每层卷积核数") }
    var filters: String { language.pick(en: "Filters", zh: "卷积核数") }

    // MARK: 4. Scratch, results

    var scratchSection: String {
        language.pick(en: "4. The pruned architecture trained from scratch", zh: "4. 从头训练剪枝后的结构")
    }

    var baselineModel: String { language.pick(en: "baseline [32, 64, 64]", zh: "基线 [32, 64, 64]") }
    func prunedModel(_ cfg: [Int]) -> String { language.pick(en: "pruned \(cfg), fine-tuned", zh: "剪枝到 \(cfg) 并微调") }
    var prunedMinusBaseline: String { language.pick(en: "Pruned, fine-tuned − baseline", zh: "剪枝并微调 − 基线") }
    var prunedFineTuned: String { language.pick(en: "Pruned, fine-tuned", zh: "剪枝并微调") }

    func summary(_ cfg: [Int], baseline: Float, pruned: Float, fineTuned: Float, fineTuneEpochs: Int, fineTuneRate: Float,
                 epochs: Int) -> String {
        language.pick(en: """
            Pruning to \(cfg) drops accuracy from \(baseline.percentText) to \(pruned.percentText) \
            before fine-tuning; \(fineTuneEpochs.epochsText) of fine-tuning at \(fineTuneRate) bring it to \
            \(fineTuned.percentText) (\((fineTuned - baseline).pointsText) points from the baseline, \
            which trained \(epochs) epochs against the pruned network's \(epochs) + \(fineTuneEpochs)).
            """, zh: """
            剪枝到 \(cfg) 后，微调前准确率从 \(baseline.percentText) 降到 \(pruned.percentText)；以学习率 \(fineTuneRate) \
            微调 \(fineTuneEpochs) 个 epoch 后回到 \(fineTuned.percentText)（与基线相差 \((fineTuned - baseline).pointsText) \
            个百分点；基线训练了 \(epochs) 个 epoch，剪枝后的网络则是 \(epochs) + \(fineTuneEpochs) 个）。
            """)
    }

    // MARK: Beside the paper

    func ourSetup(_ dataset: String, epochs: Int) -> String {
        language.pick(en: "small CNN [32, 64, 64], \(dataset), \(epochs) epochs", zh: "小型 CNN [32, 64, 64]，\(dataset)，\(epochs) 个 epoch")
    }
    func filtersTo(_ cfg: [Int]) -> String { language.pick(en: "filters to \(cfg)", zh: "卷积核剪到 \(cfg)") }
    func ourData(_ dataset: String, images: Int) -> String {
        language.pick(en: "\(dataset): \(images.groupedText) training images of 28×28", zh: "\(dataset)：\(images.groupedText) 张 28×28 的训练图像")
    }
    var paperNetwork: String { language.pick(en: "VGG-16 and ResNet-56, 13–55 conv layers", zh: "VGG-16 和 ResNet-56，13–55 个卷积层") }
    var ourNetwork: String {
        language.pick(en: "three convs and one Linear, the student's reproduction", zh: "三个卷积层加一个全连接层，即学生复现时用的网络")
    }
    var howMuch: String { language.pick(en: "How much is pruned", zh: "剪枝程度") }
    var paperHowMuch: String {
        language.pick(en: "sensitive layers kept, 34 % (VGG-16) or 27.6 % (ResNet-56) of FLOPs removed",
                      zh: "保留敏感层，FLOPs 减少 34 %（VGG-16）或 27.6 %（ResNet-56）")
    }
    func ourHowMuch(_ cfg: [Int], saving: String) -> String {
        language.pick(en: "every layer to \(cfg), \(saving): far harder", zh: "每一层都剪到 \(cfg)，\(saving)：难得多")
    }
    var paperTraining: String {
        language.pick(en: "160 epochs, then 40 of fine-tuning at lr 0.001", zh: "160 个 epoch，然后以 lr 0.001 微调 40 个 epoch")
    }
    func ourTraining(epochs: Int, learningRate: Float, fineTuneEpochs: Int, fineTuneRate: Float) -> String {
        language.pick(en: "\(epochs) epochs at lr \(learningRate), then \(fineTuneEpochs) at lr \(fineTuneRate)",
                      zh: "以 lr \(learningRate) 训练 \(epochs) 个 epoch，然后以 lr \(fineTuneRate) 微调 \(fineTuneEpochs) 个 epoch")
    }
}
