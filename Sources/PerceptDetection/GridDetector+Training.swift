import PerceptAutograd
import PerceptData
import PerceptNN
import PerceptTensor
import PerceptTraining

/// How a ``GridDetector`` is trained on generated scenes.
///
/// Every epoch draws ``scenesPerEpoch`` new scenes from the training digits (so no scene is seen
/// twice), all ``sceneSide`` × ``sceneSide`` pixels so that they batch together; the network,
/// being fully convolutional, then detects in scenes of any size.
public struct DetectorTrainingSettings: Sendable, Equatable {
    /// Passes of ``scenesPerEpoch`` scenes.
    public var epochs: Int
    /// Fresh scenes per epoch.
    public var scenesPerEpoch: Int
    /// Scenes per gradient step.
    public var batchSize: Int
    /// The side of the square training scenes, in pixels.
    public var sceneSide: Int
    /// The seed of the scenes (initialisation is seeded separately, when the detector is made).
    public var seed: UInt64

    /// Training settings; the defaults are those of `percept train detector`.
    public init(epochs: Int = 15, scenesPerEpoch: Int = 4000, batchSize: Int = 8, sceneSide: Int = 104, seed: UInt64 = 0) {
        self.epochs = epochs
        self.scenesPerEpoch = scenesPerEpoch
        self.batchSize = batchSize
        self.sceneSide = sceneSide
        self.seed = seed
    }
}

/// A detector's results on a set of annotated scenes.
public struct DetectorTestResult: Sendable {
    /// Average precision per class and mAP.
    public var evaluation: DetectionEvaluation
    /// The mean ``DetectionLoss`` per scene.
    public var loss: Double
    /// The share of objects whose responsible cell predicts the right class.
    public var classAccuracy: Double
    /// The detections of each scene.
    public var detections: [[Detection]]
}

extension GridDetector {
    /// Trains the detector on scenes made of `digits`, with `optimizer`, reporting to `callbacks`
    /// (``TrainingEvent``s as `fit` emits them; an epoch's accuracy is the share of objects whose
    /// responsible cell predicts the right class).
    ///
    /// - Parameters:
    ///   - validation: scenes whose loss and class accuracy are reported after each epoch (as
    ///     `val_loss` and `val_accuracy`).
    ///   - afterValidation: called after each epoch's validation with the epoch and the results
    ///     (mAP included).
    /// - Returns: the history, one record per epoch.
    /// - Throws: ``TrainingError/nonFiniteLoss(epoch:step:value:history:)`` when the loss stops
    ///   being finite (the weights are those from before that step), ``DataError`` for unusable
    ///   scene settings.
    @discardableResult
    public func train(
        on digits: LabeledDataset, settings: DetectorTrainingSettings, optimizer: any Optimizer, loss: DetectionLoss? = nil,
        validation: [DigitScene] = [], callbacks: [Callback] = [],
        afterValidation: ((Int, DetectorTestResult) throws -> Void)? = nil
    ) throws -> History {
        guard settings.epochs >= 1, settings.scenesPerEpoch >= 1, settings.batchSize >= 1 else {
            throw ModelError.invalidArgument(name: "settings", reason: "epochs, scenes per epoch and batch size must be positive")
        }
        let generator = try DigitSceneGenerator(
            source: digits, seed: settings.seed, sideRange: settings.sceneSide...settings.sceneSide)
        let loss = loss ?? DetectionLoss(classCount: self.settings.classCount)
        let steps = (settings.scenesPerEpoch + settings.batchSize - 1) / settings.batchSize
        let parameters = network.parameters
        let context = ForwardContext(isTraining: true, generator: RandomGenerator(seed: settings.seed &+ 0xD0D0))
        var history = History()
        func emit(_ event: TrainingEvent) -> Bool {
            callbacks.map { $0.handle(event) }.contains { $0 == .stopTraining }
        }
        _ = emit(.trainingBegan(epochs: settings.epochs, stepsPerEpoch: steps, samples: settings.scenesPerEpoch))
        for epoch in 1...settings.epochs {
            var stop = emit(.epochBegan(epoch: epoch))
            let clock = ContinuousClock()
            var seconds = 0.0
            var lossSum = 0.0, objects = 0, correct = 0, seen = 0
            for step in 1...steps {
                let start = clock.now
                let first = (epoch - 1) * settings.scenesPerEpoch + (step - 1) * settings.batchSize
                let count = min(settings.batchSize, settings.scenesPerEpoch - (step - 1) * settings.batchSize)
                let scenes = generator.scenes(first..<(first + count))
                let images = Tensor(shape: [count, settings.sceneSide, settings.sceneSide], scalars: scenes.flatMap(\.image.scalars))
                let targets = scenes.map(targets(for:))
                let outputs = outputs(images, context: context)
                let result = loss.evaluate(outputs.value, targets: targets)
                guard result.loss.isFinite else {
                    throw TrainingError.nonFiniteLoss(epoch: epoch, step: step, value: result.loss, history: history)
                }
                for parameter in parameters { parameter.grad = nil }
                outputs.backward(seed: result.gradient)
                optimizer.step(parameters)
                seconds += (clock.now - start).seconds
                lossSum += result.loss * Double(count)
                seen += count
                objects += result.objects
                correct += result.correctClasses
                if emit(.batchEnded(epoch: epoch, step: step, samplesSeen: seen, loss: lossSum / Double(seen),
                                    accuracy: Double(correct) / Double(max(objects, 1)))) {
                    stop = true
                }
            }
            var record = EpochRecord(
                epoch: epoch, loss: lossSum / Double(seen), accuracy: Double(correct) / Double(max(objects, 1)),
                validationLoss: nil, validationAccuracy: nil, seconds: seconds, samplesPerSecond: Double(seen) / max(seconds, 1e-9))
            let validated = validation.isEmpty ? nil : test(on: validation, loss: loss)
            record.validationLoss = validated?.loss
            record.validationAccuracy = validated?.classAccuracy
            history.epochs.append(record)
            if emit(.epochEnded(record)) { stop = true }
            if let validated { try afterValidation?(epoch, validated) }
            if stop { break }
        }
        _ = emit(.trainingEnded(history))
        return history
    }

    /// The targets of a scene on this detector's grid.
    public func targets(for scene: DigitScene) -> GridTargets {
        GridTargets(objects: scene.objects, height: scene.height, width: scene.width, stride: stride,
                    referenceSize: settings.referenceSize)
    }

    /// Detects in every scene and measures average precision, loss and class accuracy.
    public func test(on scenes: [DigitScene], loss: DetectionLoss? = nil, overlapThreshold: Float = 0.5) -> DetectorTestResult {
        let loss = loss ?? DetectionLoss(classCount: settings.classCount)
        var total = 0.0, objects = 0, correct = 0
        var detections: [[Detection]] = []
        for scene in scenes {
            let output = withoutGradients { outputs(scene.image.reshaped([1] + scene.image.shape)).value }
            let result = loss.evaluate(output, targets: [targets(for: scene)])
            total += result.loss
            objects += result.objects
            correct += result.correctClasses
            detections.append(self.detections(fromGrid: output, image: 0, height: scene.height, width: scene.width))
        }
        let evaluation = DetectionEvaluation(
            detections: detections, groundTruth: scenes.map(\.objects), classCount: settings.classCount,
            overlapThreshold: overlapThreshold)
        return DetectorTestResult(
            evaluation: evaluation, loss: total / Double(max(scenes.count, 1)),
            classAccuracy: Double(correct) / Double(max(objects, 1)), detections: detections)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) * 1e-18
    }
}
