import Foundation
import Tensors
import Testing
@testable import Datasets

@Suite struct LabeledImagesTests {
    /// `count` one-channel h×w images whose every pixel is the image's index (mod 256), so a
    /// batch row tells which sample it came from.
    func numberedImages(count: Int, height: Int = 3, width: Int = 3, classCount: Int = 10) -> RawImages {
        let size = height * width
        return RawImages(pixels: (0..<count * size).map { UInt8($0 / size % 256) }, labels: (0..<count).map { $0 % classCount },
                         channels: 1, height: height, width: width, classCount: classCount)
    }

    /// Statistics that leave byte values as v / 255 … scaled to v exactly: mean 0, std 1/255.
    let identity = ChannelStatistics(mean: [0], std: [1 / 255])

    /// The sample index each row of a batch of `numberedImages` came from.
    func sampleIndices(_ batch: Batch) -> [Int] {
        let size = batch.inputs.count / batch.count
        return (0..<batch.count).map { Int(batch.inputs[flat: $0 * size].rounded()) }
    }

    @Test func statisticsAreMeasuredPerChannel() {
        // Channel 0 holds 0 and 255, channel 1 holds 51 everywhere.
        let raw = RawImages(pixels: [0, 255, 51, 51, 255, 255, 51, 51], labels: [0, 1],
                            channels: 2, height: 1, width: 2, classCount: 2)
        let statistics = ChannelStatistics(measuring: raw)
        #expect(abs(statistics.mean[0] - 0.75) < 1e-6)
        #expect(abs(statistics.std[0] - Float((0.75 * 0.25).squareRoot())) < 1e-6)
        #expect(abs(statistics.mean[1] - 0.2) < 1e-6)
        #expect(statistics.std[1] == 1, "a constant channel is left unscaled")
    }

    @Test func normalisedTrainingImagesHaveZeroMeanAndUnitStd() {
        let raw = SyntheticImages.make(count: 200, shape: [3, 8, 8], seed: 1)
        let statistics = ChannelStatistics(measuring: raw)
        let data = LabeledImages(name: "s", raw: raw, statistics: statistics)
        for c in 0..<3 {
            var values: [Double] = []
            for n in 0..<200 { for i in 0..<64 { values.append(Double(data.images[flat: (n * 3 + c) * 64 + i])) } }
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
            #expect(abs(mean) < 1e-4)
            #expect(abs(variance.squareRoot() - 1) < 1e-4)
        }
    }

    @Test func testSplitUsesTheTrainingStatistics() throws {
        let folder = try TestFolder(); defer { folder.remove() }
        try folder.writeTinyMNIST(gzip: false)
        let (train, test) = try DatasetLoader.load(.mnist, dataDirectory: folder.url)
        let expected = ChannelStatistics(measuring: try IDXReader.read(
            images: folder.url.appendingPathComponent("train-images-idx3-ubyte"),
            labels: folder.url.appendingPathComponent("train-labels-idx1-ubyte")))
        #expect(train.statistics == expected && test.statistics == expected)
        // The test file's first pixel is 7.
        #expect(abs(test.images[flat: 0] - (7 / 255 - expected.mean[0]) / expected.std[0]) < 1e-6)
    }

    @Test func paddingIsBlackBeforeNormalisation() {
        let raw = RawImages(pixels: [10, 20, 30, 40], labels: [0], channels: 1, height: 2, width: 2, classCount: 1)
        let statistics = ChannelStatistics(mean: [0.5], std: [0.25])
        let data = LabeledImages(name: "p", raw: raw, statistics: statistics, padding: 2)
        #expect(data.sampleShape == [1, 6, 6])
        let black: Float = (0 - 0.5) / 0.25
        for y in 0..<6 {
            for x in 0..<6 {
                let inside = (2..<4).contains(y) && (2..<4).contains(x)
                let expected = inside ? (Float(raw.pixels[(y - 2) * 2 + x - 2]) / 255 - 0.5) / 0.25 : black
                #expect(abs(data.images[0, 0, y, x] - expected) < 1e-6)
            }
        }
    }

