import PerceptAutograd
import PerceptData
import PerceptNN
import PerceptTensor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A single-shot grid detector on a fully convolutional network (in the manner of YOLO).
///
/// The network maps a grayscale image `[height, width]` to a grid with one cell per
/// ``stride`` × ``stride`` pixels. Each cell predicts, in this order along the channel axis:
/// - an objectness logit `o`: whether the centre of an object lies in the cell;
/// - the centre's offset `(tx, ty)` from the cell's centre, in cells;
/// - the box's size as `(tw, th)` with `width = referenceSize · e^tw`, `height = referenceSize · e^th`;
/// - one logit per class.
///
/// A cell's score for class `k` is `σ(o) · softmax(logits)ₖ`; every cell and class scoring at
/// least ``Settings/scoreThreshold`` becomes a candidate, and ``nonMaximumSuppression(_:overlapThreshold:limit:)``
/// per class keeps the final detections. Because the network is fully convolutional, images of
/// any size are accepted: they are padded with background (zeros) on the right and bottom to a
/// multiple of the stride.
public final class GridDetector {
    /// How detections are read from the network's output.
    public struct Settings: Sendable, Equatable, Codable {
        /// The number of classes.
        public var classCount: Int
        /// The box size, in pixels, that a size output of zero stands for.
        public var referenceSize: Float
        /// The lowest score reported.
        public var scoreThreshold: Float
        /// The IoU above which non-maximum suppression removes the weaker of two detections of a class.
        public var overlapThreshold: Float
        /// The most detections reported per image.
        public var maximumDetections: Int

        /// Settings; the defaults suit digits of 16 to 48 pixels and average-precision evaluation
        /// (a low threshold keeps the low-confidence detections the precision–recall curve needs).
        public init(
            classCount: Int, referenceSize: Float = 32, scoreThreshold: Float = 0.05, overlapThreshold: Float = 0.45,
            maximumDetections: Int = 100
        ) {
            self.classCount = classCount
            self.referenceSize = referenceSize
            self.scoreThreshold = scoreThreshold
            self.overlapThreshold = overlapThreshold
            self.maximumDetections = maximumDetections
        }

        enum CodingKeys: String, CodingKey {
            case classCount = "class_count"
            case referenceSize = "reference_size"
            case scoreThreshold = "score_threshold"
            case overlapThreshold = "overlap_threshold"
            case maximumDetections = "maximum_detections"
        }
    }

    /// The values each grid cell predicts besides the class logits: objectness, tx, ty, tw, th.
    public static let boxChannels = 5

    /// The fully convolutional network; its input shape is the nominal one it was built for.
    public let network: Sequential
    /// How outputs become detections.
    public var settings: Settings
    /// The side of a grid cell in pixels: the product of the network's strides.
    public let stride: Int

    /// Wraps a built network whose layers are ``Conv2D``, ``MaxPool2D`` or size-independent layers
    /// and whose last layer has `5 + classCount` channels.
    ///
    /// - Throws: ``ModelError`` when the network is not built, its input is not `[h, w, 1]`, or
    ///   its output does not have `5 + classCount` channels.
    public init(network: Sequential, settings: Settings) throws {
        guard let inputShape = network.inputShape, let outputShape = network.outputShape else {
            throw ModelError.invalidArgument(name: "network", reason: "must be built before it becomes a detector")
        }
        guard inputShape.count == 3, inputShape[2] == 1 else {
            throw ModelError.incompatibleInput(layer: "detector", expected: "grayscale images [height, width, 1]", got: inputShape)
        }
        let channels = Self.boxChannels + settings.classCount
        guard outputShape.count == 3, outputShape[2] == channels else {
            throw ModelError.invalidArgument(
                name: "network", reason: "its output \(outputShape) must have \(channels) channels (5 + \(settings.classCount) classes)")
        }
        var stride = 1
        for layer in network.layers {
            if let convolution = layer as? Conv2D {
                guard convolution.padding == .same, convolution.strides.height == convolution.strides.width else {
                    throw ModelError.invalidArgument(name: "network", reason: "\(layer.name) must use same padding and square strides")
                }
                stride *= convolution.strides.height
            } else if let pooling = layer as? MaxPool2D {
                guard pooling.strides.height == pooling.strides.width, pooling.poolSize == pooling.strides else {
                    throw ModelError.invalidArgument(name: "network", reason: "\(layer.name) must use square, non-overlapping windows")
                }
                stride *= pooling.strides.height
            }
        }
        self.network = network
        self.settings = settings
        self.stride = stride
    }

