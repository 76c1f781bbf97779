/// How a window border is handled by convolution and pooling, as in Keras.
public enum Padding: String, Sendable, Codable, CaseIterable {
    /// No padding: only windows that lie entirely inside the input; the output has
    /// `⌊(in − k) / s⌋ + 1` positions per axis.
    case valid
    /// Zero padding (ignored cells for pooling) so that the output has `⌈in / s⌉` positions per
    /// axis; the extra row or column, when the total padding is odd, goes at the bottom or right.
    case same
}

/// Where a sliding window visits an image of shape `[height, width, channels]` (channels last):
/// window size, strides, padding and the resulting output size.
public struct WindowGeometry: Sendable, Equatable {
    /// The input's height, width and channel count.
    public var height: Int, width: Int, channels: Int
    /// The window's height and width.
    public var kernelHeight: Int, kernelWidth: Int
    /// The step between windows along the height and the width.
    public var strideY: Int, strideX: Int
    /// The padding before the first row and column.
    public var padTop: Int, padLeft: Int
    /// The output's height and width.
    public var outputHeight: Int, outputWidth: Int

    /// The geometry of a `kernel` window moved by `stride` over `[height, width, channels]` inputs.
    ///
    /// Returns `nil` when the window does not fit (a `valid` window larger than the input) or an
    /// extent is not positive.
    public init?(height: Int, width: Int, channels: Int, kernel: (Int, Int), stride: (Int, Int), padding: Padding) {
        guard height > 0, width > 0, channels > 0, kernel.0 > 0, kernel.1 > 0, stride.0 > 0, stride.1 > 0 else {
            return nil
        }
        func axis(_ size: Int, _ k: Int, _ s: Int) -> (output: Int, before: Int)? {
            switch padding {
            case .valid:
                return size >= k ? ((size - k) / s + 1, 0) : nil
            case .same:
                let output = (size + s - 1) / s
                let total = Swift.max((output - 1) * s + k - size, 0)
                return (output, total / 2)
            }
        }
        guard let rows = axis(height, kernel.0, stride.0), let columns = axis(width, kernel.1, stride.1) else {
            return nil
        }
        self.height = height
        self.width = width
        self.channels = channels
        kernelHeight = kernel.0
        kernelWidth = kernel.1
        strideY = stride.0
        strideX = stride.1
        padTop = rows.before
        padLeft = columns.before
        outputHeight = rows.output
        outputWidth = columns.output
    }

    /// The number of values in one window: `kernelHeight · kernelWidth · channels`.
    public var patchSize: Int { kernelHeight * kernelWidth * channels }

    /// The shape of one input image, `[height, width, channels]`.
    public var inputShape: [Int] { [height, width, channels] }
}
