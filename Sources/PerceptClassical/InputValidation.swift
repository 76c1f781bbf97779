import PerceptTensor

/// Samples as a row-major matrix `[rows, columns]` after flattening the trailing axes.
struct FeatureMatrix: Sendable {
    var values: Tensor
    var rows: Int { values.shape[0] }
    var columns: Int { values.shape[1] }
}

/// Labels recoded as class indices `0..<classes.count`, with the original labels sorted.
struct EncodedLabels: Sendable {
    var classes: [Int]
    var indices: [Int]
    var classCount: Int { classes.count }
}

/// Checks and flattens features: rank ≥ 2, at least one row, every value finite, and (when
/// `expectedColumns` is given) the feature count seen at fit.
func validatedFeatures(_ x: Tensor, model: String, expectedColumns: Int? = nil) throws -> FeatureMatrix {
    guard x.rank >= 2 else { throw ClassifierError.notAMatrix(model: model, shape: x.shape) }
    let rows = x.shape[0]
    guard rows > 0 else { throw ClassifierError.noSamples(model: model) }
    let columns = x.shape.dropFirst().reduce(1, *)
    if let expectedColumns, expectedColumns != columns {
        throw ClassifierError.featureCountMismatch(model: model, expected: expectedColumns, got: columns)
    }
    if !x.isFinite {
        let position = x.withUnsafeBufferPointer { $0.firstIndex { !$0.isFinite } }!
        throw ClassifierError.nonFiniteFeature(
            model: model, row: position / columns, column: position % columns, value: x.scalars[position])
    }
    return FeatureMatrix(values: x.rank == 2 ? x : x.reshaped([rows, columns]))
}

/// Checks features and labels for fitting: as ``validatedFeatures(_:model:expectedColumns:)``, as
/// many labels as rows, and at least two classes.
func validatedTrainingData(_ x: Tensor, _ y: [Int], model: String) throws -> (FeatureMatrix, EncodedLabels) {
    guard x.rank >= 2 else { throw ClassifierError.notAMatrix(model: model, shape: x.shape) }
    guard x.shape[0] == y.count else {
        throw ClassifierError.sampleCountMismatch(model: model, samples: x.shape[0], labels: y.count)
    }
    let features = try validatedFeatures(x, model: model)
    let classes = Array(Set(y)).sorted()
    guard classes.count >= 2 else { throw ClassifierError.singleClass(model: model, label: classes.first) }
    var position: [Int: Int] = [:]
    for (index, label) in classes.enumerated() { position[label] = index }
    return (features, EncodedLabels(classes: classes, indices: y.map { position[$0]! }))
}

/// Throws ``ClassifierError/invalidHyperparameter(model:name:value:expected:)`` unless `condition`.
func require(
    _ condition: Bool, model: String, _ name: String, _ value: some CustomStringConvertible, expected: String
) throws {
    if !condition {
        throw ClassifierError.invalidHyperparameter(model: model, name: name, value: value.description, expected: expected)
    }
}

/// The state of a fitted model, or ``ClassifierError/notFitted(model:)``.
func fitted<State>(_ state: State?, model: String) throws -> State {
    guard let state else { throw ClassifierError.notFitted(model: model) }
    return state
}
