import PerceptAutograd
import PerceptTensor

/// A 2-D convolution over NHWC images (`[height, width, channels]` per sample, channels last as in
/// Keras): `activation(x ⋆ W + b)` with a kernel `W` of shape `[kh, kw, inputChannels, filters]`.
///
/// It is computed as image patches (im2col) times the kernel viewed as a
/// `[kh·kw·inputChannels, filters]` matrix, a few images at a time, or directly from the images
/// when channels or filters are few (see `Convolution.Method`); a ReLU is applied in the same pass.
public final class Conv2D: Layer {
    public var name = "conv2d"
    public var typeName: String { "Conv2D" }
    /// The number of output channels.
    public let filters: Int
    /// The window's height and width.
    public let kernelSize: (height: Int, width: Int)
    /// The step between windows.
    public let strides: (height: Int, width: Int)
    /// How borders are handled.
    public let padding: Padding
    /// The nonlinearity applied after the convolution.
    public let activation: Activation
    /// Whether the layer adds a bias per filter.
    public let useBias: Bool
    /// How the kernel is initialised.
    public let kernelInitializer: Initializer
    /// An optional penalty on the kernel.
    public let kernelRegularizer: Regularizer?
    /// The kernel `[kh, kw, inputChannels, filters]`, once built.
    public private(set) var kernel: Variable?
    /// The bias `[filters]`, once built (if used).
    public private(set) var bias: Variable?
    /// The window geometry, once built.
    public private(set) var geometry: WindowGeometry?

    /// Creates a convolution layer.
    ///
    /// - Parameters:
    ///   - filters: the number of output channels (≥ 1).
    ///   - kernelSize: the window side (square windows); see the other initializer for others.
    ///   - kernelInitializer: defaults to He normal for ReLU and Glorot uniform otherwise.
    public convenience init(
        _ filters: Int, kernelSize: Int, strides: Int = 1, padding: Padding = .valid, activation: Activation = .linear,
        useBias: Bool = true, kernelInitializer: Initializer? = nil, kernelRegularizer: Regularizer? = nil
    ) {
        self.init(
            filters, kernelSize: (kernelSize, kernelSize), strides: (strides, strides), padding: padding,
            activation: activation, useBias: useBias, kernelInitializer: kernelInitializer,
            kernelRegularizer: kernelRegularizer)
    }

    /// Creates a convolution layer with a rectangular window and strides.
    public init(
        _ filters: Int, kernelSize: (Int, Int), strides: (Int, Int) = (1, 1), padding: Padding = .valid,
        activation: Activation = .linear, useBias: Bool = true, kernelInitializer: Initializer? = nil,
        kernelRegularizer: Regularizer? = nil
    ) {
        precondition(filters >= 1, "Conv2D needs at least one filter, got \(filters)")
        precondition(kernelSize.0 >= 1 && kernelSize.1 >= 1, "Conv2D kernel size must be positive, got \(kernelSize)")
        precondition(strides.0 >= 1 && strides.1 >= 1, "Conv2D strides must be positive, got \(strides)")
        self.filters = filters
        self.kernelSize = (kernelSize.0, kernelSize.1)
        self.strides = (strides.0, strides.1)
        self.padding = padding
        self.activation = activation
        self.useBias = useBias
        self.kernelInitializer = kernelInitializer ?? (activation == .relu ? .heNormal : .glorotUniform)
        self.kernelRegularizer = kernelRegularizer
    }

    public func build(inputShape: [Int], generator: inout RandomGenerator) throws -> [Int] {
        let expected = "[height, width, channels] (add Reshape([h, w, 1]) for grayscale images)"
        guard inputShape.count == 3 else { throw ModelError.incompatibleInput(layer: name, expected: expected, got: inputShape) }
        guard let geometry = WindowGeometry(
            height: inputShape[0], width: inputShape[1], channels: inputShape[2],
            kernel: (kernelSize.height, kernelSize.width), stride: (strides.height, strides.width), padding: padding)
        else {
            throw ModelError.incompatibleInput(
                layer: name, expected: "an image at least \(kernelSize.height)×\(kernelSize.width) with \(padding) padding",
                got: inputShape)
        }
        let window = kernelSize.height * kernelSize.width
        kernel = Variable(
            kernelInitializer.make(
                shape: [kernelSize.height, kernelSize.width, inputShape[2], filters], fanIn: window * inputShape[2],
                fanOut: window * filters, generator: &generator),
            requiresGrad: true)
        bias = useBias ? Variable(Tensor(zeros: [filters]), requiresGrad: true) : nil
        self.geometry = geometry
        return [geometry.outputHeight, geometry.outputWidth, filters]
    }

    public func forward(_ input: Variable, context: ForwardContext) -> Variable {
        guard let kernel, let geometry else { preconditionFailure("\(name) used before build") }
        if activation == .relu { return conv2D(input, kernel: kernel, bias: bias, geometry: geometry, rectified: true) }
        return activation(conv2D(input, kernel: kernel, bias: bias, geometry: geometry))
    }

    public var parameters: [Variable] { [kernel, bias].compactMap { $0 } }

    public func regularizationPenalty() -> Variable? {
        guard let kernel, case let .l2(lambda) = kernelRegularizer, lambda > 0 else { return nil }
        return l2Penalty(kernel, strength: lambda)
    }
}
