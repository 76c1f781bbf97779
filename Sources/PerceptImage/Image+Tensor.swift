import PerceptTensor

extension Image {
    /// The image as a `[1, height, width, channels]` tensor (NHWC, the layout of the
    /// convolutional layers) with each byte `v` mapped to `v / 255`, in `[0, 1]`.
    public func tensor() -> Tensor {
        Tensor(shape: [1, height, width, channels], scalars: pixels.map { Float($0) / 255 })
    }

    /// The image of a tensor of values in `[0, 1]` (clamped, scaled by 255 and rounded): shape
    /// `[height, width]`, `[height, width, channels]` or `[1, height, width, channels]`.
    ///
    /// - Precondition: one of those shapes, with 1 to 4 channels; non-finite values are not allowed.
    public init(tensor: Tensor) {
        let shape = tensor.shape
        let dimensions: (Int, Int, Int)
        switch shape.count {
        case 2: dimensions = (shape[0], shape[1], 1)
        case 3: dimensions = (shape[0], shape[1], shape[2])
        case 4 where shape[0] == 1: dimensions = (shape[1], shape[2], shape[3])
        default: preconditionFailure("Image(tensor:) needs [h, w], [h, w, c] or [1, h, w, c], got \(shape)")
        }
        precondition(tensor.isFinite, "Image(tensor:) needs finite values")
        let bytes = tensor.scalars.map { UInt8((min(max($0, 0), 1) * 255).rounded()) }
        self.init(width: dimensions.1, height: dimensions.0, channels: dimensions.2, pixels: bytes)
    }
}

extension Tensor {
    /// The images stacked as one `[n, height, width, channels]` batch with values in `[0, 1]`
    /// (see ``Image/tensor()``).
    ///
    /// - Precondition: at least one image, all of the same size and channel count.
    public init(images: [Image]) {
        precondition(!images.isEmpty, "Tensor(images:) needs at least one image")
        let first = images[0]
        precondition(
            images.allSatisfy { $0.width == first.width && $0.height == first.height && $0.channels == first.channels },
            "Tensor(images:) needs images of one size; the first is \(first.width) × \(first.height) × \(first.channels)")
        let size = first.pixels.count
        self.init(shape: [images.count, first.height, first.width, first.channels]) { out in
            for (index, image) in images.enumerated() {
                for (offset, byte) in image.pixels.enumerated() { out[index * size + offset] = Float(byte) / 255 }
            }
        }
    }
}