    @Test func batchesCoverEverySampleOncePerEpoch() {
        let data = LabeledImages(name: "n", raw: numberedImages(count: 103), statistics: identity)
        for seed: UInt64? in [nil, 7] {
            var seen: [Int] = [], sizes: [Int] = []
            data.forEachBatch(size: 10, shuffleSeed: seed, augment: false) { batch in
                sizes.append(batch.count)
                #expect(batch.inputs.shape == [batch.count, 1, 3, 3])
                let indices = sampleIndices(batch)
                #expect(batch.labels == indices.map { $0 % 10 }, "labels travel with their images")
                seen += indices
            }
            #expect(sizes == [Int](repeating: 10, count: 10) + [3])
            #expect(seen.sorted() == Array(0..<103))
            if seed == nil { #expect(seen == Array(0..<103), "without a seed the order is the stored one") }
        }
    }

    @Test func sameSeedSameOrderOtherSeedOtherOrder() {
        let data = LabeledImages(name: "n", raw: numberedImages(count: 64), statistics: identity)
        func order(_ seed: UInt64) -> [Int] {
            var result: [Int] = []
            data.forEachBatch(size: 16, shuffleSeed: seed, augment: false) { result += sampleIndices($0) }
            return result
        }
        #expect(order(1) == order(1))
        #expect(order(1) != order(2))
        #expect(order(1) != Array(0..<64))
    }

    /// Every image torchvision's Pad(p) + RandomCrop + RandomHorizontalFlip could produce from `image` (h×w).
    func possibleAugmentations(of image: [Float], height: Int, width: Int, padding p: Int, border: Float) -> [[Float]] {
        var results: [[Float]] = []
        for top in 0...(2 * p) {
            for left in 0...(2 * p) {
                var crop = [Float](repeating: border, count: height * width)
                for y in 0..<height {
                    for x in 0..<width {
                        let (py, px) = (y + top, x + left) // in the padded image
                        if (p..<p + height).contains(py) && (p..<p + width).contains(px) {
                            crop[y * width + x] = image[(py - p) * width + px - p]
                        }
                    }
                }
                results.append(crop)
                results.append((0..<height * width).map { crop[($0 / width) * width + width - 1 - $0 % width] })
            }
        }
        return results
    }

    @Test func augmentationIsACropOfThePaddedImageMaybeFlipped() {
        let (h, w) = (6, 7)
        let raw = RawImages(pixels: (0..<h * w).map { UInt8(1 + $0) }, labels: [0], channels: 1, height: h, width: w, classCount: 1)
        let data = LabeledImages(name: "a", raw: raw, statistics: ChannelStatistics(mean: [0.1], std: [1 / 255]))
        data.cropPadding = 2
        let border = data.statistics.normalisedZero[0]
        let candidates = possibleAugmentations(of: data.images.values, height: h, width: w, padding: 2, border: border)
        var produced = Set<[Float]>()
        for seed in 0..<200 as Range<UInt64> {
            data.forEachBatch(size: 1, shuffleSeed: seed, augment: true) { batch in
                let output = batch.inputs.values
                #expect(candidates.contains(output))
                produced.insert(output)
            }
        }
        // 5 × 5 shifts × 2 flips = 50 outcomes; 200 draws should meet most of them.
        #expect(produced.count > 35)
        #expect(produced.contains(candidates[2 * (2 * 5 + 2) + 1]), "the centred, flipped image occurs")
    }

    @Test func augmentationIsDeterministicWithASeed() {
        let raw = SyntheticImages.make(count: 40, shape: [3, 10, 10], seed: 5)
        let data = LabeledImages(name: "s", raw: raw, statistics: ChannelStatistics(measuring: raw))
        func epoch(_ seed: UInt64?) -> [[Float]] {
            var batches: [[Float]] = []
            data.forEachBatch(size: 16, shuffleSeed: seed, augment: true) { batches.append($0.inputs.values) }
            return batches
        }
        #expect(epoch(11) == epoch(11))
        #expect(epoch(11) != epoch(12))
        #expect(epoch(nil) == epoch(nil))
        var plain: [[Float]] = []
        data.forEachBatch(size: 16, shuffleSeed: 11, augment: false) { plain.append($0.inputs.values) }
        #expect(epoch(11) != plain)
        // Augmenting does not change which samples come in which order.
        var labelsAugmented: [Int] = [], labelsPlain: [Int] = []
        data.forEachBatch(size: 16, shuffleSeed: 11, augment: true) { labelsAugmented += $0.labels }
        data.forEachBatch(size: 16, shuffleSeed: 11, augment: false) { labelsPlain += $0.labels }
        #expect(labelsAugmented == labelsPlain)
    }

    @Test func subsetsCopyTheRightSamples() {
        let data = LabeledImages(name: "n", raw: numberedImages(count: 30), statistics: identity)
        let picked = data.subset(indices: [29, 3, 3])
        #expect(picked.sampleCount == 3)
        #expect(picked.labels == [9, 3, 3])
        #expect(picked.images[flat: 0].rounded() == 29 && picked.images[flat: 9].rounded() == 3)
        #expect(data.subset(first: 5).labels == [0, 1, 2, 3, 4])
        #expect(data.subset(first: 500).sampleCount == 30)
        #expect(data.stratifiedSubset(count: 20).classCounts == [Int](repeating: 2, count: 10))
    }
}
