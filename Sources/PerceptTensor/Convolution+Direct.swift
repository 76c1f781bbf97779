import CPerceptKernels

// Direct convolution (Sources/CPerceptKernels/convolution_kernels.c): each window is read where it
// lies in the image and multiplied by the kernel in registers, eight filters per vector. With few
// channels and filters (LeNet-5's 1 → 6 and 6 → 16), a patch matrix costs more to build than its
// product, and OpenBLAS spends more time packing such thin matrices than multiplying them.

extension Convolution {
    /// How the windows of a convolution are multiplied by its kernel.
    public enum Method: Sendable, CaseIterable {
        /// A patch matrix (im2col) of a few images at a time, times the kernel through BLAS.
        case patches
        /// The windows multiplied in place, without a patch matrix.
        case direct

        /// The method for `outputs` filters over windows of `geometry` on this CPU: direct for up
        /// to 8 input channels or up to 48 filters where the CPU has the vector instructions it is
        /// written for, patches otherwise (`percept bench convolution` times both on the zoo's layers
        /// and others: direct is up to 6× faster on such layers; with 64 filters or more and more
        /// than 8 channels, patches are as fast or faster).
        public static func preferred(for geometry: WindowGeometry, outputs: Int) -> Method {
            guard directAvailable else { return .patches }
            return geometry.channels <= 8 || outputs <= 48 ? .direct : .patches
        }

        /// Whether the direct kernels can run on this CPU.
        static let directAvailable = pk_conv_direct_available() != 0

        /// The method asked for, or the preferred one; patches where direct cannot run.
        static func resolved(_ method: Method?, geometry: WindowGeometry, outputs: Int) -> Method {
            directAvailable ? method ?? preferred(for: geometry, outputs: outputs) : .patches
        }
    }

    static func directForward(_ x: Tensor, kernel: Tensor, bias: Tensor?, geometry: WindowGeometry, rectified: Bool) -> Tensor {
        let (n, outputs) = (x.shape[0], kernel.shape[3])
        let (g, cout) = (geometry.kernelGeometry, Int32(outputs))
        let paddedOutputs = Int(pk_conv_direct_padded_outputs(cout))
        var packed = [Float](repeating: 0, count: geometry.patchSize * paddedOutputs)
        var packedBias = [Float](repeating: 0, count: paddedOutputs)
        kernel.withUnsafeBufferPointer { k in
            if let bias {
                bias.withUnsafeBufferPointer { pk_conv_direct_pack(k.baseAddress!, $0.baseAddress!, &packed, &packedBias, g, cout) }
            } else {
                pk_conv_direct_pack(k.baseAddress!, nil, &packed, &packedBias, g, cout)
            }
        }
        return x.withUnsafeBufferPointer { source in
            let input = SharedPointer(address: UnsafeMutablePointer(mutating: source.baseAddress!))
            return Tensor(shape: [n, geometry.outputHeight, geometry.outputWidth, outputs]) { out in
                let output = SharedPointer(address: out.baseAddress!)
                packed.withUnsafeBufferPointer { k in
                    packedBias.withUnsafeBufferPointer { b in
                        let (k, b) = (SharedPointer(address: UnsafeMutablePointer(mutating: k.baseAddress!)),
                                      SharedPointer(address: UnsafeMutablePointer(mutating: b.baseAddress!)))
                        parallelRanges(n) { first, end in
                            withScratch(geometry, outputs) { scratch in
                                pk_conv_direct_forward(input.address, k.address, b.address, rectified ? 1 : 0,
                                                       output.address, scratch, first, end, g, cout)
                            }
                        }
                    }
                }
            }
        }
    }

