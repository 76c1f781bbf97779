import PerceptAutograd
import PerceptNN
import PerceptTensor

/// The result of ``PerceptNN/Sequential/evaluate(_:_:batchSize:)``.
public struct Evaluation: Sendable, Equatable {
    /// The mean loss (without regularisation penalties).
    public var loss: Double
    /// The fraction of samples whose predicted class equals the label.
    public var accuracy: Double
}

extension Sequential {
    /// Trains the model on `x` (samples along the first axis) with integer labels `y`.
    ///
    /// Builds the model from `x`'s sample shape if it is not built yet. The same `seed` gives the
    /// same initial weights, batch order and dropout masks, hence the same history.
    ///
    /// - Parameters:
    ///   - validationSplit: the fraction of samples, taken from the end of `x` before shuffling
    ///     (as Keras does), held out to compute `val_loss` and `val_accuracy` after each epoch.
    ///   - validationData: explicit validation samples and labels (takes precedence over the split).
    ///   - shuffle: whether to visit the training samples in a new random order each epoch.
    ///   - resumingFrom: the progress of an interrupted run of the same call (the model holding the
    ///     weights of that moment): training continues after its last completed epoch and ends as
    ///     the uninterrupted run would have.
    /// - Throws: ``ModelError`` on inconsistent input (the message says expected against got), and
    ///   ``TrainingError`` when the loss or a gradient stops being finite: the weights are then
    ///   those from before the failing step.
    @discardableResult
    public func fit(
        _ x: Tensor, _ y: [Int], epochs: Int = 1, batchSize: Int = 32, validationSplit: Double = 0,
        validationData: (x: Tensor, y: [Int])? = nil, shuffle: Bool = true, seed: UInt64 = 0,
        callbacks: [Callback] = [], verbose: Verbosity = .automatic, resumingFrom progress: TrainingProgress? = nil
    ) throws -> History {
        guard let optimizer, let loss else { throw ModelError.notCompiled }
        guard epochs >= 1 else { throw ModelError.invalidArgument(name: "epochs", reason: "must be at least 1, got \(epochs)") }
        guard batchSize >= 1 else {
            throw ModelError.invalidArgument(name: "batchSize", reason: "must be at least 1, got \(batchSize)")
        }
        guard validationSplit >= 0 && validationSplit < 1 else {
            throw ModelError.invalidArgument(name: "validationSplit", reason: "must be in [0, 1), got \(validationSplit)")
        }
        guard x.rank >= 1 else { throw ModelError.shapeMismatch(what: "x", expected: inputShape ?? [], got: x.shape) }
        if !isBuilt { try build(inputShape: Array(x.shape.dropFirst()), seed: seed) }
        try validate(x, y, what: "x")

        var (trainX, trainY) = (x, y)
        var validation = validationData
        if let validationData {
            try validate(validationData.x, validationData.y, what: "validation x")
        } else if validationSplit > 0 {
            let held = Int((Double(x.shape[0]) * validationSplit).rounded(.down))
            let kept = x.shape[0] - held
            guard held > 0 && kept > 0 else {
                throw ModelError.invalidArgument(
                    name: "validationSplit", reason: "\(validationSplit) of \(x.shape[0]) samples leaves an empty split")
            }
            validation = (x.rows(kept..<x.shape[0]), Array(y[kept...]))
            trainX = x.rows(0..<kept)
            trainY = Array(y[..<kept])
        }
        guard trainX.shape[0] > 0 else {
            throw ModelError.invalidArgument(name: "x", reason: "no training samples")
        }

        let sampleCount = trainX.shape[0]
        let stepsPerEpoch = (sampleCount + batchSize - 1) / batchSize
        var listeners = callbacks
        if verbose != .silent { listeners.insert(ProgressReporter(verbosity: verbose).callback, at: 0) }
        func emit(_ event: TrainingEvent) -> Bool {
            listeners.map { $0.handle(event) }.contains { $0 == .stopTraining }
        }

        var generator = RandomGenerator(seed: seed &+ 0x5EED)
        let context = ForwardContext(isTraining: true, generator: RandomGenerator(seed: seed &+ 0xD0D0))
        let parameters = self.parameters
        var history = History()
        if let progress {
            guard progress.optimizerSlots.count == parameters.count,
                  zip(progress.optimizerSlots, parameters).allSatisfy({ slots, parameter in
                      slots.count == optimizer.slotCount && slots.allSatisfy { $0.shape == parameter.shape }
                  })
            else {
                throw ModelError.invalidArgument(
                    name: "resumingFrom", reason: "the saved optimizer state does not match this model and optimizer")
            }
            history = progress.history
            generator = progress.shuffleGenerator
            context.generator = progress.dropoutGenerator
            optimizer.stepCount = progress.optimizerStep
            optimizer.learningRate = progress.learningRate
            optimizer.slots = Dictionary(uniqueKeysWithValues: zip(parameters.map(ObjectIdentifier.init), progress.optimizerSlots))
        }
        let firstEpoch = (progress?.completedEpochs ?? 0) + 1
        _ = emit(.trainingBegan(epochs: epochs, stepsPerEpoch: stepsPerEpoch, samples: sampleCount))

        for epoch in firstEpoch...max(epochs, firstEpoch) where epoch <= epochs {
            var stop = emit(.epochBegan(epoch: epoch))
            let order = shuffle ? generator.permutation(sampleCount) : Array(0..<sampleCount)
            var lossSum = 0.0
            var correct = 0
            var seen = 0
            var trainingSeconds = 0.0
            for step in 1...stepsPerEpoch {
                let stopwatch = Stopwatch()
                let indices = order[((step - 1) * batchSize)..<min(step * batchSize, sampleCount)]
                let batchY = indices.map { trainY[$0] }
                let outputs = self(Variable(trainX.rows(at: indices)), context: context)
                var objective = loss(outputs, labels: batchY)
                if let penalty = regularizationPenalty() { objective = objective + penalty }
                let value = Double(objective.value.scalar)
                guard value.isFinite else {
                    throw TrainingError.nonFiniteLoss(epoch: epoch, step: step, value: value, history: history)
                }
                for parameter in parameters { parameter.grad = nil }
                objective.backward()
                guard globalGradientNorm(parameters).isFinite else {
                    throw TrainingError.nonFiniteGradient(epoch: epoch, step: step, history: history)
                }
                optimizer.step(parameters)
                trainingSeconds += stopwatch.seconds

                lossSum += value * Double(indices.count)
                correct += zip(loss.predictedClasses(fromOutputs: outputs.value), batchY).filter { $0 == $1 }.count
                seen += indices.count
                if emit(.batchEnded(epoch: epoch, step: step, samplesSeen: seen, loss: lossSum / Double(seen),
                                    accuracy: Double(correct) / Double(seen))) {
                    stop = true
                }
            }
            var record = EpochRecord(
                epoch: epoch, loss: lossSum / Double(seen), accuracy: Double(correct) / Double(seen),
                validationLoss: nil, validationAccuracy: nil, seconds: trainingSeconds,
                samplesPerSecond: Double(seen) / max(trainingSeconds, 1e-9))
            if let validation {
                let result = try evaluate(validation.x, validation.y, batchSize: max(batchSize, 256))
                record.validationLoss = result.loss
                record.validationAccuracy = result.accuracy
            }
            history.epochs.append(record)
            if emit(.epochEnded(record)) { stop = true }
            let progress = TrainingProgress(
                completedEpochs: epoch, history: history, shuffleGenerator: generator, dropoutGenerator: context.generator,
                optimizerStep: optimizer.stepCount, learningRate: optimizer.learningRate,
                optimizerSlots: parameters.map { optimizer.slots[ObjectIdentifier($0)] ?? [] })
            if emit(.progressSaved(progress)) { stop = true }
            if stop { break }
        }
        _ = emit(.trainingEnded(history))
        return history
    }

