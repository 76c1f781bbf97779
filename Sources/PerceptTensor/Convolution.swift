import CPerceptKernels

/// 2-D convolution (cross-correlation) of NHWC images, by one of two ``Method``s: patch matrices
/// times the kernel, a few images at a time, or directly (few channels and filters).
///
/// With patches, the batch is split into parts (see ``Parallel``); each part builds the patch matrix of a few
/// images at a time (about 2 MB, so it stays in cache), multiplies it by the kernel on one thread,
/// and goes on to the next images, so the threads never wait for each other inside a product. A
/// small batch's patch matrix (up to 16 MB) is kept from the forward pass for the backward one; a
/// larger one is built again, chunk by chunk, in the backward pass — one cached copy instead of
/// holding the whole matrix and reading it back from memory.
public enum Convolution {
    /// The bytes of patch matrix a thread works on at once.
    static let chunkBytes = 2 << 20
    /// The largest patch matrix of a whole batch that the forward pass keeps for the backward one.
    static let keptBytes = 16 << 20

    /// The patch matrix of a whole batch, kept by the forward pass for the backward pass.
    public final class Patches: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<Float>

        init(count: Int) { pointer = .allocate(capacity: count) }

        deinit { pointer.deallocate() }
    }

    /// `x` `[n, h, w, cin]` convolved with `kernel` `[kh, kw, cin, cout]`, plus `bias` `[cout]`:
    /// `[n, oh, ow, cout]`, and the patch matrix when it is small enough to keep for
    /// ``gradients(_:kernel:outputGradient:geometry:input:kernel:bias:patches:method:)``.
    ///
    /// - Parameters:
    ///   - rectified: whether ReLU follows, `max(·, 0)`, applied while the output is in cache.
    ///   - method: how to compute it; by default ``Method/preferred(for:outputs:)``. The gradients
    ///     must be asked for with the same method. `.direct` falls back to patches on a CPU without
    ///     the instructions the direct kernels are compiled for.
    public static func forward(
        _ x: Tensor, kernel: Tensor, bias: Tensor?, geometry: WindowGeometry, rectified: Bool = false, method: Method? = nil
    ) -> (output: Tensor, patches: Patches?) {
        geometry.checkInput(x, "conv2D")
        let (n, outputs, rowsPerImage) = (x.shape[0], kernel.shape[3], geometry.outputHeight * geometry.outputWidth)
        if Method.resolved(method, geometry: geometry, outputs: outputs) == .direct {
            return (directForward(x, kernel: kernel, bias: bias, geometry: geometry, rectified: rectified), nil)
        }
        let patchCount = n * rowsPerImage * geometry.patchSize
        let kept = patchCount * 4 <= keptBytes ? Patches(count: patchCount) : nil
        let output = Tensor(shape: [n, geometry.outputHeight, geometry.outputWidth, outputs]) { out in
            let output = SharedPointer(address: out.baseAddress!)
            if let bias { bias.withUnsafeBufferPointer { fillRows(output.address, rows: n * rowsPerImage, with: $0) } }
            kernel.withUnsafeBufferPointer { k in
                let k = SharedPointer(address: UnsafeMutablePointer(mutating: k.baseAddress!))
                forEachChunk(of: x, geometry: geometry, kept: kept, filling: true) { first, count, patches, _, _ in
                    BLAS.sgemm(transposeA: false, transposeB: false, m: count * rowsPerImage, n: outputs,
                               k: geometry.patchSize, alpha: 1, a: patches, lda: geometry.patchSize,
                               b: k.address, ldb: outputs, beta: bias == nil ? 0 : 1,
                               c: output.address + first * rowsPerImage * outputs, ldc: outputs)
                    if rectified {
                        let chunk = output.address + first * rowsPerImage * outputs
                        pk_relu(chunk, chunk, count * rowsPerImage * outputs)
                    }
                }
            }
        }
        return (output, kept)
    }

    /// The gradients of ``forward(_:kernel:bias:geometry:rectified:method:)`` with respect to `x`,
    /// `kernel` and the bias, given the gradient `g` `[n, oh, ow, cout]` of its result and the
    /// patches it kept, if any; `nil` where not asked for. For a rectified forward pass, pass its
    /// output as `rectifiedOutput`: `g` then counts only where that output is positive.
    public static func gradients(
        _ x: Tensor, kernel: Tensor, outputGradient g: Tensor, geometry: WindowGeometry,
        input needsInput: Bool, kernel needsKernel: Bool, bias needsBias: Bool = false, patches kept: Patches? = nil,
        rectifiedOutput: Tensor? = nil, method: Method? = nil
    ) -> (input: Tensor?, kernel: Tensor?, bias: Tensor?) {
        geometry.checkInput(x, "conv2D")
        let (n, outputs, patch) = (x.shape[0], kernel.shape[3], geometry.patchSize)
        let outputShape = [n, geometry.outputHeight, geometry.outputWidth, outputs]
        precondition(g.shape == outputShape && (rectifiedOutput?.shape ?? outputShape) == outputShape,
                     "conv2D gradient: output gradient \(g.shape) does not match the output of \(x.shape)")
        if Method.resolved(method, geometry: geometry, outputs: outputs) == .direct {
            return directGradients(x, kernel: kernel, outputGradient: g, rectifiedOutput: rectifiedOutput,
                                   geometry: geometry, input: needsInput, kernel: needsKernel, bias: needsBias)
        }
        let g = rectifiedOutput.map { Tensor.rectifiedGradient(g, output: $0) } ?? g
        let rowsPerImage = geometry.outputHeight * geometry.outputWidth
        let imageSize = geometry.height * geometry.width * geometry.channels
        let pieces = parts(n)
        // Each part sums its images' kernel gradient; the sums are added at the end, in order.
        let partialKernels = needsKernel ? UnsafeMutablePointer<Float>.allocate(capacity: pieces * patch * outputs) : nil
        partialKernels?.initialize(repeating: 0, count: pieces * patch * outputs)
        defer { partialKernels?.deallocate() }
        let dx = g.withUnsafeBufferPointer { gs in
            kernel.withUnsafeBufferPointer { k in
                let gs = SharedPointer(address: UnsafeMutablePointer(mutating: gs.baseAddress!))
                let k = SharedPointer(address: UnsafeMutablePointer(mutating: k.baseAddress!))
                let partials = partialKernels.map { SharedPointer(address: $0) }
                return withInputGradient(needsInput, shape: x.shape) { dx in
                    let dxBase = dx.map { SharedPointer(address: $0) }
                    forEachChunk(of: x, geometry: geometry, kept: kept, filling: false) { first, count, patches, scratch, piece in
                        let rows = count * rowsPerImage
                        let gChunk = gs.address + first * rowsPerImage * outputs
                        if let partials {
                            BLAS.sgemm(transposeA: true, transposeB: false, m: patch, n: outputs, k: rows, alpha: 1,
                                       a: patches, lda: patch, b: gChunk, ldb: outputs, beta: 1,
                                       c: partials.address + piece * patch * outputs, ldc: outputs)
                        }
                        if let dxBase {
                            // The gradient of the patches goes to the scratch buffer (which may be
                            // where the patches were built: they are no longer needed).
                            BLAS.sgemm(transposeA: false, transposeB: true, m: rows, n: patch, k: outputs, alpha: 1,
                                       a: gChunk, lda: outputs, b: k.address, ldb: outputs, beta: 0,
                                       c: scratch, ldc: patch)
                            pk_col2im_nhwc(scratch, dxBase.address + first * imageSize, 0, count, geometry.kernelGeometry)
                        }
                    }
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
        let dBias = needsBias ? g.reshaped([n * rowsPerImage, outputs]).columnSums() : nil
        return (dx, dKernel, dBias)
    }

    /// The number of parts a batch of `n` images is split into.
    static func parts(_ n: Int) -> Int { Swift.max(1, Swift.min(Parallel.maximumParts, n)) }

    /// Runs `body` with the elements of a new input gradient of `shape`, which it must write
    /// entirely (col2im and the direct kernels write every element of their images), and returns
    /// that gradient; without one when not `needed`.
    static func withInputGradient(_ needed: Bool, shape: [Int], _ body: (UnsafeMutablePointer<Float>?) -> Void) -> Tensor? {
        guard needed else {
            body(nil)
            return nil
        }
        return Tensor(shape: shape) { body($0.baseAddress!) }
    }

    /// Calls `body(firstImage, imageCount, patches, scratch, part)` for consecutive groups of images
    /// of `x`, the batch split into parts that run in parallel. `patches` is the group's patch
    /// matrix: inside `kept` if given (built there when `filling`), in `scratch` otherwise;
    /// `scratch` holds a group's patch matrix and is the part's own.
    private static func forEachChunk(
        of x: Tensor, geometry: WindowGeometry, kept: Patches?, filling: Bool,
        _ body: (Int, Int, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
    ) {
        let n = x.shape[0]
        let pieces = parts(n)
        let imageSize = geometry.height * geometry.width * geometry.channels
        let patchesPerImage = geometry.outputHeight * geometry.outputWidth * geometry.patchSize
        let chunk = Swift.max(1, Swift.min(n, chunkBytes / Swift.max(1, patchesPerImage * 4)))
        let g = geometry.kernelGeometry
        x.withUnsafeBufferPointer { source in
            let input = source.baseAddress!
            Parallel.forEach(pieces) { piece in
                let (start, end) = (n * piece / pieces, n * (piece + 1) / pieces)
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: chunk * patchesPerImage)
                defer { scratch.deallocate() }
                var first = start
                while first < end {
                    let count = Swift.min(chunk, end - first)
                    let patches = kept.map { $0.pointer + first * patchesPerImage } ?? scratch
                    if kept == nil || filling { pk_im2col_nhwc(input + first * imageSize, patches, 0, count, g) }
                    body(first, count, patches, scratch, piece)
                    first += count
                }
            }
        }
    }

    /// Writes `values` into each of `rows` consecutive rows at `destination`, doubling the filled
    /// part with each copy.
    private static func fillRows(_ destination: UnsafeMutablePointer<Float>, rows: Int, with values: UnsafeBufferPointer<Float>) {
        guard rows > 0 else { return }
        let width = values.count
        destination.update(from: values.baseAddress!, count: width)
        var filled = 1
        while filled < rows {
            let copy = Swift.min(filled, rows - filled)
            (destination + filled * width).update(from: destination, count: copy * width)
            filled += copy
        }
    }
}
