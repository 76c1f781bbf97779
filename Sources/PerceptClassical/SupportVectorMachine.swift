import Dispatch
import Foundation
import PerceptTensor

/// The soft-margin support vector machine with a ``Kernel``, multi-class by one-vs-one.
///
/// For each pair of classes (a, b) a two-class SVM is trained on the samples of those classes
/// (a as +1, b as −1) by ``SMOSolver``; a sample is then assigned the class that wins most of
/// the K(K − 1)/2 pairwise votes (ties go to the lower class index, as in LIBSVM). The pairs are
/// independent, so they are solved in parallel, one per core, largest first; each solver has
/// its own kernel-row cache with an equal share of `cacheMegabytes`.
///
/// The fitted model keeps the union of the support vectors of all pairs and a dense coefficient
/// matrix `[supportVectors, pairs]` holding αᵢyᵢ, so that the decision values of every pair for
/// a block of samples come from one kernel block and one `sgemm`.
public struct SupportVectorMachine: Classifier {
    /// The fitted parameters.
    public struct State: Codable, Sendable, Equatable {
        /// The sorted class labels.
        public var classes: [Int]
        /// The number of features.
        public var featureCount: Int
        /// The kernel used at fit.
        public var kernel: Kernel
        /// The class-index pairs (a, b), a < b, in the order of the decision-function columns.
        public var pairs: [[Int]]
        /// The support vectors, row-major `[supportVectors, features]`.
        public var supportVectors: [Float]
        /// αᵢyᵢ of each support vector in each pair, row-major `[supportVectors, pairs]`.
        public var coefficients: [Float]
        /// ρ of each pair: f(x) = Σ αᵢ yᵢ k(xᵢ, x) − ρ.
        public var rho: [Float]
        /// SMO iterations per pair.
        public var iterations: [Int]
        /// Kernel rows computed per pair (a measure of the cache's efficiency).
        public var kernelRows: [Int]
    }

    public static let modelName = "SupportVectorMachine"

    /// The kernel.
    public var kernel: Kernel
    /// C > 0, the penalty on margin violations.
    public var c: Double
    /// ε, the stopping tolerance on the maximal violating pair.
    public var tolerance: Double
    /// Total memory for kernel rows, shared by the solvers running at once.
    public var cacheMegabytes: Int
    /// Whether the solver sets aside bounded variables that cannot move (shrinking).
    public var shrinking: Bool
    /// Class pairs solved at once (threads); each then uses one BLAS thread.
    public var threads: Int
    public var state: State?

    /// Creates an unfitted model.
    public init(kernel: Kernel = .rbf(gamma: 0.03), c: Double = 10, tolerance: Double = 1e-3, cacheMegabytes: Int = 2048,
                shrinking: Bool = true, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.kernel = kernel
        self.c = c
        self.tolerance = tolerance
        self.cacheMegabytes = cacheMegabytes
        self.shrinking = shrinking
        self.threads = threads
    }

    public var classes: [Int] { state?.classes ?? [] }
    public var featureCount: Int? { state?.featureCount }

    /// The number of distinct support vectors over all pairs.
    public var supportVectorCount: Int {
        guard let state else { return 0 }
        return state.supportVectors.count / max(state.featureCount, 1)
    }

    public mutating func fit(_ x: Tensor, _ y: [Int]) throws {
        let model = Self.modelName
        try kernel.validate(model: model)
        try require(c > 0 && c.isFinite, model: model, "C", c, expected: "a finite number > 0")
        try require(tolerance > 0 && tolerance.isFinite, model: model, "tolerance", tolerance, expected: "a finite number > 0")
        try require(cacheMegabytes >= 1, model: model, "cacheMegabytes", cacheMegabytes, expected: "an integer ≥ 1")
        try require(threads >= 1, model: model, "threads", threads, expected: "an integer ≥ 1")
        let (features, labels) = try validatedTrainingData(x, y, model: model)
        let n = features.rows
        let p = features.columns
        let k = labels.classCount
        var classMembers = [[Int]](repeating: [], count: k)
        for (index, label) in labels.indices.enumerated() { classMembers[label].append(index) }
        let members = classMembers
        let pairs = (0..<k).flatMap { a in ((a + 1)..<k).map { b in (a, b) } }
        let order = pairs.indices.sorted {
            members[pairs[$0].0].count + members[pairs[$0].1].count > members[pairs[$1].0].count + members[pairs[$1].1].count
        }
        let workers = min(threads, pairs.count)
        let cacheBytes = cacheMegabytes * 1_048_576 / workers
        let solverTemplate = SMOSolver(c: c, tolerance: tolerance, shrinking: shrinking,
                                       maxIterations: max(10_000_000, 100 * n))
        let values = features.values
        let kernel = self.kernel
        let results = PairResults(count: pairs.count)
        let solvePairs = {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while let next = results.claim() {
                    let pairIndex = order[next]
                    let (a, b) = pairs[pairIndex]
                    let indices = members[a] + members[b]
                    let signs = members[a].map { _ in Float(1) } + members[b].map { _ in Float(-1) }
                    let cache = KernelRowCache(samples: values.rows(at: indices), signs: signs, kernel: kernel, bytes: cacheBytes)
                    let solution = solverTemplate.solve(cache: cache)
                    results.store(pairIndex, PairSolution(indices: indices, signs: signs, solution: solution))
                }
            }
        }
        // With several workers, each pair's products run on one thread: the pairs are what runs in parallel.
        if workers > 1 { BLAS.withOneThread(solvePairs) } else { solvePairs() }

