import Dispatch
import Foundation

/// How the library splits work between threads.
///
/// Work is cut into a number of parts that depends only on its size and on the machine's cores,
/// never on the thread count in force (``BLAS/setThreadCount(_:)``): the thread count decides only
/// whether the parts run at the same time. So a result is the same bits whatever the thread count,
/// including when another task has lowered it meanwhile.
public enum Parallel {
    /// The most parts work is split into: the machine's cores, fixed for the life of the process.
    public static let maximumParts = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Runs `body(part)` for each part in `0..<parts`: at the same time when more than one thread is
    /// allowed, one after the other otherwise. Products made inside run on one thread each.
    public static func forEach(_ parts: Int, _ body: (Int) -> Void) {
        guard parts > 1, (BLAS.threadCount ?? 1) > 1 else {
            for part in 0..<parts { body(part) }
            return
        }
        withoutActuallyEscaping(body) { body in
            // Safe by contract: the parts touch disjoint data.
            let shared = UncheckedSendableBody(body: body)
            BLAS.withOneThread {
                DispatchQueue.concurrentPerform(iterations: parts) { shared.body($0) }
            }
        }
    }
}

/// A closure called from the threads of one parallel loop, whose calls touch disjoint data.
private struct UncheckedSendableBody: @unchecked Sendable {
    let body: (Int) -> Void
}
