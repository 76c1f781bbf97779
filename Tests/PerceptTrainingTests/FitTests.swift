import PerceptAutograd
import PerceptNN
import PerceptTensor
@testable import PerceptTraining
import Foundation
import Testing

/// Two Gaussian blobs per class in 2-D, with integer labels.
func blobs(count: Int, classes: Int = 3, seed: UInt64) -> (Tensor, [Int]) {
    var generator = RandomGenerator(seed: seed)
    var scalars: [Float] = []
    var labels: [Int] = []
    for i in 0..<count {
        let label = i % classes
        let angle = Float(label) * 2 * .pi / Float(classes)
        scalars += [3 * cosf(angle) + 0.5 * generator.nextNormal(), 3 * sinf(angle) + 0.5 * generator.nextNormal()]
        labels.append(label)
    }
    return (Tensor(shape: [count, 2], scalars: scalars), labels)
}

func smallModel(loss: Loss = .crossEntropy) -> Sequential {
    let model = Sequential {
        Dense(16, activation: .relu)
        Dense(3, activation: loss == .squaredError ? .softmax : .linear)
    }
    model.compile(optimizer: Adam(learningRate: 0.01), loss: loss)
    return model
}

@Suite("fit, evaluate, predict")
struct FitTests {
    @Test(arguments: [Loss.crossEntropy, .squaredError])
    func learnsSeparableBlobs(loss: Loss) throws {
        let (x, y) = blobs(count: 300, seed: 1)
        let model = smallModel(loss: loss)
        let history = try model.fit(x, y, epochs: 15, batchSize: 16, seed: 4, verbose: .silent)
        #expect(history.epochs.count == 15)
        #expect(history.epochs.last!.loss < history.epochs.first!.loss)
        let (testX, testY) = blobs(count: 150, seed: 2)
        #expect(try model.evaluate(testX, testY).accuracy > 0.95)
        let probabilities = try model.predict(testX)
        #expect(probabilities.shape == [150, 3])
        if loss == .crossEntropy {
            for row in 0..<150 {
                let total = (0..<3).reduce(Float(0)) { $0 + probabilities[row, $1] }
                #expect(abs(total - 1) < 1e-5)
            }
        }
        #expect(try model.predictClasses(testX) == probabilities.argmaxRows())
    }

    @Test func sameSeedGivesTheSameHistoryAndAnotherSeedDoesNot() throws {
        let (x, y) = blobs(count: 120, seed: 3)
        func run(_ seed: UInt64) throws -> [Double] {
            let model = Sequential {
                Dense(8, activation: .relu)
                Dropout(0.3)
                Dense(3)
            }
            model.compile(optimizer: Adam(learningRate: 0.01), loss: .crossEntropy)
            return try model.fit(x, y, epochs: 3, batchSize: 10, validationSplit: 0.2, seed: seed, verbose: .silent)
                .epochs.flatMap { [$0.loss, $0.accuracy, $0.validationLoss!, $0.validationAccuracy!] }
        }
        #expect(try run(7) == (try run(7)))
        #expect(try run(7) != (try run(8)))
    }

    @Test func validationSplitHoldsOutTheLastSamples() throws {
        let (x, y) = blobs(count: 100, seed: 5)
        let model = smallModel()
        var seen = 0
        let counter = Callback { event in
            if case let .trainingBegan(_, steps, samples) = event {
                seen = samples
                #expect(steps == 8)  // 80 samples in batches of 10
            }
            return .proceed
        }
        let history = try model.fit(x, y, epochs: 1, batchSize: 10, validationSplit: 0.2, callbacks: [counter], verbose: .silent)
        #expect(seen == 80)
        let held = try model.evaluate(x.rows(80..<100), Array(y[80...]))
        #expect(abs(history.epochs[0].validationAccuracy! - held.accuracy) < 1e-12)
    }

