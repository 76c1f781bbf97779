import CPerceptKernels

// Elementwise arithmetic with NumPy-style broadcasting.
//
// Broadcasting rule: the two shapes are aligned at their last axis; along each aligned axis the
// extents must be equal or one of them must be 1 (a missing leading axis counts as 1). The result
// takes the larger extent on each axis, and an operand of extent 1 is repeated along it.
// Examples: [128, 10] + [10] → [128, 10]; [4, 1] * [1, 3] → [4, 3]; [2, 3] + [] → [2, 3].

/// Shape computations for broadcasting.
public enum Broadcasting {
    /// The broadcast shape of `a` and `b`, or `nil` if they are incompatible.
    public static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for axis in 0..<rank {
            let x = axis < rank - a.count ? 1 : a[axis - (rank - a.count)]
            let y = axis < rank - b.count ? 1 : b[axis - (rank - b.count)]
            if x == y || y == 1 {
                result[axis] = x
            } else if x == 1 {
                result[axis] = y
            } else {
                return nil
            }
        }
        return result
    }

    /// Element strides of `shape` seen through the broadcast shape `target` (0 along repeated axes).
    static func strides(of shape: [Int], in target: [Int]) -> [Int] {
        var strides = [Int](repeating: 0, count: target.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            let targetAxis = axis + target.count - shape.count
            strides[targetAxis] = shape[axis] == 1 ? 0 : running
            running *= shape[axis]
        }
        return strides
    }
}

extension Tensor {
    /// Applies `transform` to every element.
    @inlinable public func map(_ transform: (Float) -> Float) -> Tensor {
        withUnsafeBufferPointer { source in
            Tensor(shape: shape) { destination in
                for i in 0..<source.count { destination[i] = transform(source[i]) }
            }
        }
    }

    /// Combines `a` and `b` elementwise after broadcasting them to a common shape.
    ///
    /// - Precondition: the shapes are compatible under the broadcasting rule.
    @inlinable public static func zip(_ a: Tensor, _ b: Tensor, _ combine: (Float, Float) -> Float) -> Tensor {
        if a.shape == b.shape {
            return a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in
                    Tensor(shape: a.shape) { out in
                        for i in 0..<out.count { out[i] = combine(x[i], y[i]) }
                    }
                }
            }
        }
        guard let shape = Broadcasting.shape(a.shape, b.shape) else {
            preconditionFailure("shapes \(a.shape) and \(b.shape) cannot be broadcast together")
        }
        // Fast path: one operand repeats along leading axes only (e.g. a bias row).
        if shape == a.shape, a.shape.suffix(b.rank).elementsEqual(b.shape) {
            let inner = b.count
            return a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in
                    Tensor(shape: shape) { out in
                        var offset = 0
                        while offset < out.count {
                            for j in 0..<inner { out[offset + j] = combine(x[offset + j], y[j]) }
                            offset += inner
                        }
                    }
                }
            }
        }
        if shape == b.shape, b.shape.suffix(a.rank).elementsEqual(a.shape) {
            let inner = a.count
            return a.withUnsafeBufferPointer { x in
                b.withUnsafeBufferPointer { y in
                    Tensor(shape: shape) { out in
                        var offset = 0
                        while offset < out.count {
                            for j in 0..<inner { out[offset + j] = combine(x[j], y[offset + j]) }
                            offset += inner
                        }
                    }
                }
            }
        }
        return generalZip(a, b, shape: shape, combine)
    }

    @usableFromInline static func generalZip(
        _ a: Tensor, _ b: Tensor, shape: [Int], _ combine: (Float, Float) -> Float
    ) -> Tensor {
        let strideA = Broadcasting.strides(of: a.shape, in: shape)
        let strideB = Broadcasting.strides(of: b.shape, in: shape)
        let rank = shape.count
        return a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
                Tensor(shape: shape) { out in
                    var index = [Int](repeating: 0, count: rank)
                    var offsetA = 0
                    var offsetB = 0
                    for i in 0..<out.count {
                        out[i] = combine(x[offsetA], y[offsetB])
                        var axis = rank - 1
                        while axis >= 0 {
                            index[axis] += 1
                            offsetA += strideA[axis]
                            offsetB += strideB[axis]
                            if index[axis] < shape[axis] { break }
                            offsetA -= strideA[axis] * shape[axis]
                            offsetB -= strideB[axis] * shape[axis]
                            index[axis] = 0
                            axis -= 1
                        }
                    }
                }
            }
        }
    }

    /// Elementwise sum with broadcasting.
    public static func + (a: Tensor, b: Tensor) -> Tensor { zip(a, b, +) }
    /// Elementwise difference with broadcasting.
    public static func - (a: Tensor, b: Tensor) -> Tensor { zip(a, b, -) }
    /// Elementwise product with broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor { zip(a, b, *) }
    /// Elementwise quotient with broadcasting.
    public static func / (a: Tensor, b: Tensor) -> Tensor { zip(a, b, /) }
    /// Adds a scalar to every element.
    public static func + (a: Tensor, b: Float) -> Tensor { a.map { $0 + b } }
    /// Multiplies every element by a scalar.
    public static func * (a: Tensor, b: Float) -> Tensor { a.map { $0 * b } }
    /// Multiplies every element by a scalar.
    public static func * (a: Float, b: Tensor) -> Tensor { b.map { a * $0 } }
    /// Negates every element.
    public static prefix func - (a: Tensor) -> Tensor { a.map { -$0 } }

    /// Adds `other` (of the same shape) into `self`, scaled by `alpha`: `self += alpha · other`.
    public mutating func addScaled(_ other: Tensor, alpha: Float = 1) {
        precondition(shape == other.shape, "addScaled: shape \(other.shape) does not match \(shape)")
        other.withUnsafeBufferPointer { source in
            withUnsafeMutableBufferPointer { destination in
                pk_axpy(destination.baseAddress, source.baseAddress, alpha, destination.count)
            }
        }
    }

    /// Multiplies every element by `factor` in place.
    public mutating func scale(by factor: Float) {
        withUnsafeMutableBufferPointer { buffer in
            for i in 0..<buffer.count { buffer[i] *= factor }
        }
    }

    /// Sums `self` down to `target`, undoing a broadcast from `target` to `self.shape`.
    ///
    /// Used by backward rules: the gradient of a broadcast operand is the sum of the output
    /// gradient over the axes along which it was repeated.
    public func summed(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        precondition(
            Broadcasting.shape(shape, target) == shape, "cannot sum shape \(shape) down to \(target)")
        let inner = Tensor.elementCount(of: target)
        // Fast path: `target` is a suffix of `shape` (a row broadcast along leading axes).
        if shape.suffix(target.count).elementsEqual(target) {
            return withUnsafeBufferPointer { source in
                Tensor(shape: target) { out in
                    out.initialize(repeating: 0)
                    var offset = 0
                    while offset < source.count {
                        for j in 0..<inner { out[j] += source[offset + j] }
                        offset += inner
                    }
                }
            }
        }
        let strides = Broadcasting.strides(of: target, in: shape)
        let rank = shape.count
        return withUnsafeBufferPointer { source in
            Tensor(shape: target) { out in
                out.initialize(repeating: 0)
                var index = [Int](repeating: 0, count: rank)
                var offset = 0
                for i in 0..<source.count {
                    out[offset] += source[i]
                    var axis = rank - 1
                    while axis >= 0 {
                        index[axis] += 1
                        offset += strides[axis]
                        if index[axis] < shape[axis] { break }
                        offset -= strides[axis] * shape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
    }
}
