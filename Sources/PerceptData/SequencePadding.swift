import PerceptTensor

/// Where ``padSequences(_:maxLength:padding:truncating:value:)`` pads or cuts a sequence.
public enum SequenceEnd: String, Sendable, CaseIterable {
    /// At the beginning (Keras's default for both padding and truncation).
    case pre
    /// At the end.
    case post
}

/// Makes sequences of indices the same length, with Keras's `pad_sequences` semantics: sequences
/// longer than `maxLength` lose elements at the start (`truncating: .pre`) or the end (`.post`);
/// shorter ones get `value` added before (`padding: .pre`) or after (`.post`).
///
/// - Parameter maxLength: the common length; `nil` uses the longest sequence.
/// - Returns: `[sequences.count, maxLength]`, indices stored as Float.
public func padSequences(
    _ sequences: [[Int]], maxLength: Int? = nil, padding: SequenceEnd = .pre, truncating: SequenceEnd = .pre,
    value: Int = 0
) -> Tensor {
    let length = maxLength ?? sequences.map(\.count).max() ?? 0
    precondition(length >= 0, "padSequences: maxLength must not be negative, got \(length)")
    return Tensor(shape: [sequences.count, length]) { out in
        for (row, sequence) in sequences.enumerated() {
            let kept = sequence.count <= length ? sequence[...]
                : truncating == .pre ? sequence.suffix(length) : sequence.prefix(length)
            let padCount = length - kept.count
            let base = out.baseAddress! + row * length
            let start = padding == .pre ? padCount : 0
            for i in 0..<length { base[i] = Float(value) }
            for (offset, index) in kept.enumerated() { base[start + offset] = Float(index) }
        }
    }
}
