import PerceptTensor

/// Rows of the signed kernel matrix Q[i, t] = yᵢ y_t k(xᵢ, x_t) of one SVM problem, computed on
/// demand and kept in a least-recently-used cache of bounded size.
///
/// A missing row is computed together with up to `blockRows − 1` others the solver is likely to
/// ask for next (the most violating samples not yet cached), as one `sgemm` of the block of
/// samples against all samples followed by the kernel's map: a matrix product instead of one
/// memory-bound matrix-vector product per row (the idea of ThunderSVM's batched kernel rows).
final class KernelRowCache {
    let n: Int
    let d: Int
    let kernel: Kernel
    /// The samples, row-major `[n, d]`.
    let samples: UnsafeMutablePointer<Float>
    let norms: [Float]
    let signs: [Float]
    let capacity: Int
    let blockRows: Int
    private let storage: UnsafeMutablePointer<Float>
    private var slotOfRow: [Int32]
    private var rowOfSlot: [Int]
    private var lastUse: [UInt64]
    private var clock: UInt64 = 0
    private var usedSlots = 0
    private let gathered: UnsafeMutablePointer<Float>
    private let scratch: UnsafeMutablePointer<Float>
    /// Rows computed so far (including prefetched ones), for diagnostics.
    private(set) var computedRows = 0

    /// - Parameters:
    ///   - samples: the problem's samples `[n, d]`, copied.
    ///   - signs: yᵢ ∈ {+1, −1}.
    ///   - bytes: the memory budget of the cache; at least three rows are always kept.
    init(samples x: Tensor, signs: [Float], kernel: Kernel, bytes: Int, blockRows: Int = 64) {
        n = x.shape[0]
        d = x.shape[1]
        self.kernel = kernel
        self.signs = signs
        let copy = UnsafeMutablePointer<Float>.allocate(capacity: x.count)
        x.withUnsafeBufferPointer { copy.initialize(from: $0.baseAddress!, count: x.count) }
        samples = copy
        norms = kernel.kind == .rbf ? Kernel.squaredNorms(copy, rows: x.shape[0], columns: x.shape[1]) : []
        capacity = max(3, min(n, bytes / max(n * MemoryLayout<Float>.size, 1)))
        self.blockRows = max(1, min(blockRows, capacity - 1))
        storage = UnsafeMutablePointer<Float>.allocate(capacity: capacity * n)
        slotOfRow = [Int32](repeating: -1, count: n)
        rowOfSlot = [Int](repeating: -1, count: capacity)
        lastUse = [UInt64](repeating: 0, count: capacity)
        gathered = UnsafeMutablePointer<Float>.allocate(capacity: self.blockRows * d)
        scratch = UnsafeMutablePointer<Float>.allocate(capacity: self.blockRows * n)
    }

    deinit {
        samples.deallocate()
        storage.deallocate()
        gathered.deallocate()
        scratch.deallocate()
    }

    /// k(xᵢ, xᵢ) for every sample.
    func diagonal() -> [Double] {
        (0..<n).map { i in
            var value: Float = 0
            kernel.block(a: samples + i * d, aNorms: norms.isEmpty ? [] : [norms[i]], m: 1, b: samples + i * d,
                         bNorms: norms.isEmpty ? [] : [norms[i]], n: 1, d: d, into: &value, ldOut: 1)
            return Double(value)
        }
    }

    func isCached(_ row: Int) -> Bool { slotOfRow[row] >= 0 }

    /// The rows `first` and `second` (may be equal), both valid until the next call. Missing rows
    /// are computed along with rows from `prefetch()`, evaluated only on a miss.
    func rows(_ first: Int, _ second: Int, prefetch: () -> [Int]) -> (UnsafePointer<Float>, UnsafePointer<Float>) {
        var missing: [Int] = []
        if slotOfRow[first] < 0 { missing.append(first) }
        if second != first && slotOfRow[second] < 0 { missing.append(second) }
        if !missing.isEmpty {
            let limit = max(missing.count, min(blockRows, capacity - 2))
            if missing.count < limit {
                for candidate in prefetch() where missing.count < limit {
                    if slotOfRow[candidate] < 0 && candidate != first && candidate != second { missing.append(candidate) }
                }
            }
            compute(missing, keeping: [first, second])
        }
        return (UnsafePointer(row(first)), UnsafePointer(row(second)))
    }

    /// One row, valid until the next call.
    func row(_ index: Int, prefetch: () -> [Int] = { [] }) -> UnsafePointer<Float> {
        rows(index, index, prefetch: prefetch).0
    }

    private func row(_ index: Int) -> UnsafeMutablePointer<Float> {
        let slot = Int(slotOfRow[index])
        clock += 1
        lastUse[slot] = clock
        return storage + slot * n
    }

    private func compute(_ indices: [Int], keeping pinned: [Int]) {
        for (r, index) in indices.enumerated() {
            (gathered + r * d).update(from: samples + index * d, count: d)
        }
        let blockNorms = norms.isEmpty ? [] : indices.map { norms[$0] }
        kernel.block(a: gathered, aNorms: blockNorms, m: indices.count, b: samples, bNorms: norms, n: n, d: d,
                     into: scratch, ldOut: n)
        computedRows += indices.count
        for (r, index) in indices.enumerated() {
            let slot = freeSlot(pinned: pinned)
            slotOfRow[index] = Int32(slot)
            rowOfSlot[slot] = index
            clock += 1
            lastUse[slot] = clock
            let destination = storage + slot * n
            let source = scratch + r * n
            let sign = signs[index]
            signs.withUnsafeBufferPointer { y in
                for t in 0..<n { destination[t] = sign * y[t] * source[t] }
            }
        }
    }

    private func freeSlot(pinned: [Int]) -> Int {
        if usedSlots < capacity {
            usedSlots += 1
            return usedSlots - 1
        }
        var victim = -1
        var oldest = UInt64.max
        for slot in 0..<capacity where lastUse[slot] < oldest {
            let owner = rowOfSlot[slot]
            if pinned.contains(owner) { continue }
            oldest = lastUse[slot]
            victim = slot
        }
        slotOfRow[rowOfSlot[victim]] = -1
        return victim
    }
}