    static func directGradients(
        _ x: Tensor, kernel: Tensor, outputGradient: Tensor, rectifiedOutput: Tensor?, geometry: WindowGeometry,
        input needsInput: Bool, kernel needsKernel: Bool, bias needsBias: Bool
    ) -> (input: Tensor?, kernel: Tensor?, bias: Tensor?) {
        let (n, outputs, patch) = (x.shape[0], kernel.shape[3], geometry.patchSize)
        let (g, cout) = (geometry.kernelGeometry, Int32(outputs))
        let paddedOutputs = Int(pk_conv_direct_padded_outputs(cout))
        // Each part sums its images' kernel and bias gradients, [patch + 1, paddedOutputs]; the sums
        // are added at the end, in order.
        let partSize = (patch + 1) * paddedOutputs
        let pieces = parts(n)
        var partials = [Float](repeating: 0, count: needsKernel || needsBias ? pieces * partSize : 0)
        var transposed = [Float](repeating: 0, count: needsInput ? Int(pk_conv_direct_transposed_floats(g, cout)) : 0)
        if needsInput {
            kernel.withUnsafeBufferPointer { pk_conv_direct_pack_transposed($0.baseAddress!, &transposed, g, cout) }
        }
        let dx = x.withUnsafeBufferPointer { xs in
            outputGradient.withUnsafeBufferPointer { dy in
                withOptionalPointer(rectifiedOutput) { y in
                    transposed.withUnsafeBufferPointer { wt in
                        partials.withUnsafeMutableBufferPointer { sums in
                            let pointers = SharedPointers(x: xs.baseAddress!, dy: dy.baseAddress!, y: y,
                                                          transposed: wt.baseAddress, sums: sums.baseAddress)
                            return withInputGradient(needsInput, shape: x.shape) { dx in
                                let dx = dx.map { SharedPointer(address: $0) }
                                Parallel.forEach(pieces) { piece in
                                    let p = pointers
                                    let sum = p.sums.map { $0 + piece * partSize }
                                    withScratch(geometry, outputs) { scratch in
                                        pk_conv_direct_backward(
                                            p.x, p.dy, p.y, p.transposed, needsKernel ? sum : nil,
                                            needsBias ? sum! + patch * paddedOutputs : nil, dx?.address, scratch,
                                            n * piece / pieces, n * (piece + 1) / pieces, g, cout)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        guard needsKernel || needsBias else { return (dx, nil, nil) }
        partials.withUnsafeMutableBufferPointer { all in
            for piece in 1..<pieces { pk_axpy(all.baseAddress!, all.baseAddress! + piece * partSize, 1, partSize) }
        }
        return partials.withUnsafeBufferPointer { total in
            let dKernel = needsKernel ? Tensor(shape: kernel.shape) { out in
                pk_conv_direct_unpack(total.baseAddress!, out.baseAddress!, patch, cout)
            } : nil
            let dBias = needsBias ? Tensor(shape: [outputs]) { out in
                pk_conv_direct_unpack(total.baseAddress! + patch * paddedOutputs, out.baseAddress!, 1, cout)
            } : nil
            return (dx, dKernel, dBias)
        }
    }

    /// Runs `body` with the address of `tensor`'s elements, or `nil` without a tensor.
    private static func withOptionalPointer<R>(_ tensor: Tensor?, _ body: (UnsafePointer<Float>?) -> R) -> R {
        guard let tensor else { return body(nil) }
        return tensor.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// Runs `body` with the scratch memory the direct kernels need for one image.
    private static func withScratch(_ geometry: WindowGeometry, _ outputs: Int, _ body: (UnsafeMutablePointer<Float>) -> Void) {
        let count = pk_conv_direct_scratch_floats(geometry.kernelGeometry, Int32(outputs))
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer { scratch.deallocate() }
        body(scratch)
    }
}

/// The buffers of one backward pass, shared by its parts, which write disjoint parts of them.
private struct SharedPointers: @unchecked Sendable {
    let x: UnsafePointer<Float>
    let dy: UnsafePointer<Float>
    let y: UnsafePointer<Float>?
    let transposed: UnsafePointer<Float>?
    let sums: UnsafeMutablePointer<Float>?
}
