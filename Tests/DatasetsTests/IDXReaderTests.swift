import Foundation
import Testing
@testable import Datasets

@Suite struct IDXReaderTests {
    @Test func readsImagesAndLabels() throws {
        let folder = try TestFolder(); defer { folder.remove() }
        let images = try folder.write("images", idxImages(count: 3, height: 4, width: 5))
        let labels = try folder.write("labels", idxLabels([2, 0, 9]))
        let raw = try IDXReader.read(images: images, labels: labels)
        #expect(raw.count == 3)
        #expect(raw.sampleShape == [1, 4, 5])
        #expect(raw.labels == [2, 0, 9])
        #expect(raw.pixels == (0..<60).map { UInt8($0) })
    }

    @Test func gzipAndRawGiveTheSameData() throws {
        let folder = try TestFolder(); defer { folder.remove() }
        let imageBytes = idxImages(count: 50, height: 28, width: 28)
        let labelBytes = idxLabels((0..<50).map { UInt8($0 % 10) })
        let plain = try IDXReader.read(images: folder.write("i", imageBytes), labels: folder.write("l", labelBytes))
        let zipped = try IDXReader.read(images: folder.write("i.gz", imageBytes, gzip: true),
                                        labels: folder.write("l.gz", labelBytes, gzip: true))
        #expect(FileBytes.isGzip([UInt8](try FileBytes.readData(folder.url.appendingPathComponent("i.gz")))))
        #expect(plain.pixels == zipped.pixels)
        #expect(plain.labels == zipped.labels)
    }

    @Test func concatenatedGzipMembersAreOneFile() throws {
        let folder = try TestFolder(); defer { folder.remove() }
        let bytes = idxLabels([1, 2, 3, 4])
        let file = folder.url.appendingPathComponent("two-members.gz")
        try Data(gzipCompress(Array(bytes[..<5])) + gzipCompress(Array(bytes[5...]))).write(to: file)
        #expect(try FileBytes.read(file) == bytes)
        #expect(try FileBytes.decode(gzipCompress(bytes) + gzipCompress([7]), path: "p") == bytes + [7])
        #expect(try FileBytes.decode(bytes, path: "p") == bytes, "data that is not gzip passes through")
    }

