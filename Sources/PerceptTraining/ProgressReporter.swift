import Foundation

/// How much `fit` prints.
public enum Verbosity: Sendable {
    /// Nothing.
    case silent
    /// A progress bar per epoch on a terminal, one plain line per epoch otherwise.
    case automatic
    /// One plain line per epoch, even on a terminal.
    case linePerEpoch
}

/// Prints training progress: on a terminal, a bar redrawn in place at most ten times a second with
/// ETA, running loss and accuracy and throughput; otherwise one line per epoch, with no carriage
/// returns, so that log files stay readable.
final class ProgressReporter {
    private let interactive: Bool
    private var epochs = 0
    private var stepsPerEpoch = 0
    private var epochStart = Stopwatch()
    private var lastDraw = Stopwatch()
    private var drewOnce = false

    private let sink: (String) -> Void

    /// Creates a reporter writing to standard output (a bar only if it is a terminal).
    convenience init(verbosity: Verbosity) {
        self.init(interactive: verbosity == .automatic && isatty(STDOUT_FILENO) == 1) { text in
            // Through stdio, like `print`, so the two stay in order; flushed so a bar shows at once.
            print(text, terminator: "")
            fflush(nil)
        }
    }

    /// Creates a reporter writing to `sink`.
    init(interactive: Bool, sink: @escaping (String) -> Void) {
        self.interactive = interactive
        self.sink = sink
    }

    var callback: Callback {
        Callback { [self] event in
            handle(event)
            return .proceed
        }
    }

    private func handle(_ event: TrainingEvent) {
        switch event {
        case let .trainingBegan(epochs, stepsPerEpoch, _):
            self.epochs = epochs
            self.stepsPerEpoch = stepsPerEpoch
        case .epochBegan:
            epochStart = Stopwatch()
            drewOnce = false
        case let .batchEnded(epoch, step, samplesSeen, loss, accuracy):
            guard interactive, step == 1 || step == stepsPerEpoch || lastDraw.seconds >= 0.1 else { return }
            lastDraw = Stopwatch()
            drewOnce = true
            let elapsed = epochStart.seconds
            let remaining = elapsed / Double(step) * Double(stepsPerEpoch - step)
            let rate = Double(samplesSeen) / max(elapsed, 1e-9)
            write("\r\u{1B}[2K" + epochLabel(epoch) + "  " + bar(step) + "  \(step)/\(stepsPerEpoch)  ETA "
                + duration(remaining) + "  loss \(fixed(loss, 4))  accuracy \(fixed(accuracy, 4))  "
                + "\(Int(rate.rounded())) samples/s")
        case let .epochEnded(record):
            var line = epochLabel(record.epoch) + "  \(stepsPerEpoch)/\(stepsPerEpoch)  " + duration(record.seconds)
                + "  loss \(fixed(record.loss, 4))  accuracy \(fixed(record.accuracy, 4))"
            if let validationLoss = record.validationLoss, let validationAccuracy = record.validationAccuracy {
                line += "  val_loss \(fixed(validationLoss, 4))  val_accuracy \(fixed(validationAccuracy, 4))"
            }
            line += "  \(Int(record.samplesPerSecond.rounded())) samples/s"
            write((interactive && drewOnce ? "\r\u{1B}[2K" : "") + line + "\n")
        case .trainingEnded, .progressSaved:
            break
        }
    }

    private func epochLabel(_ epoch: Int) -> String {
        let width = String(epochs).count
        let number = String(epoch)
        return "Epoch " + String(repeating: " ", count: width - number.count) + number + "/\(epochs)"
    }

    private func bar(_ step: Int) -> String {
        let width = 24
        let filled = stepsPerEpoch == 0 ? width : width * step / stepsPerEpoch
        let head = filled < width ? ">" : ""
        return "[" + String(repeating: "=", count: filled) + head
            + String(repeating: ".", count: max(0, width - filled - head.count)) + "]"
    }

    private func write(_ text: String) {
        sink(text)
    }
}

/// `value` with `digits` decimals.
func fixed(_ value: Double, _ digits: Int) -> String {
    String(format: "%.\(digits)f", value)
}

/// Seconds as `0.8s`, `42s` or `3m05s`.
func duration(_ seconds: Double) -> String {
    if !seconds.isFinite { return "?" }
    if seconds < 10 { return fixed(seconds, 1) + "s" }
    if seconds < 60 { return "\(Int(seconds.rounded()))s" }
    let whole = Int(seconds.rounded())
    return "\(whole / 60)m" + String(format: "%02d", whole % 60) + "s"
}

/// Measures elapsed wall-clock time from its creation.
struct Stopwatch {
    private let start = DispatchTime.now().uptimeNanoseconds

    /// Seconds since creation.
    var seconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}

extension Callback {
    /// A callback that prints progress as ``PerceptNN/Sequential/fit(_:_:epochs:batchSize:validationSplit:validationData:shuffle:seed:callbacks:verbose:resumingFrom:)``
    /// does, for training loops of one's own that emit ``TrainingEvent``s.
    public static func progress(_ verbosity: Verbosity) -> Callback {
        verbosity == .silent ? Callback { _ in .proceed } : ProgressReporter(verbosity: verbosity).callback
    }
}
