import CPerceptKernels

/// Process-wide memory settings for training.
public enum AllocatorTuning {
    /// Keeps freed memory in the process for reuse instead of returning it to the system.
    ///
    /// A convolutional network allocates tens of megabytes per layer and step (the patch matrices)
    /// and frees them at the end of the step. By default glibc serves such blocks with `mmap` and
    /// unmaps them on free, so every step pays page faults and the kernel's zeroing of fresh pages
    /// again; served from the heap and never trimmed, the same memory is simply reused. The cost is
    /// that the process keeps its peak heap until it exits. Does nothing outside glibc.
    ///
    /// - Returns: whether the setting was applied.
    @discardableResult
    public static func keepFreedMemoryForReuse() -> Bool {
        pk_keep_freed_memory() != 0
    }
}
