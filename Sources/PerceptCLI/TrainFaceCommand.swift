import ArgumentParser
import Foundation
import Percept

/// `percept train face-cnn`: face recognition on the Yale or AT&T faces, trained and tested on
/// several seeded splits stratified by subject, with the mean test accuracy as the result.
struct TrainFaceCNNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "face-cnn",
        abstract: "Face recognition (yale-faces, att-faces): 3 conv blocks with batch norm, mirrored and shifted faces, averaged over seeded splits.",
        discussion: """
            Each split takes --train-per-identity images of every subject for training and the next \
            --test-per-identity for testing, at random from the split's seed (--seed + split number); \
            test_accuracy in the report is the mean over the splits.

            Example: percept train face-cnn --dataset yale-faces --data-dir ../shared/data/yalefaces --report yale.json
            """)

    @Option(help: "The dataset: yale-faces (15 subjects × 11) or att-faces (40 subjects × 10).")
    var dataset: String = FaceDataset.yale.rawValue

    @Option(help: ArgumentHelp("The unpacked data set: yalefaces.zip's folder of subjectNN.condition files, or "
                               + "att_faces.zip's folder of sN/M.pgm (default: $PERCEPT_DATA_DIR).", valueName: "dir"))
    var dataDir: String?

    @Option(help: "Seeded train/test splits to average over.")
    var splits: Int = 5

    @Option(help: "Training images per subject (default: 8 for yale-faces, 7 for att-faces).")
    var trainPerIdentity: Int?

    @Option(help: "Test images per subject (default: 3).")
    var testPerIdentity: Int?

    @Option(help: "Passes over the training images of each split.")
    var epochs: Int = 100

    @Option(help: "Faces per gradient step.")
    var batchSize: Int = 8

    @Option(help: "Adam's learning rate (cosine decay to 1% by the last epoch).")
    var learningRate: Float = 0.003

    @Option(help: "Seed of the first split (splits use seed, seed + 1, …) for the split, initialisation and shuffling.")
    var seed: UInt64 = 1

    @Flag(inversion: .prefixedNo, help: "Random mirroring and shifts of the training faces.")
    var augment = true

    @Option(help: "Threads the work is split between (default: all cores; OpenBLAS itself runs on one).")
    var threads: Int?

    @Option(help: ArgumentHelp("Write the JSON report to this file.", valueName: "file.json"))
    var report: String?

    @Option(help: ArgumentHelp("Write the confusion matrix of all splits' test faces to this SVG file.", valueName: "file.svg"))
    var confusion: String?

    @Option(help: ArgumentHelp("Save the network of the first split to this file.", valueName: "file"))
    var save: String?

    @Flag(help: "Print only the final result.")
    var quiet = false

    func validate() throws {
        guard FaceDataset(rawValue: dataset) != nil else {
            throw ValidationError("unknown dataset '\(dataset)'; available: " + FaceDataset.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard splits >= 1 else { throw ValidationError("--splits must be at least 1, got \(splits)") }
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        guard learningRate > 0, learningRate.isFinite else { throw ValidationError("--learning-rate must be positive, got \(learningRate)") }
        if let trainPerIdentity, trainPerIdentity < 1 { throw ValidationError("--train-per-identity must be at least 1") }
        if let testPerIdentity, testPerIdentity < 1 { throw ValidationError("--test-per-identity must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    mutating func run() throws {
        let faces = FaceDataset(rawValue: dataset)!
        if let threads { BLAS.setThreadCount(threads) }
        AllocatorTuning.keepFreedMemoryForReuse()
        guard let directory = dataDir ?? ProcessInfo.processInfo.environment["PERCEPT_DATA_DIR"] else {
            throw ValidationError("give the data set's folder with --data-dir (download: \(faces.canonicalURL))")
        }
        let folder = try faces.imageFolder(at: URL(fileURLWithPath: directory))
        let trainCount = trainPerIdentity ?? faces.defaultSplit.train
        let testCount = testPerIdentity ?? faces.defaultSplit.test
        let images = try folder.loadImages(prepare: faces.prepare)
        let (width, height) = faces.faceSize
        if !quiet {
            print("\(dataset): \(images.count) faces of \(folder.classNames.count) subjects from \(directory), "
                + "prepared as \(width) × \(height) gray; \(splits) splits of \(trainCount) train / \(testCount) test per subject")
        }

        let classes = folder.classNames.count
        var results: [FaceSplitResult] = []
        var firstHistory: History?
        var parameters = 0
        var correct = [Int](repeating: 0, count: classes), tested = [Int](repeating: 0, count: classes)
        var allLabels: [Int] = [], allPredictions: [Int] = []
        for split in 0..<splits {
            let splitSeed = seed + UInt64(split)
            let (trainIndices, testIndices) = try folder.stratifiedSplit(trainPerClass: trainCount, testPerClass: testCount, seed: splitSeed)
            let trainX = FaceDataset.features(of: trainIndices.map { images[$0] })
            let testX = FaceDataset.features(of: testIndices.map { images[$0] })
            let trainY = trainIndices.map { folder.labels[$0] }, testY = testIndices.map { folder.labels[$0] }

            let network = ModelZoo.faceCNN(inputShape: [height, width, 1], classes: classes, augment: augment)
            try network.build(inputShape: [height, width, 1], seed: splitSeed)
            let optimizer = Adam(learningRate: learningRate)
            network.compile(optimizer: optimizer, loss: .crossEntropy)
            if split == 0 && !quiet { print(network.summary()) }
            parameters = network.parameterCount
            let history = try network.fit(
                trainX, trainY, epochs: epochs, batchSize: batchSize, validationSplit: 0, seed: splitSeed,
                callbacks: [LearningRateSchedule.cosine(minimumFraction: 0.01).callback(for: optimizer)],
                verbose: quiet ? .silent : .automatic)
            let evaluation = try network.evaluate(testX, testY)
            let predictions = try network.predictClasses(testX)
            for (label, prediction) in zip(testY, predictions) {
                tested[label] += 1
                if label == prediction { correct[label] += 1 }
            }
            allLabels += testY
            allPredictions += predictions
            results.append(FaceSplitResult(
                seed: splitSeed, testAccuracy: evaluation.accuracy, testLoss: evaluation.loss,
                trainSeconds: history.trainingSeconds))
            if split == 0 {
                firstHistory = history
                if let save {
                    try ModelFile.save(network, to: URL(fileURLWithPath: save))
                    if !quiet { print("wrote \(save)") }
                }
            }
            if !quiet {
                print("split \(split + 1)/\(splits) (seed \(splitSeed)): test accuracy \(fixed4(evaluation.accuracy)) "
                    + "(\(testY.count) faces), \(history.epochs.count) epochs in " + String(format: "%.1f", history.trainingSeconds) + " s")
            }
        }

        let accuracies = results.map(\.testAccuracy)
        let mean = accuracies.reduce(0, +) / Double(accuracies.count)
        let deviation = (accuracies.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(accuracies.count)).squareRoot()
        let seconds = results.map(\.trainSeconds).reduce(0, +)
        print("face-cnn on \(dataset): mean test accuracy \(fixed4(mean)) ± \(fixed4(deviation)) over \(splits) "
            + "\(splits == 1 ? "split" : "splits") (" + accuracies.map(fixed4).joined(separator: ", ") + "), "
            + "\(epochs) epochs each, " + String(format: "%.1f", seconds) + " s of training")

        let names = folder.classNames
        if let path = confusion {
            let matrix = try ConfusionMatrix(labels: allLabels, predictions: allPredictions, classNames: names)
            try AtomicFileWriter.write(
                matrix.svg(title: "Confusion matrix: face-cnn on \(dataset), \(splits) splits"), to: URL(fileURLWithPath: path))
            if !quiet { print("wrote \(path)") }
        }
        if let path = report {
            let samples = Double(trainCount * classes * epochs * splits)
            let perIdentity = Dictionary(uniqueKeysWithValues: names.indices.map {
                (names[$0], tested[$0] == 0 ? 0 : Double(correct[$0]) / Double(tested[$0]))
            })
            let summary = TrainingReport(
                model: "face-cnn", dataset: dataset, loss: Loss.crossEntropy.rawValue, epochs: epochs, batchSize: batchSize,
                seed: seed, optimizer: "adam", learningRate: Double(learningRate), schedule: "cosine",
                parameters: parameters, trainSamples: trainCount * classes, testSamples: testCount * classes,
                testAccuracy: mean, testLoss: results.map(\.testLoss).reduce(0, +) / Double(results.count),
                trainSeconds: seconds, trainSamplesPerSecond: samples / max(seconds, 1e-9),
                history: firstHistory?.epochs ?? [], blasThreads: BLAS.threadCount, perceptVersion: perceptVersion)
            let report = FaceTrainingReport(
                summary: summary, testAccuracyStandardDeviation: deviation, splits: results, perIdentityAccuracy: perIdentity,
                trainPerIdentity: trainCount, testPerIdentity: testCount, faceWidth: width, faceHeight: height, augment: augment)
            try AtomicFileWriter.write(try reportJSON(report), to: URL(fileURLWithPath: path))
            if !quiet { print("wrote \(path)") }
        }
    }
}

/// The result of one seeded split.
struct FaceSplitResult: Codable {
    var seed: UInt64
    var testAccuracy: Double
    var testLoss: Double
    var trainSeconds: Double

    enum CodingKeys: String, CodingKey {
        case seed
        case testAccuracy = "test_accuracy"
        case testLoss = "test_loss"
        case trainSeconds = "train_seconds"
    }
}

/// The JSON report of `percept train face-cnn`: every key of ``TrainingReport`` (`test_accuracy` and
/// `test_loss` the means over the splits, `train_seconds` their sum, `history` the first split's,
/// `train_samples` and `test_samples` per split), then each split, each subject's accuracy over all
/// splits, and the split and image settings, in one JSON object.
struct FaceTrainingReport: Encodable {
    var summary: TrainingReport
    var testAccuracyStandardDeviation: Double
    var splits: [FaceSplitResult]
    var perIdentityAccuracy: [String: Double]
    var trainPerIdentity: Int
    var testPerIdentity: Int
    var faceWidth: Int
    var faceHeight: Int
    var augment: Bool

    enum CodingKeys: String, CodingKey {
        case splits, augment
        case testAccuracyStandardDeviation = "test_accuracy_std"
        case perIdentityAccuracy = "per_identity_accuracy"
        case trainPerIdentity = "train_per_identity"
        case testPerIdentity = "test_per_identity"
        case faceWidth = "face_width"
        case faceHeight = "face_height"
    }

    func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(testAccuracyStandardDeviation, forKey: .testAccuracyStandardDeviation)
        try container.encode(splits, forKey: .splits)
        try container.encode(perIdentityAccuracy, forKey: .perIdentityAccuracy)
        try container.encode(trainPerIdentity, forKey: .trainPerIdentity)
        try container.encode(testPerIdentity, forKey: .testPerIdentity)
        try container.encode(faceWidth, forKey: .faceWidth)
        try container.encode(faceHeight, forKey: .faceHeight)
        try container.encode(augment, forKey: .augment)
    }
}
