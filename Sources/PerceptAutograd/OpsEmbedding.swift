import PerceptTensor

// Backward rule of the embedding lookup. Token indices travel as a constant Float tensor (exact
// for integers below 2²⁴); they receive no gradient.
//
//   op                        forward                        ∂/∂table
//   embedding(ids, table)     out[..., :] = table[ids[...]]  row k gets Σ of g over positions with id k

/// Looks up one row of `table` `[vocabulary, dimensions]` per index of `indices` (any shape, whole
/// numbers stored as Float), giving `indices.shape + [dimensions]`.
///
/// - Precondition: every index is a whole number in `0..<vocabulary`.
public func embedding(_ indices: Tensor, table: Variable) -> Variable {
    precondition(table.value.rank == 2, "embedding needs a table [vocabulary, dimensions], got \(table.shape)")
    let (vocabulary, dimensions) = (table.shape[0], table.shape[1])
    let ids = wordIndices(indices, vocabulary: vocabulary, operation: "embedding")
    let value = table.value.withUnsafeBufferPointer { rows in
        Tensor(shape: indices.shape + [dimensions]) { out in
            for (position, id) in ids.enumerated() {
                (out.baseAddress! + position * dimensions).initialize(from: rows.baseAddress! + id * dimensions, count: dimensions)
            }
        }
    }
    return record("embedding", value, inputs: [table]) { g, _ in
        var gradient = Tensor(zeros: [vocabulary, dimensions])
        gradient.withUnsafeMutableBufferPointer { out in
            g.withUnsafeBufferPointer { gs in
                for (position, id) in ids.enumerated() {
                    let row = out.baseAddress! + id * dimensions
                    let source = gs.baseAddress! + position * dimensions
                    for j in 0..<dimensions { row[j] += source[j] }
                }
            }
        }
        return [gradient]
    }
}

/// The indices of `indices` as integers, each checked to be a whole number in `0..<vocabulary`.
func wordIndices(_ indices: Tensor, vocabulary: Int, operation: String) -> [Int] {
    indices.scalars.map { value in
        let id = Int(exactly: value) ?? -1
        precondition(id >= 0 && id < vocabulary, "\(operation): index \(value) is not a whole number in 0..<\(vocabulary)")
        return id
    }
}
