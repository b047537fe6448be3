import Foundation
import Testing
@testable import Datasets

@Suite struct LoaderTests {
    @Test func mnistFromAFolderGzipOrRaw() throws {
        for gzip in [true, false] {
            let folder = try TestFolder(); defer { folder.remove() }
            try folder.writeTinyMNIST(gzip: gzip)
            let (train, test) = try DatasetLoader.load(.mnist, dataDirectory: folder.url)
            #expect(train.sampleCount == 3 && test.sampleCount == 2)
            #expect(train.sampleShape == [1, 4, 5])
            #expect(train.labels == [1, 0, 9] && test.labels == [3, 3])
            // Pixel i of the training file is i / 255 before normalisation.
            let s = train.statistics
            #expect(abs(train.images[0, 0, 0, 1] - (1 / 255 - s.mean[0]) / s.std[0]) < 1e-6)
        }
    }

    @Test func missingFileNamesThePathAndHowToGetTheData() throws {
        let folder = try TestFolder(); defer { folder.remove() }
        try folder.writeTinyMNIST(gzip: true)
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
        let error = datasetError { try DatasetLoader.load(.fashionMNIST, dataDirectory: folder.url) }
        let path = folder.path("t10k-labels-idx1-ubyte.gz")
        #expect(error == .missingFile(path: path, remedy: DatasetKind.fashionMNIST.remedy))
        #expect(error?.description == "cannot find \(path): install Debian's dataset-fashion-mnist "
            + "(apt-get install dataset-fashion-mnist) or pass --data-dir with the folder of the Fashion-MNIST files")
    }

    @Test func missingFolderIsNamed() throws {
        let folder = try TestFolder(); defer { folder.remove() }
        let nowhere = folder.url.appendingPathComponent("no-such-folder")
        let error = datasetError { try DatasetLoader.load(.mnist, dataDirectory: nowhere) }
        #expect(error == .missingDirectory(path: nowhere.path))
        #expect(error?.description.contains(nowhere.path) == true)
        // A file given as the folder.
        let file = try folder.write("file", [1])
        #expect(datasetError { try DatasetLoader.load(.mnist, dataDirectory: file) } == .missingDirectory(path: file.path))
    }

    @Test func mnistAndCIFARNeedAFolder() {
        for kind in [DatasetKind.mnist, .cifar10] {
            let error = datasetError { try DatasetLoader.load(kind, dataDirectory: nil) }
            guard case .directoryRequired? = error else { Issue.record("\(kind): expected directoryRequired"); continue }
            #expect(error?.description.contains("--data-dir") == true)
        }
    }

    @Test func countMismatchBetweenSplitFilesIsRefused() throws {
        let folder = try TestFolder(); defer { folder.remove() }
        try folder.writeTinyMNIST(gzip: true)
        try folder.write("t10k-labels-idx1-ubyte.gz", idxLabels([1, 2, 3]), gzip: true)
        #expect(datasetError { try DatasetLoader.load(.mnist, dataDirectory: folder.url) }
            == .countMismatch(imagesPath: folder.path("t10k-images-idx3-ubyte.gz"), images: 2,
                              labelsPath: folder.path("t10k-labels-idx1-ubyte.gz"), labels: 3))
    }

    @Test func datasetNamesParse() throws {
        #expect(try DatasetKind(parsing: "fashion-mnist") == .fashionMNIST)
        #expect(try DatasetKind(parsing: "CIFAR10") == .cifar10)
        let error = datasetError { try DatasetKind(parsing: "imagenet") }
        #expect(error == .unknownDataset(name: "imagenet"))
        #expect(error?.description.contains("fashion-mnist, mnist, cifar10, synthetic") == true)
    }

    @Test func limitsKeepEveryClass() throws {
        let (train, test) = try DatasetLoader.load(.synthetic, trainLimit: 300, testLimit: 40, seed: 3)
        #expect(train.sampleCount == 300 && test.sampleCount == 40)
        #expect(train.classCounts == [Int](repeating: 30, count: 10))
        #expect(test.classCounts == [Int](repeating: 4, count: 10))
        let empty = try DatasetLoader.load(.synthetic, trainLimit: -1, testLimit: 0).train
        #expect(empty.sampleCount == 0)
        var batches = 0
        empty.forEachBatch(size: 8, shuffleSeed: 1, augment: true) { _ in batches += 1 }
        #expect(batches == 0)
    }

    @Test func stratifiedIndicesFillFromOtherClassesWhenOneRunsOut() {
        let labels = [0, 0, 0, 0, 0, 1, 0, 0]
        #expect(stratifiedIndices(labels: labels, classCount: 2, count: 4) == [0, 1, 2, 5])
        #expect(stratifiedIndices(labels: labels, classCount: 2, count: 3) == [0, 1, 5])
        #expect(stratifiedIndices(labels: labels, classCount: 2, count: 100) == Array(0..<8))
        #expect(stratifiedIndices(labels: labels, classCount: 2, count: 0) == [])
    }

    @Test func pad32MakesThirtyTwoByThirtyTwo() throws {
        let (train, test) = try DatasetLoader.load(.synthetic, pad32: true, trainLimit: 20, testLimit: 10)
        #expect(train.sampleShape == [1, 32, 32] && test.sampleShape == [1, 32, 32])
        #expect(datasetError { try train.checkFits(modelInput: [1, 32, 32]) } == nil)
    }
}
