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

    @Option(help: "Model family: mlp, small-cnn, vgg, resnet or preresnet.")
    var model: String = "mlp"

    @Option(help: "Depth of vgg (11/13/16/19), resnet (6n+2) or preresnet (9n+2).")
    var depth: Int?

    @Option(help: "Width multiplier of the deep families.")
    var width: Double = 1

    @Option(help: "Momentum of SGD.")
    var momentum: Double = 0.9

    @Option(help: "Weight decay of SGD.")
    var weightDecay: Double = 0

    @Flag(help: "Random crop and flip of the training images.")
    var augment = false

    @Option(help: "Save the trained model to this safetensors file.")
    var save: String?

    func validate() throws {
        guard ["mlp", "small-cnn", "vgg", "resnet", "preresnet"].contains(model) else {
            throw ValidationError("--model must be mlp, small-cnn, vgg, resnet or preresnet, got '\(model)'.")
        }
    }

    func run() throws {
        let deep = ["vgg", "resnet", "preresnet"].contains(model)
        let kind = common.dataset ?? .fashionMNIST
        let (train, test) = try DatasetLoader.load(kind, dataDirectory: common.dataDir.map { URL(fileURLWithPath: $0) },
                                                   pad32: deep, seed: common.seed)
        let input = train.sampleShape
        let network: Network
        switch model {
        case "mlp": network = .mlp(inputShape: input, seed: common.seed)
        case "small-cnn": network = .smallCNN(inputShape: input, seed: common.seed)
        case "vgg": network = .vgg(depth: depth ?? 11, widthMultiplier: width, inputShape: input, seed: common.seed)
        case "resnet": network = .resnet(depth: depth ?? 20, widthMultiplier: width, inputShape: input, seed: common.seed)
        default: network = .preresnet(depth: depth ?? 20, widthMultiplier: width, inputShape: input, seed: common.seed)
        }
        let config = TrainingConfig(epochs: common.epochs ?? 1, batchSize: common.batchSize ?? 64,
                                    learningRate: Float(common.lr ?? 0.01), momentum: Float(momentum),
                                    weightDecay: Float(weightDecay), augment: augment, seed: common.seed)
        print("\(model) \(network.cfg), \(network.parameterCount) parameters, \(train.sampleCount) training images of \(input)")
        let start = Date()
        let history = try Trainer(label: model, progress: ProgressPrinter(bar: !common.quiet))
            .fit(network, train: train, test: test, config: config)
        let seconds = Date().timeIntervalSince(start)
        let trainingSeconds = history.reduce(0) { $0 + $1.seconds }
        let images = Double(train.sampleCount * config.epochs)
        print(String(format: "{\"model\":\"%@\",\"epochs\":%d,\"test_accuracy\":%.4f,\"wall_s\":%.1f,\"train_img_s\":%.0f}",
                     model, config.epochs, history.last?.testAccuracy ?? 0, seconds, images / trainingSeconds))
        if let save { try network.save(to: URL(fileURLWithPath: save)) }
    }
}

Train.main()