    /// The mean loss and the accuracy on `x` with labels `y`, computed without dropout.
    public func evaluate(_ x: Tensor, _ y: [Int], batchSize: Int = 256) throws -> Evaluation {
        guard let loss else { throw ModelError.notCompiled }
        try validate(x, y, what: "x")
        var lossSum = 0.0
        var correct = 0
        try forEachBatch(of: x, batchSize: batchSize) { range, outputs in
            let labels = Array(y[range])
            lossSum += Double(withoutGradients { loss(Variable(outputs), labels: labels) }.value.scalar) * Double(range.count)
            correct += zip(loss.predictedClasses(fromOutputs: outputs), labels).filter { $0 == $1 }.count
        }
        let n = Double(max(x.shape[0], 1))
        return Evaluation(loss: lossSum / n, accuracy: Double(correct) / n)
    }

    /// The model's predictions for `x`: class probabilities for the cross-entropy losses (softmax
    /// or sigmoid of the logits), the raw outputs otherwise.
    public func predict(_ x: Tensor, batchSize: Int = 256) throws -> Tensor {
        let outputs = try rawOutputs(x, batchSize: batchSize)
        return (loss ?? .squaredError).probabilities(fromOutputs: outputs)
    }

    /// The predicted class of each sample of `x`.
    public func predictClasses(_ x: Tensor, batchSize: Int = 256) throws -> [Int] {
        (loss ?? .crossEntropy).predictedClasses(fromOutputs: try rawOutputs(x, batchSize: batchSize))
    }

