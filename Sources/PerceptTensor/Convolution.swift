import CPerceptKernels
import Dispatch

/// 2-D convolution (cross-correlation) of NHWC images as patch matrices times the kernel, a few
/// images at a time.
///
/// The batch is split between the BLAS threads; each thread builds the patch matrix of a few images
/// (about 2 MB, so it stays in cache), multiplies it by the kernel with single-threaded BLAS, and
/// goes on to the next images. Nothing the size of the whole batch's patch matrix is ever held: the
/// backward pass builds the patches again, which costs one cached copy instead of a pass through
/// memory, and the threads never wait for each other inside a product.
public enum Convolution {
    /// The bytes of patch matrix a thread works on at once.
    static let chunkBytes = 2 << 20

    /// `x` `[n, h, w, cin]` convolved with `kernel` `[kh, kw, cin, cout]`, plus `bias` `[cout]`:
    /// `[n, oh, ow, cout]`.
    public static func forward(_ x: Tensor, kernel: Tensor, bias: Tensor?, geometry: WindowGeometry) -> Tensor {
        geometry.checkInput(x, "conv2D")
        let (n, outputs, rowsPerImage) = (x.shape[0], kernel.shape[3], geometry.outputHeight * geometry.outputWidth)
        return Tensor(shape: [n, geometry.outputHeight, geometry.outputWidth, outputs]) { out in
            let output = SharedPointer(address: out.baseAddress!)
            if let bias {
                bias.withUnsafeBufferPointer { b in
                    for row in 0..<(n * rowsPerImage) {
                        (output.address + row * outputs).update(from: b.baseAddress!, count: outputs)
                    }
                }
            }
            kernel.withUnsafeBufferPointer { k in
                let k = SharedPointer(address: UnsafeMutablePointer(mutating: k.baseAddress!))
                forEachChunk(of: x, geometry: geometry) { first, count, patches in
                    BLAS.sgemm(transposeA: false, transposeB: false, m: count * rowsPerImage, n: outputs,
                               k: geometry.patchSize, alpha: 1, a: patches, lda: geometry.patchSize,
                               b: k.address, ldb: outputs, beta: bias == nil ? 0 : 1,
                               c: output.address + first * rowsPerImage * outputs, ldc: outputs)
                }
            }
        }
    }

    /// The gradients of ``forward(_:kernel:bias:geometry:)`` with respect to `x` and `kernel`, given
    /// the gradient `g` `[n, oh, ow, cout]` of its result; `nil` where not asked for.
    public static func gradients(
        _ x: Tensor, kernel: Tensor, outputGradient g: Tensor, geometry: WindowGeometry,
        input needsInput: Bool, kernel needsKernel: Bool
    ) -> (input: Tensor?, kernel: Tensor?) {
        geometry.checkInput(x, "conv2D")
        let (n, outputs, patch) = (x.shape[0], kernel.shape[3], geometry.patchSize)
        let rowsPerImage = geometry.outputHeight * geometry.outputWidth
        let pieces = Swift.max(1, Swift.min(Parallel.maximumParts, n))
        // Each thread sums its images' kernel gradient; the sums are added at the end.
        let partialKernels = needsKernel ? UnsafeMutablePointer<Float>.allocate(capacity: pieces * patch * outputs) : nil
        partialKernels?.initialize(repeating: 0, count: pieces * patch * outputs)
        defer { partialKernels?.deallocate() }
        var dx = needsInput ? Tensor(zeros: x.shape) : nil
        g.withUnsafeBufferPointer { gs in
            kernel.withUnsafeBufferPointer { k in
                let gs = SharedPointer(address: UnsafeMutablePointer(mutating: gs.baseAddress!))
                let k = SharedPointer(address: UnsafeMutablePointer(mutating: k.baseAddress!))
                let partials = partialKernels.map { SharedPointer(address: $0) }
                let body = { (dxBase: SharedPointer<Float>?) in
                    forEachChunk(of: x, geometry: geometry, pieces: pieces) { first, count, patches, piece in
                        let rows = count * rowsPerImage
                        let gChunk = gs.address + first * rowsPerImage * outputs
                        if let partials {
                            BLAS.sgemm(transposeA: true, transposeB: false, m: patch, n: outputs, k: rows, alpha: 1,
                                       a: patches, lda: patch, b: gChunk, ldb: outputs, beta: 1,
                                       c: partials.address + piece * patch * outputs, ldc: outputs)
                        }
                        if let dxBase {
                            // The patch matrix is no longer needed: its gradient overwrites it.
                            BLAS.sgemm(transposeA: false, transposeB: true, m: rows, n: patch, k: outputs, alpha: 1,
                                       a: gChunk, lda: outputs, b: k.address, ldb: outputs, beta: 0,
                                       c: patches, ldc: patch)
                            let imageSize = geometry.height * geometry.width * geometry.channels
                            pk_col2im_nhwc(patches, dxBase.address + first * imageSize, 0, count, geometry.kernelGeometry)
                        }
                    }
                }
                if dx != nil {
                    dx!.withUnsafeMutableBufferPointer { body(SharedPointer(address: $0.baseAddress!)) }
                } else {
                    body(nil)
                }
            }
        }
        let dKernel = partialKernels.map { partials in
            Tensor(shape: kernel.shape) { out in
                out.baseAddress!.initialize(from: partials, count: patch * outputs)
                for piece in 1..<pieces {
                    pk_axpy(out.baseAddress!, partials + piece * patch * outputs, 1, patch * outputs)
                }
            }
        }
        return (dx, dKernel)
    }

    /// Calls `body(firstImage, imageCount, patches)` for consecutive groups of images of `x`, with
    /// `patches` their patch matrix, the batch split into parts that run in parallel.
    static func forEachChunk(
        of x: Tensor, geometry: WindowGeometry,
        _ body: (Int, Int, UnsafeMutablePointer<Float>) -> Void
    ) {
        let pieces = Swift.max(1, Swift.min(Parallel.maximumParts, x.shape[0]))
        forEachChunk(of: x, geometry: geometry, pieces: pieces) { first, count, patches, _ in body(first, count, patches) }
    }

    /// As above, split into `pieces` contiguous parts of the batch (see ``Parallel``); `body` also
    /// gets the index of its part.
    static func forEachChunk(
        of x: Tensor, geometry: WindowGeometry, pieces: Int,
        _ body: (Int, Int, UnsafeMutablePointer<Float>, Int) -> Void
    ) {
        let n = x.shape[0]
        let imageSize = geometry.height * geometry.width * geometry.channels
        let patchesPerImage = geometry.outputHeight * geometry.outputWidth * geometry.patchSize
        let chunk = Swift.max(1, Swift.min(n, chunkBytes / Swift.max(1, patchesPerImage * 4)))
        let g = geometry.kernelGeometry
        x.withUnsafeBufferPointer { source in
            let input = SharedPointer(address: UnsafeMutablePointer(mutating: source.baseAddress!))
            Parallel.forEach(pieces) { piece in
                let (start, end) = (n * piece / pieces, n * (piece + 1) / pieces)
                let patches = UnsafeMutablePointer<Float>.allocate(capacity: chunk * patchesPerImage)
                defer { patches.deallocate() }
                var first = start
                while first < end {
                    let count = Swift.min(chunk, end - first)
                    pk_im2col_nhwc(input.address + first * imageSize, patches, 0, count, g)
                    body(first, count, patches, piece)
                    first += count
                }
            }
        }
    }
}
