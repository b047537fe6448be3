/// Images as they come from a file: one byte per pixel (0 black … 255 white), laid out
/// N×C×H×W, with a label per image.
///
/// Readers produce this; `LabeledImages` turns it into normalised Float32 tensors. Keeping
/// the bytes until then lets a loader take a subset before paying for the conversion.
public struct RawImages: Sendable {
    /// Pixels, `count · channels · height · width` bytes, image after image, channel planes inside.
    public var pixels: [UInt8]
    /// The class of each image, in 0..<classCount.
    public var labels: [Int]
    public var channels: Int
    public var height: Int
    public var width: Int
    public var classCount: Int

    public init(pixels: [UInt8], labels: [Int], channels: Int, height: Int, width: Int, classCount: Int) {
        precondition(pixels.count == labels.count * channels * height * width,
                     "\(pixels.count) pixels do not make \(labels.count) images of \(channels)×\(height)×\(width)")
        self.pixels = pixels
        self.labels = labels
        self.channels = channels
        self.height = height
        self.width = width
        self.classCount = classCount
    }

    /// Number of images.
    public var count: Int { labels.count }
    /// Shape of one image, `[C, H, W]`.
    public var sampleShape: [Int] { [channels, height, width] }
    /// Bytes per image.
    public var imageSize: Int { channels * height * width }

    /// The images at `indices`, in that order.
    public func subset(indices: [Int]) -> RawImages {
        let size = imageSize
        var picked = [UInt8](repeating: 0, count: indices.count * size)
        picked.withUnsafeMutableBufferPointer { destination in
            pixels.withUnsafeBufferPointer { source in
                for (row, index) in indices.enumerated() {
                    (destination.baseAddress! + row * size)
                        .update(from: source.baseAddress! + index * size, count: size)
                }
            }
        }
        return RawImages(pixels: picked, labels: indices.map { labels[$0] },
                         channels: channels, height: height, width: width, classCount: classCount)
    }

    /// Appends the images of `other` (same image shape), e.g. the five CIFAR-10 training batches.
    public mutating func append(_ other: RawImages) {
        precondition(other.sampleShape == sampleShape, "cannot join \(other.sampleShape) images to \(sampleShape) images")
        pixels.append(contentsOf: other.pixels)
        labels.append(contentsOf: other.labels)
        classCount = max(classCount, other.classCount)
    }
}

/// Indices of at most `count` samples with the classes as equally represented as the data
/// allows, in their original order: a quick preset's subset then has every class.
///
/// Each class gets `count / classCount` places (the first `count % classCount` classes one
/// more); places a small class cannot fill go to the next samples of other classes.
public func stratifiedIndices(labels: [Int], classCount: Int, count: Int) -> [Int] {
    let count = min(count, labels.count)
    guard classCount > 0, count > 0 else { return [] }
    var quota = (0..<classCount).map { count / classCount + ($0 < count % classCount ? 1 : 0) }
    var taken = [Bool](repeating: false, count: labels.count)
    var chosen = 0
    for (index, label) in labels.enumerated() where chosen < count && quota[label] > 0 {
        quota[label] -= 1
        taken[index] = true
        chosen += 1
    }
    for index in labels.indices where chosen < count && !taken[index] {
        taken[index] = true
        chosen += 1
    }
    return labels.indices.filter { taken[$0] }
}
