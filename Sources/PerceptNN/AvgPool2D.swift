import PerceptAutograd
import PerceptTensor

/// Average pooling over NHWC images, per channel (Keras's `AveragePooling2D`). The gradient of
/// each output is spread evenly over the window cells it averaged (1 / N² for N × N windows).
public final class AvgPool2D: Layer {
    public var name = "average_pooling2d"
    public var typeName: String { "AveragePooling2D" }
    /// The window's height and width.
    public let poolSize: (height: Int, width: Int)
    /// The step between windows (by default the pool size: windows do not overlap).
    public let strides: (height: Int, width: Int)
    /// How borders are handled (`valid` drops the cells that do not fill a window).
    public let padding: Padding
    private var geometry: WindowGeometry?

    /// Creates a average-pooling layer with square windows of side `poolSize`.
    public convenience init(_ poolSize: Int = 2, strides: Int? = nil, padding: Padding = .valid) {
        self.init(poolSize: (poolSize, poolSize), strides: strides.map { ($0, $0) }, padding: padding)
    }

    /// Creates a average-pooling layer with rectangular windows.
    public init(poolSize: (Int, Int), strides: (Int, Int)? = nil, padding: Padding = .valid) {
        precondition(poolSize.0 >= 1 && poolSize.1 >= 1, "AvgPool2D pool size must be positive, got \(poolSize)")
        let strides = strides ?? poolSize
        precondition(strides.0 >= 1 && strides.1 >= 1, "AvgPool2D strides must be positive, got \(strides)")
        self.poolSize = (poolSize.0, poolSize.1)
        self.strides = (strides.0, strides.1)
        self.padding = padding
    }

    public func build(inputShape: [Int], generator: inout RandomGenerator) throws -> [Int] {
        let geometry = try poolingGeometry(
            layer: name, inputShape: inputShape, poolSize: (poolSize.height, poolSize.width),
            strides: (strides.height, strides.width), padding: padding)
        self.geometry = geometry
        return [geometry.outputHeight, geometry.outputWidth, geometry.channels]
    }

    public func forward(_ input: Variable, context: ForwardContext) -> Variable {
        guard let geometry else { preconditionFailure("\(name) used before build") }
        return avgPool2D(input, geometry: geometry)
    }
}
