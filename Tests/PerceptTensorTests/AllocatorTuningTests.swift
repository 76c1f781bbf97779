import PerceptTensor
import Testing

@Suite("Allocator tuning")
struct AllocatorTuningTests {
    #if canImport(Glibc)
    /// The setting must really reach glibc: a build where the C side compiled to `return 0` once
    /// left every training step paying page faults on fresh buffers.
    @Test func appliesOnGlibc() {
        #expect(AllocatorTuning.keepFreedMemoryForReuse())
    }
    #endif
}