        // Union of support vectors, dense coefficients [sv, pairs].
        var svRow: [Int: Int] = [:]
        var supportIndices: [Int] = []
        let solved = results.all()
        for pair in solved {
            for (position, alpha) in pair.solution.alpha.enumerated() where alpha > 0 {
                let index = pair.indices[position]
                if svRow[index] == nil { svRow[index] = supportIndices.count; supportIndices.append(index) }
            }
        }
        var coefficients = [Float](repeating: 0, count: supportIndices.count * pairs.count)
        for (pairIndex, pair) in solved.enumerated() {
            for (position, alpha) in pair.solution.alpha.enumerated() where alpha > 0 {
                let row = svRow[pair.indices[position]]!
                coefficients[row * pairs.count + pairIndex] = Float(alpha) * pair.signs[position]
            }
        }
        state = State(
            classes: labels.classes, featureCount: p, kernel: kernel, pairs: pairs.map { [$0.0, $0.1] },
            supportVectors: values.rows(at: supportIndices).scalars, coefficients: coefficients,
            rho: solved.map { Float($0.solution.rho) }, iterations: solved.map(\.solution.iterations),
            kernelRows: solved.map(\.solution.kernelRows))
    }

    /// The decision value of every pair for each sample, `[n, pairs]`; positive votes for the
    /// pair's first class.
    public func decisionFunction(_ x: Tensor) throws -> Tensor {
        let state = try fitted(state, model: Self.modelName)
        let features = try validatedFeatures(x, model: Self.modelName, expectedColumns: state.featureCount)
        let m = state.supportVectors.count / state.featureCount
        return kernelExpansion(
            features.values, kernel: state.kernel, vectors: Tensor(shape: [m, state.featureCount], scalars: state.supportVectors),
            coefficients: state.coefficients, outputs: state.pairs.count, offsets: state.rho.map { -$0 })
    }

    public func predict(_ x: Tensor) throws -> [Int] {
        let state = try fitted(state, model: Self.modelName)
        let decisions = try decisionFunction(x)
        let n = decisions.shape[0]
        let pairCount = state.pairs.count
        return decisions.withUnsafeBufferPointer { d in
            (0..<n).map { row in
                var votes = [Int](repeating: 0, count: state.classes.count)
                for (column, pair) in state.pairs.enumerated() {
                    votes[d[row * pairCount + column] > 0 ? pair[0] : pair[1]] += 1
                }
                var best = 0
                for k in 1..<votes.count where votes[k] > votes[best] { best = k }
                return state.classes[best]
            }
        }
    }
}

/// One solved pair: the training indices of its samples, their signs and the dual solution.
struct PairSolution: Sendable {
    var indices: [Int]
    var signs: [Float]
    var solution: SMOSolver.Solution
}

/// Work distribution and results of the pair solvers, shared by the worker threads.
final class PairResults: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var solutions: [PairSolution?]

    init(count: Int) { solutions = [PairSolution?](repeating: nil, count: count) }

    /// The next unclaimed position in the work order, or `nil` when all are taken.
    func claim() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < solutions.count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ index: Int, _ solution: PairSolution) {
        lock.lock()
        solutions[index] = solution
        lock.unlock()
    }

    func all() -> [PairSolution] {
        lock.lock()
        defer { lock.unlock() }
        return solutions.map { $0! }
    }
}

extension SupportVectorMachine: PersistentClassifier {
    enum CodingKeys: String, CodingKey {
        case kernel, c, tolerance, shrinking, threads
        case cacheMegabytes = "cache_megabytes"
    }

    public static func split(_ state: State) -> (summary: FittedSummary, arrays: [(name: String, tensor: Tensor)]) {
        (FittedSummary(classes: state.classes, featureCount: state.featureCount, kernel: state.kernel, pairs: state.pairs,
                       counters: ["iterations": state.iterations, "kernel_rows": state.kernelRows]),
         [matrixArray("support_vectors", state.supportVectors, columns: state.featureCount),
          matrixArray("coefficients", state.coefficients, columns: state.pairs.count),
          ("rho", Tensor(shape: [state.rho.count], scalars: state.rho))])
    }

    public static func join(_ summary: FittedSummary, _ arrays: FittedArrays) throws -> State {
        let summary = try summary.validated(model: modelName, needsKernel: true)
        let k = summary.classes.count
        guard let pairs = summary.pairs, !pairs.isEmpty,
              pairs.allSatisfy({ $0.count == 2 && 0 <= $0[0] && $0[0] < $0[1] && $0[1] < k })
        else {
            throw ClassifierError.invalidState(model: modelName, reason: "the class pairs must be [a, b] with 0 ≤ a < b < \(k)")
        }
        let (vectors, coefficients) = try arrays.expansion(
            "support_vectors", coefficients: "coefficients", summary, outputs: pairs.count)
        let rho = try arrays.values("rho", shape: [pairs.count]).values
        return State(classes: summary.classes, featureCount: summary.featureCount, kernel: summary.kernel!, pairs: pairs,
                     supportVectors: vectors, coefficients: coefficients, rho: rho,
                     iterations: summary.counter("iterations"), kernelRows: summary.counter("kernel_rows"))
    }
}