    /// The network of the default detector: 3 × 3 convolutions with max pooling down to stride 8
    /// (16, 32, 64 channels), then a 5 × 5 and a 3 × 3 convolution of 64 channels that widen the
    /// receptive field to 70 pixels (enough for a 48-pixel digit), and a 1 × 1 convolution to the
    /// `5 + classCount` outputs per cell. With `batchNormalization`, each hidden convolution is
    /// followed by batch normalization before its ReLU (and has no bias of its own).
    public static func makeNetwork(classCount: Int, batchNormalization: Bool = true) -> Sequential {
        func block(_ filters: Int, _ kernel: Int) -> [any Layer] {
            guard batchNormalization else { return [Conv2D(filters, kernelSize: kernel, padding: .same, activation: .relu)] }
            return [Conv2D(filters, kernelSize: kernel, padding: .same, useBias: false, kernelInitializer: .heNormal),
                    BatchNormalization(), ActivationLayer(.relu)]
        }
        return Sequential(
            block(16, 3) + [MaxPool2D(2)] + block(32, 3) + [MaxPool2D(2)] + block(64, 3) + [MaxPool2D(2)]
                + block(64, 5) + block(64, 3) + [Conv2D(boxChannels + classCount, kernelSize: 1, padding: .same)])
    }

    /// A new detector with ``makeNetwork(classCount:batchNormalization:)`` built for `side` × `side`
    /// images from `seed`; the objectness bias starts at `log(0.01 / 0.99)`, so that training
    /// begins from "1 % of cells hold an object" rather than from a flood of false positives.
    public static func untrained(
        classCount: Int, batchNormalization: Bool = true, side: Int = 128, seed: UInt64 = 0
    ) throws -> GridDetector {
        let network = makeNetwork(classCount: classCount, batchNormalization: batchNormalization)
        try network.build(inputShape: [side, side, 1], seed: seed)
        if let head = network.layers.last as? Conv2D, let bias = head.bias {
            bias.value.withUnsafeMutableBufferPointer { $0[0] = logf(0.01 / 0.99) }
        }
        return try GridDetector(network: network, settings: Settings(classCount: classCount))
    }

    /// The number of output channels per cell.
    public var channels: Int { Self.boxChannels + settings.classCount }

    /// The grid size for an image of `height` × `width` pixels.
    public func gridSize(height: Int, width: Int) -> (rows: Int, columns: Int) {
        ((height + stride - 1) / stride, (width + stride - 1) / stride)
    }

    /// Applies the network to a batch of same-sized images `[n, height, width]` (values in `[0, 1]`,
    /// background 0) and returns the grid outputs `[n, rows, columns, channels]`.
    public func outputs(_ images: Tensor, context: ForwardContext = ForwardContext(isTraining: false)) -> Variable {
        precondition(images.rank == 3 || (images.rank == 4 && images.shape[3] == 1),
                     "GridDetector expects images [n, height, width], got \(images.shape)")
        let (n, height, width) = (images.shape[0], images.shape[1], images.shape[2])
        let grid = gridSize(height: height, width: width)
        var x = Variable(padded(images, count: n, height: height, width: width, to: (grid.rows * stride, grid.columns * stride)))
        for layer in network.layers {
            let shape = Array(x.shape.dropFirst())
            if let convolution = layer as? Conv2D, let kernel = convolution.kernel {
                let geometry = WindowGeometry(
                    height: shape[0], width: shape[1], channels: shape[2],
                    kernel: (convolution.kernelSize.height, convolution.kernelSize.width),
                    stride: (convolution.strides.height, convolution.strides.width), padding: .same)!
                x = convolution.activation(conv2D(x, kernel: kernel, bias: convolution.bias, geometry: geometry))
            } else if let pooling = layer as? MaxPool2D {
                let geometry = WindowGeometry(
                    height: shape[0], width: shape[1], channels: shape[2],
                    kernel: (pooling.poolSize.height, pooling.poolSize.width),
                    stride: (pooling.strides.height, pooling.strides.width), padding: pooling.padding)!
                x = maxPool2D(x, geometry: geometry)
            } else {
                x = layer.forward(x, context: context)
            }
        }
        return x
    }