    @Test func wrongMagicIsRefused() throws {
        let folder = try TestFolder(); defer { folder.remove() }
        // A label file where an image file is expected: the names are swapped.
        let labels = try folder.write("labels", idxLabels([1, 2]))
        let images = try folder.write("images", idxImages(count: 2, height: 2, width: 2))
        let error = datasetError { try IDXReader.read(images: labels, labels: images) }
        #expect(error == .wrongMagic(path: labels.path, found: 0x801, expected: 0x803))
        #expect(error?.description.contains("0x00000801") == true)
        let wrongLabelMagic = try folder.write("bad-labels", idxLabels([1, 2], magic: 0x802))
        #expect(datasetError { try IDXReader.read(images: images, labels: wrongLabelMagic) }
            == .wrongMagic(path: wrongLabelMagic.path, found: 0x802, expected: 0x801))
    }

    @Test func truncatedImagesAreRefused() throws {
        let folder = try TestFolder(); defer { folder.remove() }
        let full = idxImages(count: 3, height: 4, width: 5)
        let images = try folder.write("images", Array(full.dropLast(7)))
        let labels = try folder.write("labels", idxLabels([0, 1, 2]))
        let error = datasetError { try IDXReader.read(images: images, labels: labels) }
        #expect(error == .truncated(path: images.path, expectedBytes: 76, actualBytes: 69))
        #expect(error?.description.contains(images.path) == true)
        // Even the header cut short.
        let stub = try folder.write("stub", Array(full.prefix(10)))
        #expect(datasetError { try IDXReader.read(images: stub, labels: labels) }
            == .truncated(path: stub.path, expectedBytes: 16, actualBytes: 10))
        let empty = try folder.write("empty", [])
        #expect(datasetError { try IDXReader.read(images: empty, labels: labels) }
            == .truncated(path: empty.path, expectedBytes: 16, actualBytes: 0))
    }

    @Test func truncatedLabelsAreRefused() throws {
        let folder = try TestFolder(); defer { folder.remove() }
        let images = try folder.write("images", idxImages(count: 3, height: 4, width: 5))
        let labels = try folder.write("labels", Array(idxLabels([0, 1, 2]).dropLast()), gzip: true)
        #expect(datasetError { try IDXReader.read(images: images, labels: labels) }
            == .truncated(path: labels.path, expectedBytes: 11, actualBytes: 10))
    }

    @Test func extraBytesAreRefused() throws {
        let folder = try TestFolder(); defer { folder.remove() }
        let images = try folder.write("images", idxImages(count: 3, height: 4, width: 5) + [0, 0])
        let labels = try folder.write("labels", idxLabels([0, 1, 2]))
        #expect(datasetError { try IDXReader.read(images: images, labels: labels) }
            == .trailingBytes(path: images.path, expectedBytes: 76, actualBytes: 78))
    }

    @Test func countMismatchIsRefused() throws {
        let folder = try TestFolder(); defer { folder.remove() }
        let images = try folder.write("images", idxImages(count: 3, height: 4, width: 5))
        let labels = try folder.write("labels", idxLabels([0, 1]))
        let error = datasetError { try IDXReader.read(images: images, labels: labels) }
        #expect(error == .countMismatch(imagesPath: images.path, images: 3, labelsPath: labels.path, labels: 2))
        #expect(error?.description.contains("3 images") == true)
    }

    @Test func labelsOutOfRangeAreRefused() throws {
        let folder = try TestFolder(); defer { folder.remove() }
        let images = try folder.write("images", idxImages(count: 3, height: 4, width: 5))
        let labels = try folder.write("labels", idxLabels([0, 10, 2]))
        #expect(datasetError { try IDXReader.read(images: images, labels: labels) }
            == .labelOutOfRange(path: labels.path, index: 1, label: 10, classCount: 10))
    }

    @Test func impossibleDimensionsAreRefused() throws {
        let folder = try TestFolder(); defer { folder.remove() }
        let labels = try folder.write("labels", idxLabels([0]))
        let zeroWidth = try folder.write("zero-width", idxImages(count: 1, height: 4, width: 0))
        #expect(datasetError { try IDXReader.read(images: zeroWidth, labels: labels) }
            == .badDimensions(path: zeroWidth.path, dimensions: [1, 4, 0]))
        // A header claiming 2³²−1 huge images must be refused from its length, without allocating.
        var huge = idxImages(count: 0, height: 4096, width: 4096)
        huge.replaceSubrange(4..<8, with: [0xff, 0xff, 0xff, 0xff])
        let hugeFile = try folder.write("huge", huge)
        #expect(datasetError { try IDXReader.read(images: hugeFile, labels: labels) }
            == .truncated(path: hugeFile.path, expectedBytes: 16 + 0xffff_ffff * 4096 * 4096, actualBytes: 16))
        let noLabels = try folder.write("no-labels", idxLabels([]))
        let oneImage = try folder.write("one-image", idxImages(count: 1, height: 2, width: 2))
        #expect(datasetError { try IDXReader.read(images: oneImage, labels: noLabels) }
            == .badDimensions(path: noLabels.path, dimensions: [0]))
    }

    @Test func corruptGzipIsRefused() throws {
        let folder = try TestFolder(); defer { folder.remove() }
        let labels = try folder.write("labels", idxLabels((0..<200).map { UInt8($0 % 10) }))
        let images = idxImages(count: 200, height: 8, width: 8)
        var damaged = gzipCompress(images)
        damaged[damaged.count / 2] ^= 0xff
        let damagedFile = try folder.write("damaged.gz", damaged)
        let error = datasetError { try IDXReader.read(images: damagedFile, labels: labels) }
        guard case .corruptGzip(let path, _)? = error else {
            Issue.record("expected corruptGzip, got \(String(describing: error))")
            return
        }
        #expect(path == damagedFile.path)

        let cut = gzipCompress(images)
        let cutFile = try folder.write("cut.gz", Array(cut.prefix(cut.count / 2)))
        let cutError = datasetError { try IDXReader.read(images: cutFile, labels: labels) }
        #expect(cutError == .corruptGzip(path: cutFile.path, reason: "the compressed data ends early"))

        // Only the magic bytes and nothing else.
        let header = try folder.write("header-only.gz", [0x1f, 0x8b])
        guard case .corruptGzip? = datasetError({ try FileBytes.read(header) }) else {
            Issue.record("a bare gzip magic number must be refused")
            return
        }
    }

    @Test func missingFileNamesItsPath() throws {
        let folder = try TestFolder(); defer { folder.remove() }
        let missing = folder.url.appendingPathComponent("nothing-here")
        let error = datasetError { try FileBytes.read(missing) }
        #expect(error?.description.contains(missing.path) == true)
        guard case .missingFile? = error else { Issue.record("expected missingFile"); return }
        #expect(datasetError { try FileBytes.read(folder.url) } == .unreadableFile(path: folder.url.path, reason: "it is a folder"))
    }
}
