import ArgumentParser
import Foundation
import Percept

/// `percept train detector`: the grid detector on generated scenes of MNIST digits.
struct TrainDetectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detector",
        abstract: "A single-shot grid detector (fully convolutional, stride 8) trained on generated scenes of MNIST digits.",
        discussion: """
            Each epoch trains on freshly generated square scenes of digits from the training split; the detector is \
            then evaluated on generated test scenes (100–200 px, 1–6 digits of 16–48 px, digits from the test split): \
            average precision at IoU 0.5 per class, mAP, and scenes per second on 200 × 200 scenes. \
            `percept scenes --seed S` writes the same test scenes as --test-seed S.
            Example: percept train detector --dataset mnist --data-dir ~/mnist --report detector.json --save detector.safetensors
            """)

    @OptionGroup var data: DataOptions

    @Flag(inversion: .prefixedNo, help: "Batch normalization after each hidden convolution.")
    var batchNorm = true

    @Option(help: "Passes over --scenes-per-epoch fresh training scenes.")
    var epochs: Int = 15

    @Option(help: "Generated training scenes per epoch.")
    var scenesPerEpoch: Int = 4000

    @Option(help: "The side of the square training scenes, in pixels (100 to 200).")
    var sceneSide: Int = 104

    @Option(help: "Scenes per gradient step.")
    var batchSize: Int = 8

    @Option(help: "Adam's learning rate.")
    var learningRate: Float = 0.002

    @Option(help: "Learning-rate schedule: cosine (decays to 1% of the rate by the last epoch) or constant.")
    var schedule: String = "cosine"

    @Option(help: "Seed for initialisation and the training scenes.")
    var seed: UInt64 = 0

    @Option(help: "Validation scenes (from the last 10% of the training digits, which training scenes then leave out) evaluated after each epoch; 0 for none.")
    var validationScenes: Int = 200

    @Option(help: "Generated test scenes to evaluate on.")
    var testScenes: Int = 1000

    @Option(help: "Seed of the test scenes (the --seed of percept scenes).")
    var testSeed: UInt64 = 0

    @Option(help: "200 × 200 scenes timed for scenes per second (one at a time, end to end).")
    var speedScenes: Int = 200

    @Option(help: "Threads the work is split between (default: all cores; OpenBLAS itself runs on one).")
    var threads: Int?

    @Option(help: ArgumentHelp("Write the JSON report to this file.", valueName: "file.json"))
    var report: String?

    @Option(help: ArgumentHelp("Write history.csv and training-curves.svg to this folder.", valueName: "dir"))
    var output: String?

    @Option(help: ArgumentHelp("Save the trained detector to this file (safetensors with the architecture).", valueName: "file"))
    var save: String?

    @Flag(help: "Print only the final result.")
    var quiet = false

    func validate() throws {
        guard data.dataset == "mnist" || data.dataset == "mnist-subset" else {
            throw ValidationError("the detector's scenes are made of digits: --dataset must be mnist or mnist-subset, got '\(data.dataset)'")
        }
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, got \(epochs)") }
        guard scenesPerEpoch >= 1 else { throw ValidationError("--scenes-per-epoch must be at least 1, got \(scenesPerEpoch)") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, got \(batchSize)") }
        guard (100...200).contains(sceneSide) else { throw ValidationError("--scene-side must be 100 to 200, got \(sceneSide)") }
        guard learningRate > 0, learningRate.isFinite else {
            throw ValidationError("--learning-rate must be positive, got \(learningRate)")
        }
        guard ["cosine", "constant"].contains(schedule) else {
            throw ValidationError("unknown schedule '\(schedule)'; available: cosine, constant")
        }
        guard validationScenes >= 0 else { throw ValidationError("--validation-scenes must not be negative, got \(validationScenes)") }
        guard testScenes >= 1 else { throw ValidationError("--test-scenes must be at least 1, got \(testScenes)") }
        guard speedScenes >= 1 else { throw ValidationError("--speed-scenes must be at least 1, got \(speedScenes)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    func run() throws {
        if let threads { BLAS.setThreadCount(threads) }
        AllocatorTuning.keepFreedMemoryForReuse()
        let (allTrain, test, datasetName) = try data.load()
        let held = validationScenes > 0 ? allTrain.count / 10 : 0
        let train = allTrain.subset(0..<(allTrain.count - held))
        let validation = try held > 0
            ? DigitSceneGenerator(source: allTrain.subset((allTrain.count - held)..<allTrain.count), seed: seed &+ 1)
                .scenes(0..<validationScenes)
            : []
        let detector = try GridDetector.untrained(
            classCount: train.classCount, batchNormalization: batchNorm, side: sceneSide, seed: seed)
        let optimizer = Adam(learningRate: learningRate)
        let scheduleRule: LearningRateSchedule = schedule == "cosine" ? .cosine(minimumFraction: 0.01) : .constant
        if !quiet { print(detector.network.summary()) }
        let testScenes = try DigitSceneGenerator(source: test, seed: testSeed).scenes(0..<testScenes)
        let settings = DetectorTrainingSettings(
            epochs: epochs, scenesPerEpoch: scenesPerEpoch, batchSize: batchSize, sceneSide: sceneSide, seed: seed)
        let history = try detector.train(
            on: train, settings: settings, optimizer: optimizer,
            validation: validation, callbacks: [scheduleRule.callback(for: optimizer), .progress(quiet ? .silent : .automatic)]
        ) { epoch, result in
            if !quiet { print("  validation mAP@0.5 \(fixed4(result.evaluation.meanAveragePrecision)) on \(validation.count) scenes") }
            // The latest detector is on disk after every epoch, so an interrupted run leaves a usable one.
            if let save { try DetectorFile.save(detector, to: URL(fileURLWithPath: save)) }
        }
        let trained = try detector.foldingBatchNormalization()

        let result = trained.test(on: testScenes)
        let speed = try scenesPerSecond(trained, digits: test, count: speedScenes, seed: testSeed &+ 1)
        let evaluation = result.evaluation
        let objects = testScenes.reduce(0) { $0 + $1.objects.count }
        print("grid detector on \(datasetName) scenes: mAP@0.5 \(fixed4(evaluation.meanAveragePrecision)) on "
            + "\(testScenes.count) test scenes (\(objects) digits), \(String(format: "%.1f", speed)) scenes/s at 200×200, "
            + "\(history.epochs.count) epochs in " + String(format: "%.1f", history.trainingSeconds) + " s")
        if !quiet {
            print("AP@0.5 per class: " + evaluation.averagePrecisions.enumerated().map { label, ap in
                "\(label) " + (ap.map(fixed4) ?? "n/a")
            }.joined(separator: ", "))
        }

        if let output {
            let directory = URL(fileURLWithPath: output, isDirectory: true)
            try writeTrainingOutputs(history: history, title: "grid detector on \(datasetName) scenes", to: directory)
            if !quiet { print("wrote \(directory.path)/history.csv and training-curves.svg") }
        }
        if let save {
            try DetectorFile.save(trained, to: URL(fileURLWithPath: save))
            if !quiet { print("wrote \(save)") }
        }
        if let report {
            let scenes = history.epochs.count * scenesPerEpoch
            let training = TrainingReport(
                model: "grid-detector", dataset: datasetName + "-scenes", loss: "detection", epochs: history.epochs.count,
                batchSize: batchSize, seed: seed, optimizer: "adam", learningRate: Double(learningRate), schedule: schedule,
                parameters: detector.network.parameterCount, trainSamples: scenes, testSamples: testScenes.count,
                testAccuracy: result.classAccuracy, testLoss: result.loss, trainSeconds: history.trainingSeconds,
                trainSamplesPerSecond: Double(scenes) / max(history.trainingSeconds, 1e-9), history: history.epochs,
                blasThreads: BLAS.threadCount, perceptVersion: perceptVersion)
            let detection = DetectionReport(
                training: training, map50: evaluation.meanAveragePrecision,
                averagePrecision: Dictionary(uniqueKeysWithValues: evaluation.averagePrecisions.enumerated().compactMap { label, ap in
                    ap.map { (String(label), $0) }
                }),
                testObjects: objects, testSeed: testSeed, scenesPerSecond: speed, speedScenes: speedScenes, sceneSide: sceneSide,
                scenesPerEpoch: scenesPerEpoch)
            try AtomicFileWriter.write(try reportJSON(detection), to: URL(fileURLWithPath: report))
            if !quiet { print("wrote \(report)") }
        }
    }
}

/// The report of `percept train detector`: the keys of every training report plus the detection
/// metrics. `test_accuracy` there is the share of test objects whose responsible grid cell
/// predicts the right class; `test_loss` the mean detection loss per test scene.
struct DetectionReport: Encodable {
    var training: TrainingReport
    /// mAP at IoU 0.5 over the classes with test objects.
    var map50: Double
    /// AP at IoU 0.5 per class, keyed by the class number.
    var averagePrecision: [String: Double]
    var testObjects: Int
    var testSeed: UInt64
    var scenesPerSecond: Double
    var speedScenes: Int
    var sceneSide: Int
    var scenesPerEpoch: Int

    enum CodingKeys: String, CodingKey {
        case map50
        case averagePrecision = "average_precision"
        case testObjects = "test_objects"
        case testSeed = "test_seed"
        case scenesPerSecond = "scenes_per_second"
        case speedScenes = "speed_scenes"
        case sceneSide = "train_scene_side"
        case scenesPerEpoch = "scenes_per_epoch"
    }

    func encode(to encoder: any Encoder) throws {
        try training.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(map50, forKey: .map50)
        try container.encode(averagePrecision, forKey: .averagePrecision)
        try container.encode(testObjects, forKey: .testObjects)
        try container.encode(testSeed, forKey: .testSeed)
        try container.encode(scenesPerSecond, forKey: .scenesPerSecond)
        try container.encode(speedScenes, forKey: .speedScenes)
        try container.encode(sceneSide, forKey: .sceneSide)
        try container.encode(scenesPerEpoch, forKey: .scenesPerEpoch)
    }
}
