import Foundation
import Testing
@testable import Datasets

@Suite struct CIFAR10ReaderTests {
    /// Writes the six CIFAR-10 files with `perFile` records each, labels cycling through the classes.
    func writeCIFAR(_ folder: TestFolder, perFile: Int = 3) throws {
        for (f, name) in (CIFAR10Reader.trainFiles + CIFAR10Reader.testFiles).enumerated() {
            try folder.write(name, cifarRecords(labels: (0..<perFile).map { UInt8((f + $0) % 10) }))
        }
    }

    @Test func readsRecordsAsChannelPlanes() throws {
        let bytes = cifarRecords(labels: [4, 7])
        let raw = try CIFAR10Reader.parse(bytes, path: "x")
        #expect(raw.labels == [4, 7])
        #expect(raw.sampleShape == [3, 32, 32])
        #expect(Array(raw.pixels[0..<3072]) == Array(bytes[1..<3073]))
        #expect(Array(raw.pixels[3072...]) == Array(bytes[3074...]))
    }

    @Test func loaderJoinsTheFiveTrainingFiles() throws {
        let folder = try TestFolder(); defer { folder.remove() }
        try writeCIFAR(folder)
        let (train, test) = try DatasetLoader.load(.cifar10, dataDirectory: folder.url)
        #expect(train.sampleCount == 15)
        #expect(test.sampleCount == 3)
        #expect(train.sampleShape == [3, 32, 32])
        #expect(train.labels == [0, 1, 2, 1, 2, 3, 2, 3, 4, 3, 4, 5, 4, 5, 6])
        #expect(train.statistics.mean.count == 3)
    }

    @Test func unpackedArchiveFolderIsFound() throws {
        let folder = try TestFolder(); defer { folder.remove() }
        let inner = try TestFolder(url: folder.url.appendingPathComponent("cifar-10-batches-bin"))
        try writeCIFAR(inner, perFile: 1)
        #expect(try DatasetLoader.load(.cifar10, dataDirectory: folder.url).train.sampleCount == 5)
    }

    @Test func sizeNotAMultipleOfTheRecordIsRefused() throws {
        let folder = try TestFolder(); defer { folder.remove() }
        try writeCIFAR(folder)
        let damaged = try folder.write("data_batch_3.bin", Array(cifarRecords(labels: [1, 2]).dropLast(100)))
        let error = datasetError { try DatasetLoader.load(.cifar10, dataDirectory: folder.url) }
        #expect(error == .cifarSize(path: damaged.path, size: 2 * 3073 - 100))
        #expect(error?.description.contains("3073") == true)
        let empty = try folder.write("test_batch.bin", [])
        #expect(datasetError { try CIFAR10Reader.read(directory: folder.url, files: ["test_batch.bin"]) }
            == .cifarSize(path: empty.path, size: 0))
    }

    @Test func labelOutOfRangeIsRefused() throws {
        #expect(datasetError { try CIFAR10Reader.parse(cifarRecords(labels: [3, 12]), path: "p") }
            == .labelOutOfRange(path: "p", index: 1, label: 12, classCount: 10))
    }

    @Test func missingFileNamesThePathAndTheFix() throws {
        let folder = try TestFolder(); defer { folder.remove() }
        try writeCIFAR(folder)
        try FileManager.default.removeItem(at: folder.url.appendingPathComponent("data_batch_4.bin"))
        let error = datasetError { try DatasetLoader.load(.cifar10, dataDirectory: folder.url) }
        #expect(error == .missingFile(path: folder.path("data_batch_4.bin"), remedy: DatasetKind.cifar10.remedy))
        #expect(error?.description.contains("--data-dir") == true)
    }

    @Test func aCIFARSetDoesNotFitAOneChannelModel() throws {
        let folder = try TestFolder(); defer { folder.remove() }
        try writeCIFAR(folder, perFile: 1)
        let (train, _) = try DatasetLoader.load(.cifar10, dataDirectory: folder.url)
        let error = datasetError { try train.checkFits(modelInput: [1, 28, 28]) }
        #expect(error == .incompatibleInput(dataset: "cifar10", sampleShape: [3, 32, 32], modelInput: [1, 28, 28]))
        #expect(error?.description.contains("3×32×32") == true)
        #expect(datasetError { try train.checkFits(modelInput: [3, 32, 32]) } == nil)
    }
}
