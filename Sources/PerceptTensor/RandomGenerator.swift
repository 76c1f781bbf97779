/// A seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64).
///
/// The same seed gives the same sequence on every platform, which makes initialisation, shuffling
/// and dropout reproducible. It is a value type: copy it to fork a stream.
public struct RandomGenerator: RandomNumberGenerator, Sendable, Equatable, Codable {
    /// The four words of internal state.
    public private(set) var state: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a generator whose sequence is determined by `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        func next() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (next(), next(), next(), next())
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform `Float` in `[0, 1)`.
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A standard normal `Float` (Box–Muller).
    public mutating func nextNormal() -> Float {
        var u1 = nextUniform()
        while u1 <= 0 { u1 = nextUniform() }
        let u2 = nextUniform()
        return (-2 * logf(u1)).squareRoot() * cosf(2 * .pi * u2)
    }

    public static func == (lhs: RandomGenerator, rhs: RandomGenerator) -> Bool {
        lhs.state == rhs.state
    }

    private enum CodingKeys: String, CodingKey { case state }

    public init(from decoder: any Decoder) throws {
        let words = try decoder.container(keyedBy: CodingKeys.self).decode([UInt64].self, forKey: .state)
        guard words.count == 4 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "RandomGenerator state needs 4 words, got \(words.count)"))
        }
        state = (words[0], words[1], words[2], words[3])
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode([state.0, state.1, state.2, state.3], forKey: .state)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Tensor {
    /// A tensor of independent uniform samples in `[low, high)`.
    public static func uniform(shape: [Int], low: Float, high: Float, generator: inout RandomGenerator) -> Tensor {
        Tensor(shape: shape) { out in
            for i in 0..<out.count { out[i] = low + (high - low) * generator.nextUniform() }
        }
    }

    /// A tensor of independent normal samples with the given mean and standard deviation.
    public static func normal(shape: [Int], mean: Float = 0, standardDeviation: Float,
                              generator: inout RandomGenerator) -> Tensor {
        Tensor(shape: shape) { out in
            for i in 0..<out.count { out[i] = mean + standardDeviation * generator.nextNormal() }
        }
    }
}

extension RandomGenerator {
    /// A uniformly random permutation of `0..<count` (Fisher–Yates).
    public mutating func permutation(_ count: Int) -> [Int] {
        var indices = Array(0..<count)
        if count < 2 { return indices }
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = Int(next() % UInt64(i + 1))
            indices.swapAt(i, j)
        }
        return indices
    }
}