    @Test func shapeErrorsSayWhatWasExpected() throws {
        let model = Sequential {
            Flatten()
            Dense(3)
        }
        model.compile(optimizer: SGD(), loss: .crossEntropy)
        try model.build(inputShape: [2, 2])
        let wrong = Tensor(zeros: [5, 3, 3])
        do {
            try model.fit(wrong, [0, 1, 2, 0, 1], verbose: .silent)
            Issue.record("fit accepted a wrong shape")
        } catch let error as ModelError {
            #expect(error.description == "x has shape [5, 3, 3] but the model expects [n, 2, 2] (n samples)")
        }
        #expect(throws: ModelError.sampleCountMismatch(samples: 2, labels: 3)) {
            try model.fit(Tensor(zeros: [2, 2, 2]), [0, 1, 2], verbose: .silent)
        }
        #expect(throws: ModelError.labelOutOfRange(index: 1, label: 7, classes: 3)) {
            try model.fit(Tensor(zeros: [2, 2, 2]), [0, 7], verbose: .silent)
        }
        #expect(throws: ModelError.notCompiled) {
            try Sequential { Dense(1) }.fit(Tensor(zeros: [1, 1]), [0], verbose: .silent)
        }
    }

    @Test func aNonFiniteLossStopsTrainingAndKeepsTheWeightsFromBeforeThatStep() throws {
        var (x, y) = blobs(count: 40, seed: 6)
        x.withUnsafeMutableBufferPointer { $0[2 * 25] = .nan }  // sample 25 is in step 3 with batches of 10
        let model = Sequential { Dense(3) }  // linear, so the NaN reaches the loss
        model.compile(optimizer: Adam(learningRate: 0.01), loss: .crossEntropy)
        var weightsAfterStep2: [Tensor] = []
        let recorder = Callback { event in
            if case .batchEnded(_, 2, _, _, _) = event { weightsAfterStep2 = model.parameters.map(\.value) }
            return .proceed
        }
        do {
            try model.fit(x, y, epochs: 2, batchSize: 10, shuffle: false, callbacks: [recorder], verbose: .silent)
            Issue.record("training went on with a NaN loss")
        } catch let error as TrainingError {
            guard case let .nonFiniteLoss(epoch, step, _, history) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(epoch == 1 && step == 3)
            #expect(history.epochs.isEmpty)
            #expect(error.description.contains("epoch 1, step 3"))
        }
        #expect(model.parameters.map(\.value) == weightsAfterStep2)
    }

    @Test(arguments: ["sgd", "nesterov", "rmsprop", "adam"])
    func everyOptimizerStopsOnAnExplodingLoss(name: String) throws {
        let (x, y) = blobs(count: 64, seed: 9)
        let model = Sequential {
            Dense(16, activation: .relu)
            Dense(3, activation: .softmax)
        }
        let rate: Float = 1e30
        let optimizer: any Optimizer = switch name {
        case "sgd": SGD(learningRate: rate)
        case "nesterov": SGD(learningRate: rate, momentum: 0.9, nesterov: true)
        case "rmsprop": RMSprop(learningRate: rate)
        default: Adam(learningRate: rate)
        }
        model.compile(optimizer: optimizer, loss: .squaredError)
        #expect(throws: TrainingError.self) {
            try model.fit(x, y, epochs: 20, batchSize: 8, verbose: .silent)
        }
        let finite = model.parameters.allSatisfy { $0.value.isFinite }
        #expect(finite, "weights stay finite after the stop")
    }

    @Test func earlyStoppingEndsTrainingWhenTheLossStalls() throws {
        let (x, y) = blobs(count: 60, seed: 7)
        let model = smallModel()
        model.compile(optimizer: SGD(learningRate: 0), loss: .crossEntropy)  // nothing improves
        let history = try model.fit(x, y, epochs: 50, batchSize: 10, shuffle: false,
                                    callbacks: [.earlyStopping(patience: 2)], verbose: .silent)
        #expect(history.epochs.count == 3)
    }
}

@Suite("Progress output")
struct ProgressTests {
    func run(interactive: Bool) throws -> String {
        let (x, y) = blobs(count: 50, seed: 8)
        var text = ""
        let reporter = ProgressReporter(interactive: interactive) { text += $0 }
        let model = smallModel()
        try model.fit(x, y, epochs: 3, batchSize: 10, validationSplit: 0.2, callbacks: [reporter.callback], verbose: .silent)
        return text
    }

    @Test func logFilesGetOnePlainLinePerEpoch() throws {
        let text = try run(interactive: false)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(!text.contains("\r"))
        #expect(lines[0].hasPrefix("Epoch 1/3  4/4  "))
        #expect(lines[2].contains("val_accuracy"))
        #expect(lines[2].contains("samples/s"))
    }

    @Test func terminalsGetABarWithETA() throws {
        let text = try run(interactive: true)
        #expect(text.contains("\r"))
        #expect(text.contains("ETA"))
        #expect(text.contains("[") && text.contains("="))
        #expect(text.split(separator: "\n").count == 3)
    }
}

@Suite("Learning-rate schedules")
struct ScheduleTests {
    @Test func cosineGoesFromTheRateToItsFloor() {
        let schedule = LearningRateSchedule.cosine(minimumFraction: 0.01)
        #expect(schedule.rate(epoch: 1, of: 5, initial: 0.1) == 0.1)
        #expect(abs(schedule.rate(epoch: 3, of: 5, initial: 0.1) - 0.1 * (0.01 + 0.99 * 0.5)) < 1e-7)
        #expect(abs(schedule.rate(epoch: 5, of: 5, initial: 0.1) - 0.001) < 1e-7)
        #expect(LearningRateSchedule.exponential(factor: 0.5).rate(epoch: 3, of: 5, initial: 1) == 0.25)
    }

    @Test func theCallbackSetsTheOptimizerRateEachEpoch() throws {
        let (x, y) = blobs(count: 20, seed: 1)
        let optimizer = SGD(learningRate: 0.1)
        let model = Sequential { Dense(3) }
        model.compile(optimizer: optimizer, loss: .crossEntropy)
        var rates: [Float] = []
        let spy = Callback { event in
            if case .batchEnded(_, 1, _, _, _) = event { rates.append(optimizer.learningRate) }
            return .proceed
        }
        let schedule = LearningRateSchedule.exponential(factor: 0.5)
        try model.fit(x, y, epochs: 3, batchSize: 20, callbacks: [schedule.callback(for: optimizer), spy], verbose: .silent)
        #expect(rates == [0.1, 0.05, 0.025])
    }
}