    /// The detections in one grayscale image `[height, width]`, best first.
    public func detect(_ image: Tensor) -> [Detection] {
        precondition(image.rank == 2, "detect expects one image [height, width], got \(image.shape)")
        let output = withoutGradients { outputs(image.reshaped([1] + image.shape)).value }
        return detections(fromGrid: output, image: 0, height: image.shape[0], width: image.shape[1])
    }

    /// The detections of each image of a batch of same-sized images `[n, height, width]`.
    public func detect(batch images: Tensor) -> [[Detection]] {
        let output = withoutGradients { outputs(images).value }
        return (0..<images.shape[0]).map {
            detections(fromGrid: output, image: $0, height: images.shape[1], width: images.shape[2])
        }
    }

    /// Reads the detections of image `image` from grid outputs `[n, rows, columns, channels]`,
    /// with boxes clipped to the `height` × `width` image.
    public func detections(fromGrid output: Tensor, image: Int, height: Int, width: Int) -> [Detection] {
        let (rows, columns, channels) = (output.shape[1], output.shape[2], output.shape[3])
        precondition(channels == self.channels, "grid has \(channels) channels, the detector \(self.channels)")
        let classes = settings.classCount
        let minimumObjectness = settings.scoreThreshold
        var candidates: [Detection] = []
        output.withUnsafeBufferPointer { values in
            var probabilities = [Float](repeating: 0, count: classes)
            for row in 0..<rows {
                for column in 0..<columns {
                    let cell = values.baseAddress! + ((image * rows + row) * columns + column) * channels
                    let objectness = stableSigmoid(cell[0])
                    guard objectness >= minimumObjectness else { continue }
                    let box = decodeBox(cell, row: row, column: column).clipped(width: Float(width), height: Float(height))
                    guard box.area > 0 else { continue }
                    softmax(cell + Self.boxChannels, count: classes, into: &probabilities)
                    for label in 0..<classes {
                        let score = objectness * probabilities[label]
                        if score >= settings.scoreThreshold { candidates.append(Detection(box: box, label: label, score: score)) }
                    }
                }
            }
        }
        return nonMaximumSuppression(candidates, overlapThreshold: settings.overlapThreshold, limit: settings.maximumDetections)
    }

    /// The box a cell predicts.
    func decodeBox(_ cell: UnsafePointer<Float>, row: Int, column: Int) -> BoundingBox {
        let size = Float(stride)
        // Sizes are bounded so that a wild output cannot overflow.
        let width = settings.referenceSize * expf(min(max(cell[3], -8), 8))
        let height = settings.referenceSize * expf(min(max(cell[4], -8), 8))
        return BoundingBox(
            centerX: (Float(column) + 0.5 + cell[1]) * size, centerY: (Float(row) + 0.5 + cell[2]) * size,
            width: width, height: height)
    }

    private func padded(_ images: Tensor, count n: Int, height: Int, width: Int, to target: (Int, Int)) -> Tensor {
        if target == (height, width) { return images.reshaped([n, height, width, 1]) }
        return images.withUnsafeBufferPointer { source in
            Tensor(shape: [n, target.0, target.1, 1]) { out in
                out.initialize(repeating: 0)
                for image in 0..<n {
                    for row in 0..<height {
                        let from = source.baseAddress! + (image * height + row) * width
                        (out.baseAddress! + (image * target.0 + row) * target.1).update(from: from, count: width)
                    }
                }
            }
        }
    }
}

extension BoundingBox {
    /// The box limited to `[0, width] × [0, height]`.
    func clipped(width: Float, height: Float) -> BoundingBox {
        BoundingBox(xMin: min(max(xMin, 0), width), yMin: min(max(yMin, 0), height),
                    xMax: min(max(xMax, 0), width), yMax: min(max(yMax, 0), height))
    }
}

/// `1 / (1 + e^−x)` without overflow for large |x|.
func stableSigmoid(_ x: Float) -> Float {
    x >= 0 ? 1 / (1 + expf(-x)) : expf(x) / (1 + expf(x))
}

/// The softmax of `count` logits at `logits`, into `result`.
func softmax(_ logits: UnsafePointer<Float>, count: Int, into result: inout [Float]) {
    var largest = -Float.infinity
    for k in 0..<count { largest = max(largest, logits[k]) }
    var total: Float = 0
    for k in 0..<count {
        result[k] = expf(logits[k] - largest)
        total += result[k]
    }
    for k in 0..<count { result[k] /= total }
}
