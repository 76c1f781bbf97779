import CPerceptKernels

/// Process-wide settings of the C allocator.
public enum AllocatorTuning {
    /// Keeps large freed blocks in the process for reuse (glibc's `mallopt`), instead of returning
    /// them to the system and taking a page fault per 4 KiB when the next training step allocates
    /// the same buffers again. Worth it for recurrent networks, whose steps allocate tens of
    /// megabytes each; the cost is that the process keeps its peak memory. No effect outside glibc.
    public static func keepFreedMemoryForReuse() {
        pk_keep_freed_memory()
    }
}
