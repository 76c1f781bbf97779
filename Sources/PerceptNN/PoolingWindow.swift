import PerceptTensor

/// The geometry of a pooling layer for its input shape, or the error naming what does not fit.
func poolingGeometry(
    layer: String, inputShape: [Int], poolSize: (Int, Int), strides: (Int, Int), padding: Padding
) throws -> WindowGeometry {
    guard inputShape.count == 3 else {
        throw ModelError.incompatibleInput(layer: layer, expected: "[height, width, channels]", got: inputShape)
    }
    guard let geometry = WindowGeometry(
        height: inputShape[0], width: inputShape[1], channels: inputShape[2], kernel: poolSize, stride: strides,
        padding: padding)
    else {
        throw ModelError.incompatibleInput(
            layer: layer, expected: "an image at least \(poolSize.0)×\(poolSize.1) with \(padding) padding", got: inputShape)
    }
    return geometry
}
