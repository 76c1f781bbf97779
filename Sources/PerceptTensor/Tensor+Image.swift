import CPerceptKernels

// Sliding-window kernels on batches of NHWC images (`[n, height, width, channels]`), in C
// (`Sources/CPerceptKernels/image_kernels.c`). Each splits the batch between threads: the copies
// are bound by memory bandwidth, and each core brings its own caches.

extension WindowGeometry {
    var kernelGeometry: pk_window {
        pk_window(
            h: Int32(height), w: Int32(width), c: Int32(channels), kh: Int32(kernelHeight), kw: Int32(kernelWidth),
            sh: Int32(strideY), sw: Int32(strideX), pt: Int32(padTop), pl: Int32(padLeft),
            oh: Int32(outputHeight), ow: Int32(outputWidth))
    }

    func checkInput(_ x: Tensor, _ operation: String) {
        precondition(
            x.rank == 4 && Array(x.shape.dropFirst()) == inputShape,
            "\(operation) expects [n, \(height), \(width), \(channels)], got \(x.shape)")
    }
}

/// A pointer that may cross into the threads of one parallel loop, which write disjoint parts.
struct SharedPointer<Pointee>: @unchecked Sendable {
    let address: UnsafeMutablePointer<Pointee>
}

/// Runs `body(first, end)` over `0..<count` split into contiguous ranges, one per part (see
/// ``Parallel``).
func parallelRanges(_ count: Int, minimumPerThread: Int = 1, _ body: (Int, Int) -> Void) {
    let parts = Swift.min(Parallel.maximumParts, Swift.max(count / Swift.max(minimumPerThread, 1), 1))
    Parallel.forEach(parts) { part in body(count * part / parts, count * (part + 1) / parts) }
}

extension Tensor {
    /// The patch matrix of a batch of images: row `(i·oh + y)·ow + x` holds the window at output
    /// position `(y, x)` of image `i`, ordered (row, column, channel), zeros outside the image.
    /// Its shape is `[n·oh·ow, kh·kw·c]`.
    public static func patches(of x: Tensor, geometry: WindowGeometry) -> Tensor {
        geometry.checkInput(x, "patches")
        let n = x.shape[0]
        let g = geometry.kernelGeometry
        return x.withUnsafeBufferPointer { source in
            let input = SharedPointer(address: UnsafeMutablePointer(mutating: source.baseAddress!))
            return Tensor(shape: [n * geometry.outputHeight * geometry.outputWidth, geometry.patchSize]) { out in
                let output = SharedPointer(address: out.baseAddress!)
                parallelRanges(n) { first, end in pk_im2col_nhwc(input.address, output.address, first, end, g) }
            }
        }
    }

    /// The adjoint of ``patches(of:geometry:)``: every patch cell added back to the image cell it
    /// came from, giving `[n, height, width, channels]`.
    public static func foldingPatches(_ cols: Tensor, geometry: WindowGeometry, batchSize n: Int) -> Tensor {
        precondition(
            cols.shape == [n * geometry.outputHeight * geometry.outputWidth, geometry.patchSize],
            "foldingPatches: patch matrix \(cols.shape) does not match the geometry for \(n) images")
        let g = geometry.kernelGeometry
        return cols.withUnsafeBufferPointer { source in
            let input = SharedPointer(address: UnsafeMutablePointer(mutating: source.baseAddress!))
            return Tensor(shape: [n] + geometry.inputShape) { out in
                let output = SharedPointer(address: out.baseAddress!)
                parallelRanges(n) { first, end in pk_col2im_nhwc(input.address, output.address, first, end, g) }
            }
        }
    }

    /// Max pooling of NHWC images per channel, with the flat offset of each winner within its
    /// image (for the backward pass).
    public static func maxPooled(_ x: Tensor, geometry: WindowGeometry) -> (values: Tensor, winners: [Int32]) {
        geometry.checkInput(x, "maxPool2D")
        let n = x.shape[0]
        let outputShape = [n, geometry.outputHeight, geometry.outputWidth, geometry.channels]
        let count = Tensor.elementCount(of: outputShape)
        let g = geometry.kernelGeometry
        var winners = [Int32](repeating: 0, count: count)
        let values = x.withUnsafeBufferPointer { source in
            let input = SharedPointer(address: UnsafeMutablePointer(mutating: source.baseAddress!))
            return winners.withUnsafeMutableBufferPointer { arg in
                let argument = SharedPointer(address: arg.baseAddress!)
                return Tensor(shape: outputShape) { out in
                    let output = SharedPointer(address: out.baseAddress!)
                    parallelRanges(n) { first, end in
                        pk_maxpool_nhwc(input.address, output.address, argument.address, first, end, g)
                    }
                }
            }
        }
        return (values, winners)
    }

    /// The gradient of max pooling: each output gradient goes to its window's winner.
    public static func maxPoolGradient(_ gradient: Tensor, winners: [Int32], geometry: WindowGeometry) -> Tensor {
        let n = gradient.shape[0]
        precondition(gradient.count == winners.count, "maxPoolGradient: \(gradient.count) gradients, \(winners.count) winners")
        let g = geometry.kernelGeometry
        return gradient.withUnsafeBufferPointer { dy in
            let upstream = SharedPointer(address: UnsafeMutablePointer(mutating: dy.baseAddress!))
            return winners.withUnsafeBufferPointer { arg in
                let argument = SharedPointer(address: UnsafeMutablePointer(mutating: arg.baseAddress!))
                return Tensor(shape: [n] + geometry.inputShape) { out in
                    let output = SharedPointer(address: out.baseAddress!)
                    parallelRanges(n) { first, end in
                        pk_maxpool_backward_nhwc(upstream.address, argument.address, output.address, first, end, g)
                    }
                }
            }
        }
    }

    /// Average pooling of NHWC images per channel, over the window cells inside the image.
    public static func averagePooled(_ x: Tensor, geometry: WindowGeometry) -> Tensor {
        geometry.checkInput(x, "avgPool2D")
        let n = x.shape[0]
        let g = geometry.kernelGeometry
        return x.withUnsafeBufferPointer { source in
            let input = SharedPointer(address: UnsafeMutablePointer(mutating: source.baseAddress!))
            return Tensor(shape: [n, geometry.outputHeight, geometry.outputWidth, geometry.channels]) { out in
                let output = SharedPointer(address: out.baseAddress!)
                parallelRanges(n) { first, end in pk_avgpool_nhwc(input.address, output.address, first, end, g) }
            }
        }
    }

    /// The gradient of average pooling: each output gradient spread evenly over its window.
    public static func averagePoolGradient(_ gradient: Tensor, geometry: WindowGeometry) -> Tensor {
        let n = gradient.shape[0]
        let g = geometry.kernelGeometry
        return gradient.withUnsafeBufferPointer { dy in
            let upstream = SharedPointer(address: UnsafeMutablePointer(mutating: dy.baseAddress!))
            return Tensor(shape: [n] + geometry.inputShape) { out in
                let output = SharedPointer(address: out.baseAddress!)
                parallelRanges(n) { first, end in pk_avgpool_backward_nhwc(upstream.address, output.address, first, end, g) }
            }
        }
    }
}
