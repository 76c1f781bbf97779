import Foundation
import PerceptClassical
import PerceptIO
import PerceptTensor
import Testing

/// Four noisy classes in 6-D (labels 3, 5, 8, 9, so that stored labels differ from indices).
private func classifierData() -> (Tensor, [Int], Tensor) {
    var generator = RandomGenerator(seed: 7)
    let labels = (0..<80).map { [3, 5, 8, 9][$0 % 4] }
    let x = Tensor(shape: [80, 6]) { out in
        for i in 0..<80 { for j in 0..<6 { out[i * 6 + j] = Float(i % 4 == j % 4 ? 1 : 0) + generator.nextNormal() * 0.4 } }
    }
    let queries = Tensor.uniform(shape: [25, 6], low: -1, high: 2, generator: &generator)
    return (x, labels, queries)
}

private func temporaryURL() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("percept-classifier-\(UUID()).safetensors")
}

/// Fits `model`, saves it, loads it back and checks that every output is bit-identical.
private func expectRoundTrip<Model: PersistentClassifier & Equatable>(_ model: Model) throws where Model.State: Equatable {
    var model = model
    let (x, y, queries) = classifierData()
    try model.fit(x, y)
    let url = temporaryURL()
    defer { try? FileManager.default.removeItem(at: url) }
    try ClassifierFile.save(model, to: url)
    let loaded = try #require(try ClassifierFile.load(from: url) as? Model)
    #expect(loaded == model, "hyperparameters and fitted state survive")
    #expect(try loaded.decisionFunction(queries) == (try model.decisionFunction(queries)))
    #expect(try loaded.predict(queries) == (try model.predict(queries)))
    #expect(try loaded.predict(x) == (try model.predict(x)))
    guard case .classifier = try SavedModel.load(from: url) else {
        Issue.record("SavedModel does not see a classifier")
        return
    }
}

extension RidgeClassifier: Equatable {
    public static func == (a: Self, b: Self) -> Bool { a.alpha == b.alpha && a.state == b.state }
}
extension LinearDiscriminantAnalysis: Equatable {
    public static func == (a: Self, b: Self) -> Bool { a.shrinkage == b.shrinkage && a.state == b.state }
}
extension KernelFisherDiscriminant: Equatable {
    public static func == (a: Self, b: Self) -> Bool {
        a.kernel == b.kernel && a.landmarks == b.landmarks && a.regularization == b.regularization && a.seed == b.seed
            && a.state == b.state
    }
}
extension Perceptron: Equatable {
    public static func == (a: Self, b: Self) -> Bool {
        a.epochs == b.epochs && a.averaged == b.averaged && a.seed == b.seed && a.state == b.state
    }
}
extension KernelPerceptron: Equatable {
    public static func == (a: Self, b: Self) -> Bool {
        a.kernel == b.kernel && a.epochs == b.epochs && a.averaged == b.averaged && a.seed == b.seed
            && a.blockSize == b.blockSize && a.state == b.state
    }
}
extension LogisticRegression: Equatable {
    public static func == (a: Self, b: Self) -> Bool {
        a.c == b.c && a.maxIterations == b.maxIterations && a.tolerance == b.tolerance && a.state == b.state
    }
}
extension SupportVectorMachine: Equatable {
    public static func == (a: Self, b: Self) -> Bool {
        a.kernel == b.kernel && a.c == b.c && a.tolerance == b.tolerance && a.cacheMegabytes == b.cacheMegabytes
            && a.shrinking == b.shrinking && a.threads == b.threads && a.state == b.state
    }
}

@Suite("classifier files")
struct ClassifierFileTests {
    @Test func ridgeRoundTrips() throws { try expectRoundTrip(RidgeClassifier(alpha: 0.5)) }
    @Test func ldaRoundTrips() throws { try expectRoundTrip(LinearDiscriminantAnalysis(shrinkage: 0.05)) }
    @Test func kernelFDARoundTrips() throws {
        try expectRoundTrip(KernelFisherDiscriminant(kernel: .rbf(gamma: 0.3), landmarks: 30, regularization: 1e-2, seed: 4))
    }
    @Test func perceptronRoundTrips() throws { try expectRoundTrip(Perceptron(epochs: 3, averaged: true, seed: 2)) }
    @Test func kernelPerceptronRoundTrips() throws {
        try expectRoundTrip(KernelPerceptron(kernel: .polynomial(degree: 2, gamma: 0.5, coef0: 1), epochs: 2, seed: 3,
                                             blockSize: 16))
    }
    @Test func logisticRegressionRoundTrips() throws { try expectRoundTrip(LogisticRegression(c: 0.7, maxIterations: 30)) }
    @Test(arguments: [Kernel.linear, .rbf(gamma: 0.2), .polynomial(degree: 3, gamma: 0.1, coef0: 1)])
    func svmRoundTrips(kernel: Kernel) throws {
        try expectRoundTrip(SupportVectorMachine(kernel: kernel, c: 2, threads: 2))
    }

