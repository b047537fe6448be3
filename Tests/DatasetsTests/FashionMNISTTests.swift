import Foundation
import Testing
@testable import Datasets

/// Whether Debian's `dataset-fashion-mnist` is installed: its four gzip files are in place.
private let fashionMNISTIsInstalled = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                       "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"].allSatisfy {
    FileManager.default.fileExists(atPath: DatasetLoader.defaultFashionMNISTDirectory.appendingPathComponent($0 + ".gz").path)
}

/// Reads the real Fashion-MNIST that Debian's `dataset-fashion-mnist` installs (the README's
/// test command installs it). Loaded once and shared by the tests below. Skipped, with a note
/// that says what to install, on a machine without the data set.
@Suite(.enabled(if: fashionMNISTIsInstalled,
                "Fashion-MNIST is not installed: apt-get install dataset-fashion-mnist (or bash scripts/install-deps.sh)"))
struct FashionMNISTTests {
    static let directory = DatasetLoader.defaultFashionMNISTDirectory
    static let splits = Result { try DatasetLoader.readRaw(.fashionMNIST, dataDirectory: nil) }

    @Test func bothSplitsHaveTheirPublishedSizesAndLabels() throws {
        let (train, test) = try Self.splits.get()
        #expect(train.count == 60000 && test.count == 10000)
        #expect(train.sampleShape == [1, 28, 28] && test.sampleShape == [1, 28, 28])
        #expect(train.pixels.count == 60000 * 784)
        // The first training image is an ankle boot (class 9), and so is the first test image.
        #expect(train.labels.first == 9 && test.labels.first == 9)
        #expect(train.labels.prefix(10) == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5])
        // Fashion-MNIST is balanced: 6000 and 1000 images per class.
        var trainCounts = [Int](repeating: 0, count: 10), testCounts = [Int](repeating: 0, count: 10)
        for label in train.labels { trainCounts[label] += 1 }
        for label in test.labels { testCounts[label] += 1 }
        #expect(trainCounts == [Int](repeating: 6000, count: 10))
        #expect(testCounts == [Int](repeating: 1000, count: 10))
    }

    @Test func statisticsMatchTheWidelyUsedConstants() throws {
        // torchvision users normalise Fashion-MNIST with mean 0.2860 and std 0.3530.
        let statistics = ChannelStatistics(measuring: try Self.splits.get().train)
        #expect(abs(statistics.mean[0] - 0.2860) < 5e-4)
        #expect(abs(statistics.std[0] - 0.3530) < 5e-4)
    }

    @Test func gunzippedCopiesGiveTheSameData() throws {
        // Decompress the test split with the system's gzip, independently of our reader.
        let folder = try TestFolder(); defer { folder.remove() }
        for name in ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/gzip")
            process.arguments = ["-dc", Self.directory.appendingPathComponent(name + ".gz").path]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            try data.write(to: folder.url.appendingPathComponent(name))
        }
        let raw = try IDXReader.read(images: folder.url.appendingPathComponent("t10k-images-idx3-ubyte"),
                                     labels: folder.url.appendingPathComponent("t10k-labels-idx1-ubyte"))
        let test = try Self.splits.get().test
        #expect(raw.pixels == test.pixels)
        #expect(raw.labels == test.labels)
    }

    @Test func loaderGivesNormalisedPaddedLimitedSets() throws {
        let (train, test) = try DatasetLoader.load(.fashionMNIST, pad32: true, trainLimit: 1000, testLimit: 200, seed: 1)
        #expect(train.sampleShape == [1, 32, 32] && test.sampleShape == [1, 32, 32])
        #expect(train.classCounts == [Int](repeating: 100, count: 10))
        #expect(test.classCounts == [Int](repeating: 20, count: 10))
        // Statistics of the whole training split, not of the 1000 kept.
        #expect(abs(train.statistics.mean[0] - 0.2860) < 5e-4)
        // The border is black: (0 − mean) / std.
        #expect(abs(train.images[0, 0, 0, 0] - (-train.statistics.mean[0] / train.statistics.std[0])) < 1e-6)
    }
}
