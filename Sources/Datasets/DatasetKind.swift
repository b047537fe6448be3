/// The data sets a lab can train on, named as on the command line (`--dataset fashion-mnist`).
public enum DatasetKind: String, CaseIterable, Sendable, Codable {
    case fashionMNIST = "fashion-mnist"
    case mnist = "mnist"
    case cifar10 = "cifar10"
    case synthetic = "synthetic"

    /// The kind named `name`, or a clear error listing the valid names.
    public init(parsing name: String) throws {
        guard let kind = DatasetKind(rawValue: name.lowercased()) else { throw DatasetError.unknownDataset(name: name) }
        self = kind
    }

    /// Shape of one image as stored in the files, before any padding.
    public var sampleShape: [Int] {
        switch self {
        case .fashionMNIST, .mnist, .synthetic: [1, 28, 28]
        case .cifar10: [3, 32, 32]
        }
    }

    /// Number of classes.
    public var classCount: Int { 10 }

    /// How to get the files when one is missing: the second half of the error sentence.
    var remedy: String {
        switch self {
        case .fashionMNIST:
            "install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist) "
                + "or pass --data-dir with the folder of the Fashion-MNIST files"
        case .mnist:
            "pass --data-dir with the folder that holds MNIST's train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
                + "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (gzip or not)"
        case .cifar10:
            "pass --data-dir with the folder of CIFAR-10's binary version (cifar-10-batches-bin: data_batch_1.bin … "
                + "data_batch_5.bin and test_batch.bin)"
        case .synthetic:
            "the synthetic data set needs no files"
        }
    }
}
