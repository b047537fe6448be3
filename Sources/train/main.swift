// train: trains one model of the zoo on a data set and prints its test accuracy, wall time
// and images/s; optionally saves a checkpoint. For checking the engine on real data, e.g.
//   swift run -c release train --model mlp --epochs 10
//   swift run -c release train --model vgg --depth 11 --width 0.25 --epochs 1
import ArgumentParser
import Foundation
import LabKit

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train one model of PruneLab's zoo and report test accuracy, time and images/s.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Model family: mlp, small-cnn, vgg, resnet, preresnet or densenet.")
    var model: ModelFamily = .mlp

    @Option(help: "Depth of vgg (11/13/16/19, default 11), resnet (6n+2, default 20), preresnet (9n+2, default 20) or densenet (3n+4, default 22).")
    var depth: Int?

    @Option(help: "Width multiplier of the deep families.")
    var width: Double = 1

    @Option(help: "Momentum of SGD.")
    var momentum: Double = 0.9

    @Option(help: "Weight decay of SGD.")
    var weightDecay: Double = 0

    @Flag(help: "Random crop and flip of the training images.")
    var augment = false

    @Option(help: "Learning-rate schedule: constant, slimming (×0.1 at 50 % and 75 % of the epochs, as the labs) or cosine.")
    var schedule: ScheduleName = .constant

    @Option(help: "Epochs over which the learning rate rises linearly to --lr, step by step (gradual warm-up).")
    var warmupEpochs = 0

    @Option(help: "Start from this checkpoint (its architecture and weights, e.g. a lab's stage cache) instead of a new model of --model.")
    var from: String?

    @Option(help: "Save the trained model to this safetensors file.")
    var save: String?

    func validate() throws {
        do { try KernelVariant.checkEnvironment() } catch { throw ValidationError("\(error)") }
        do { try Conv3x3Algorithm.checkEnvironment() } catch { throw ValidationError("\(error)") }
        guard warmupEpochs >= 0 else { throw ValidationError("--warmup-epochs must be 0 or more, got \(warmupEpochs).") }
        guard model != .custom else { throw ValidationError("--model must be one of \(ModelFamily.namesForMessages).") }
        // train shares the labs' options but trains one model once: refuse the ones it would ignore.
        let labOnly: [(String, Bool)] = [
            ("--seeds", common.seeds != 1), ("--jobs", common.jobs != 1), ("--merge", !common.merge.isEmpty),
            ("--plan", common.plan != nil), ("--convergence-check", common.convergenceCheck != nil),
            ("--scratch-b-cap", common.scratchBCap != nil), ("--scratch-warmup-epochs", common.scratchWarmupEpochs != nil), ("--fine-tune-epochs", common.fineTuneEpochs != nil),
            ("--lang", common.lang != .en), ("--fresh", common.fresh),
        ]
        if let (name, _) = labOnly.first(where: { $0.1 }) {
            throw ValidationError("\(name) is a lab option that train does not use; leave it out, or run a lab (swift run lab-vgg-slimming --help).")
        }
        guard width.isFinite, width > 0, width <= 4 else {
            throw ValidationError("--width must be a positive multiplier up to 4, e.g. 0.25, got \(width).")
        }
        if let depth {
            let valid = switch model {
            case .vgg: [11, 13, 16, 19].contains(depth)
            case .resnet: depth >= 8 && (depth - 2) % 6 == 0
            case .preresnet: depth >= 11 && (depth - 2) % 9 == 0
            case .densenet: depth >= 7 && (depth - 4) % 3 == 0
            case .mlp, .smallCNN, .custom: false
            }
            guard valid else { throw ValidationError("--depth \(depth) does not fit \(model.rawValue); see --help for the depths each family takes.") }
        }
    }

    func run() throws {
        if let threads = common.threads { setBLASThreads(threads) }
        let kind = common.dataset ?? .fashionMNIST
        let start = try from.map { try Network.load(from: URL(fileURLWithPath: $0)) }
        let (train, test) = try DatasetLoader.load(kind, dataDirectory: common.dataDir.map { URL(fileURLWithPath: $0) },
                                                   pad32: (start?.family ?? model).isDeep, trainLimit: common.trainLimit, seed: common.seed)
        let input = train.sampleShape
        let network = start ?? Network.make(model, depth: depth ?? (model == .vgg ? 11 : model == .densenet ? 22 : 20), widthMultiplier: width,
                            inputShape: input, seed: common.seed)
        guard network.inputShape == input else {
            throw ValidationError("\(from ?? "the model") takes inputs of \(network.inputShape), the data set gives \(input); "
                                  + "choose the data set it was trained on.")
        }
        var config = TrainingConfig(epochs: common.epochs ?? 1, batchSize: common.batchSize ?? 64,
                                    learningRate: Float(common.lr ?? 0.01), momentum: Float(momentum),
                                    weightDecay: Float(weightDecay), schedule: schedule.schedule, augment: augment, seed: common.seed)
        config.warmupEpochs = warmupEpochs
        print("\(network.family.rawValue) \(network.cfg), \(network.parameterCount) parameters, \(train.sampleCount) training images of \(input)")
        let began = Date()
        let history = try Trainer(label: network.family.rawValue, progress: ProgressPrinter(bar: !common.quiet))
            .fit(network, train: train, test: test, config: config)
        let seconds = Date().timeIntervalSince(began)
        let trainingSeconds = history.reduce(0) { $0 + $1.seconds }
        let images = Double(train.sampleCount * config.epochs)
        print(String(format: "{\"model\":\"%@\",\"epochs\":%d,\"test_accuracy\":%.4f,\"wall_s\":%.1f,\"train_img_s\":%.0f}",
                     model.rawValue, config.epochs, history.last?.testAccuracy ?? 0, seconds, images / trainingSeconds))
        if let save { try network.save(to: URL(fileURLWithPath: save)) }
    }
}

Train.main()

/// The schedules `--schedule` names.
enum ScheduleName: String, ExpressibleByArgument, CaseIterable {
    case constant, slimming, cosine

    var schedule: LearningRateSchedule {
        switch self {
        case .constant: .constant
        case .slimming: .slimming
        case .cosine: .cosine
        }
    }
}