    /// The outputs of the last layer for `x`, batch by batch, without dropout.
    public func rawOutputs(_ x: Tensor, batchSize: Int = 256) throws -> Tensor {
        var scalars: [Float] = []
        var shape: [Int] = []
        try forEachBatch(of: x, batchSize: batchSize) { _, outputs in
            scalars += outputs.scalars
            shape = outputs.shape
        }
        shape[0] = x.shape[0]
        return Tensor(shape: shape, scalars: scalars)
    }

    private func forEachBatch(of x: Tensor, batchSize: Int, _ body: (Range<Int>, Tensor) throws -> Void) throws {
        guard let inputShape else { throw ModelError.notBuilt }
        guard Array(x.shape.dropFirst()) == inputShape else {
            throw ModelError.shapeMismatch(what: "x", expected: inputShape, got: x.shape)
        }
        guard batchSize >= 1 else {
            throw ModelError.invalidArgument(name: "batchSize", reason: "must be at least 1, got \(batchSize)")
        }
        try layers.first?.validateInput(x)
        let context = ForwardContext(isTraining: false)
        var start = 0
        while start < x.shape[0] {
            let range = start..<min(start + batchSize, x.shape[0])
            let outputs = withoutGradients { self(Variable(x.rows(range)), context: context).value }
            try body(range, outputs)
            start = range.upperBound
        }
    }

    /// Checks that `x` has the model's sample shape and that `y` holds one valid label per sample.
    private func validate(_ x: Tensor, _ y: [Int], what: String) throws {
        guard let inputShape else { throw ModelError.notBuilt }
        guard x.rank >= 1, Array(x.shape.dropFirst()) == inputShape else {
            throw ModelError.shapeMismatch(what: what, expected: inputShape, got: x.shape)
        }
        guard x.shape[0] == y.count else { throw ModelError.sampleCountMismatch(samples: x.shape[0], labels: y.count) }
        try layers.first?.validateInput(x)
        let classes = (loss ?? .crossEntropy).classCount(outputUnits: outputShape?.last ?? 1)
        if let bad = y.firstIndex(where: { $0 < 0 || $0 >= classes }) {
            throw ModelError.labelOutOfRange(index: bad, label: y[bad], classes: classes)
        }
    }
}
