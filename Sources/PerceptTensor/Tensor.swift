/// A dense, row-major array of `Float` values with a shape.
///
/// `Tensor` is a value type: copies share storage until one of them is mutated (copy-on-write,
/// inherited from `Array`). The last axis is contiguous in memory. A tensor of rank 0 holds one
/// scalar and has the shape `[]`.
///
/// Kernels live in extensions grouped by family: arithmetic with broadcasting
/// (`Tensor+Arithmetic.swift`), reductions (`Tensor+Reduction.swift`), matrix products through
/// BLAS (`Tensor+MatMul.swift`) and random initialisation (`Tensor+Random.swift`).
public struct Tensor: Sendable, Equatable {
    /// The extent of each axis, outermost first.
    public private(set) var shape: [Int]
    /// The elements in row-major order; `scalars.count == shape.reduce(1, *)`.
    public internal(set) var scalars: [Float]

    /// Creates a tensor from a shape and its elements in row-major order.
    ///
    /// - Precondition: `scalars.count` equals the product of `shape`, and no extent is negative.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative extent")
        precondition(
            Tensor.elementCount(of: shape) == scalars.count,
            "Tensor shape \(shape) needs \(Tensor.elementCount(of: shape)) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// Creates a tensor of the given shape with every element equal to `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: Tensor.elementCount(of: shape)))
    }

    /// Creates a tensor of zeros.
    public init(zeros shape: [Int]) {
        self.init(repeating: 0, shape: shape)
    }

    /// Creates a rank-0 tensor holding one value.
    public init(_ value: Float) {
        self.init(shape: [], scalars: [value])
    }

    /// Creates a tensor whose elements are written by `initializer`, which must set every element.
    ///
    /// This avoids zero-filling buffers that a kernel overwrites anyway.
    public init(shape: [Int], initializingWith initializer: (UnsafeMutableBufferPointer<Float>) throws -> Void)
        rethrows
    {
        let count = Tensor.elementCount(of: shape)
        let scalars = try [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            try initializer(buffer)
            initialized = count
        }
        self.init(shape: shape, scalars: scalars)
    }

    /// The number of elements.
    @inlinable public var count: Int { scalars.count }

    /// The number of axes.
    @inlinable public var rank: Int { shape.count }

    /// The only element of a tensor that holds exactly one.
    public var scalar: Float {
        precondition(count == 1, "scalar needs a tensor of one element, shape is \(shape)")
        return scalars[0]
    }

    /// The product of the extents of `shape`.
    @inlinable public static func elementCount(of shape: [Int]) -> Int {
        shape.reduce(1, *)
    }

    /// Calls `body` with a pointer to the elements.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try scalars.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with a mutable pointer to the elements (copying first if the storage is shared).
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        try scalars.withUnsafeMutableBufferPointer(body)
    }

    /// Reads or writes one element by its full multi-index.
    public subscript(_ index: Int...) -> Float {
        get { scalars[flatIndex(index)] }
        set { scalars[flatIndex(index)] = newValue }
    }

    private func flatIndex(_ index: [Int]) -> Int {
        precondition(index.count == rank, "index \(index) does not match rank \(rank) of shape \(shape)")
        var flat = 0
        for (axis, i) in index.enumerated() {
            precondition(i >= 0 && i < shape[axis], "index \(index) is out of range for shape \(shape)")
            flat = flat * shape[axis] + i
        }
        return flat
    }

    /// The same elements with another shape of equal element count; one extent may be `-1`, to be
    /// inferred.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let inferred = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != inferred }.reduce(1) { $0 * $1.element }
            precondition(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
            resolved[inferred] = count / known
        }
        precondition(
            Tensor.elementCount(of: resolved) == count, "cannot reshape \(shape) (\(count) elements) to \(newShape)")
        var copy = self
        copy.shape = resolved
        return copy
    }

    /// The rows `range` of the outermost axis, as a new tensor.
    public func rows(_ range: Range<Int>) -> Tensor {
        precondition(rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0], "rows \(range) out of \(shape)")
        let stride = count / Swift.max(shape[0], 1)
        var newShape = shape
        newShape[0] = range.count
        return Tensor(shape: newShape, scalars: Array(scalars[(range.lowerBound * stride)..<(range.upperBound * stride)]))
    }

    /// The rows at `indices` of the outermost axis, in that order (a gather).
    public func rows(at indices: some Collection<Int>) -> Tensor {
        precondition(rank >= 1, "rows(at:) needs rank ≥ 1")
        let stride = shape[0] == 0 ? 0 : count / shape[0]
        var newShape = shape
        newShape[0] = indices.count
        return scalars.withUnsafeBufferPointer { source in
            Tensor(shape: newShape) { destination in
                var offset = 0
                for index in indices {
                    precondition(index >= 0 && index < shape[0], "row \(index) out of range 0..<\(shape[0])")
                    let from = source.baseAddress! + index * stride
                    (destination.baseAddress! + offset).initialize(from: from, count: stride)
                    offset += stride
                }
            }
        }
    }

    /// Whether every element is finite (neither infinite nor NaN).
    public var isFinite: Bool {
        scalars.withUnsafeBufferPointer { buffer in
            var sum: Float = 0
            for value in buffer { sum += value * 0 }  // NaN · 0 and ±∞ · 0 are NaN
            return !sum.isNaN
        }
    }
}

extension Tensor: CustomStringConvertible {
    /// A short description: the shape and, for small tensors, the elements.
    public var description: String {
        if count <= 16 {
            return "Tensor(shape: \(shape), scalars: \(scalars))"
        }
        return "Tensor(shape: \(shape), first: \(Array(scalars.prefix(8))) …)"
    }
}