    @Test func weightsAreNamedTensorsOtherToolsCanRead() throws {
        var model = SupportVectorMachine(kernel: .rbf(gamma: 0.2), c: 2, threads: 1)
        let (x, y, _) = classifierData()
        try model.fit(x, y)
        let file = try ClassifierFile.encode(model)
        #expect(file.tensors.map(\.name) == ["support_vectors", "coefficients", "rho"])
        #expect(file["support_vectors"]?.shape == [model.supportVectorCount, 6])
        #expect(file["coefficients"]?.shape == [model.supportVectorCount, 6])
        #expect(file["rho"]?.shape == [6])
        let json = try #require(file.metadata[ClassifierFile.metadataKey])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["model"] as? String == "SupportVectorMachine")
        let hyperparameters = try #require(object["hyperparameters"] as? [String: Any])
        #expect(hyperparameters["c"] as? Double == 2)
        #expect((hyperparameters["kernel"] as? [String: Any])?["kind"] as? String == "rbf")
        #expect((object["fitted"] as? [String: Any])?["classes"] as? [Int] == [3, 5, 8, 9])
        #expect(file.metadata["format"] == "pt")
    }

    @Test func anUnfittedModelIsNotSavedAndTheOldFileStays() throws {
        let url = temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        try Data("previous".utf8).write(to: url)
        #expect(throws: IOError.cannotSave(reason: "RidgeClassifier is not fitted")) {
            try ClassifierFile.save(RidgeClassifier(), to: url)
        }
        #expect(try Data(contentsOf: url) == Data("previous".utf8))
    }

    @Test func brokenFilesAreRefusedWithTheReason() throws {
        var model = LogisticRegression(c: 1, maxIterations: 10)
        let (x, y, _) = classifierData()
        try model.fit(x, y)
        let file = try ClassifierFile.encode(model)
        func expectMalformed(_ broken: SafetensorsFile, _ reason: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(throws: IOError.malformed(path: "c.safetensors", reason: reason), sourceLocation: sourceLocation) {
                _ = try ClassifierFile.decode(broken, path: "c.safetensors")
            }
        }
        var missing = file
        missing.tensors.removeLast()
        expectMalformed(missing, "LogisticRegression: the stored model is not valid: array 'intercepts' is missing")
        var reshaped = file
        reshaped.tensors[0].tensor = Tensor(zeros: [4, 6])
        expectMalformed(reshaped, "LogisticRegression: the stored model is not valid: array 'weights' has shape [4, 6], expected [6, 4]")
        var poisoned = file
        poisoned.tensors[1].tensor = Tensor(shape: [4], scalars: [0, .nan, 0, 0])
        expectMalformed(poisoned, "LogisticRegression: the stored model is not valid: array 'intercepts' holds NaN or infinite values")
        var extra = file
        extra.tensors.append(("bias", Tensor(zeros: [1])))
        expectMalformed(extra, "unexpected tensors: bias")

        func edited(_ change: (inout [String: Any]) -> Void) throws -> SafetensorsFile {
            var object = try JSONSerialization.jsonObject(with: Data(file.metadata[ClassifierFile.metadataKey]!.utf8)) as! [String: Any]
            change(&object)
            var copy = file
            copy.metadata[ClassifierFile.metadataKey] = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
            return copy
        }
        expectMalformed(try edited { object in
            var fitted = object["fitted"] as! [String: Any]
            fitted["classes"] = [5, 3, 8, 9]
            object["fitted"] = fitted
        }, "LogisticRegression: the stored model is not valid: the classes must be at least two distinct labels in increasing order, found [5, 3, 8, 9]")
        #expect(throws: IOError.unsupported(
            path: "c.safetensors",
            reason: "unknown model 'RandomForest'; known: RidgeClassifier, LinearDiscriminantAnalysis, KernelFisherDiscriminant, "
                + "Perceptron, KernelPerceptron, LogisticRegression, SupportVectorMachine")) {
            _ = try ClassifierFile.decode(try edited { $0["model"] = "RandomForest" }, path: "c.safetensors")
        }
        #expect(throws: IOError.self) {
            _ = try ClassifierFile.decode(try edited { $0["hyperparameters"] = ["c": "one"] }, path: "c.safetensors")
        }
    }

    @Test func aBadStoredKernelOrPairIsRefused() throws {
        var model = SupportVectorMachine(kernel: .polynomial(degree: 2, gamma: 0.5, coef0: 1), c: 1, threads: 1)
        let (x, y, _) = classifierData()
        try model.fit(x, y)
        var state = model.state!
        state.kernel.degree = 40
        var broken = model
        broken.state = state
        #expect(throws: IOError.self) { _ = try ClassifierFile.decode(try ClassifierFile.encode(broken), path: "k") }
        state = model.state!
        state.pairs[0] = [0, 7]
        broken.state = state
        #expect(throws: IOError.malformed(
            path: "k", reason: "SupportVectorMachine: the stored model is not valid: the class pairs must be [a, b] with 0 ≤ a < b < 4")) {
            _ = try ClassifierFile.decode(try ClassifierFile.encode(broken), path: "k")
        }
    }

    @Test func aNetworkFileIsNotAClassifierAndATruncatedFileNamesItself() throws {
        var model = RidgeClassifier()
        let (x, y, _) = classifierData()
        try model.fit(x, y)
        let url = temporaryURL()
        defer { try? FileManager.default.removeItem(at: url) }
        let bytes = try ClassifierFile.encode(model).encoded()
        try bytes.prefix(bytes.count - 5).write(to: url)
        do {
            _ = try SavedModel.load(from: url)
            Issue.record("a truncated file was accepted")
        } catch let error as IOError {
            #expect(error.description.hasPrefix(url.path), "\(error)")
        }
        #expect(throws: IOError.unsupported(path: "n", reason: "no 'percept.classifier' metadata: not a Percept classifier file")) {
            _ = try ClassifierFile.decode(SafetensorsFile(tensors: [], metadata: ["percept.model": "{}"]), path: "n")
        }
    }
}
