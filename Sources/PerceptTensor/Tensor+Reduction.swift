import CPerceptKernels

// Reductions: sums, means, maxima and arg-maxima, over all elements or along one axis.

extension Tensor {
    /// The sum of all elements, accumulated in `Double`.
    public func sum() -> Float {
        withUnsafeBufferPointer { buffer in
            var total: Double = 0
            for value in buffer { total += Double(value) }
            return Float(total)
        }
    }

    /// The mean of all elements.
    public func mean() -> Float {
        count == 0 ? .nan : sum() / Float(count)
    }

    /// The sum of squares of all elements, accumulated in `Double`.
    public func squaredNorm() -> Double {
        withUnsafeBufferPointer { buffer in pk_sum_squares(buffer.baseAddress, buffer.count) }
    }

    /// Splits the shape around `axis` into (outer, extent, inner) element counts.
    func axisSplit(_ axis: Int) -> (outer: Int, extent: Int, inner: Int) {
        let axis = axis < 0 ? axis + rank : axis
        precondition(axis >= 0 && axis < rank, "axis \(axis) out of range for shape \(shape)")
        let outer = shape[..<axis].reduce(1, *)
        let inner = shape[(axis + 1)...].reduce(1, *)
        return (outer, shape[axis], inner)
    }

    /// Sums along `axis` (negative counts from the end); the axis is removed unless `keepingAxis`.
    public func sum(alongAxis axis: Int, keepingAxis: Bool = false) -> Tensor {
        let (outer, extent, inner) = axisSplit(axis)
        let normalized = axis < 0 ? axis + rank : axis
        var newShape = shape
        if keepingAxis { newShape[normalized] = 1 } else { newShape.remove(at: normalized) }
        return withUnsafeBufferPointer { source in
            Tensor(shape: newShape) { out in
                out.initialize(repeating: 0)
                for o in 0..<outer {
                    for e in 0..<extent {
                        let base = (o * extent + e) * inner
                        for i in 0..<inner { out[o * inner + i] += source[base + i] }
                    }
                }
            }
        }
    }

    /// Means along `axis`; the axis is removed unless `keepingAxis`.
    public func mean(alongAxis axis: Int, keepingAxis: Bool = false) -> Tensor {
        let extent = axisSplit(axis).extent
        return sum(alongAxis: axis, keepingAxis: keepingAxis) * (1 / Float(extent))
    }

    /// Maxima along `axis`; the axis is removed unless `keepingAxis`.
    public func max(alongAxis axis: Int, keepingAxis: Bool = false) -> Tensor {
        let (outer, extent, inner) = axisSplit(axis)
        precondition(extent > 0, "max along an empty axis")
        let normalized = axis < 0 ? axis + rank : axis
        var newShape = shape
        if keepingAxis { newShape[normalized] = 1 } else { newShape.remove(at: normalized) }
        return withUnsafeBufferPointer { source in
            Tensor(shape: newShape) { out in
                for o in 0..<outer {
                    for i in 0..<inner {
                        var best = source[o * extent * inner + i]
                        for e in 1..<Swift.max(extent, 1) { best = Swift.max(best, source[(o * extent + e) * inner + i]) }
                        out[o * inner + i] = best
                    }
                }
            }
        }
    }

    /// For a matrix `[rows, columns]`, the column index of the largest element in each row (the
    /// first one on ties).
    public func argmaxRows() -> [Int] {
        precondition(rank == 2, "argmaxRows needs a matrix, shape is \(shape)")
        let columns = shape[1]
        return withUnsafeBufferPointer { source in
            (0..<shape[0]).map { row in
                var best = 0
                var bestValue = source[row * columns]
                for column in 1..<Swift.max(columns, 1) where source[row * columns + column] > bestValue {
                    best = column
                    bestValue = source[row * columns + column]
                }
                return best
            }
        }
    }
}
