import PerceptData
import PerceptTensor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The ground truth of one image in a ``GridDetector``'s output layout: which cells hold an
/// object's centre and what they should predict.
public struct GridTargets: Sendable, Equatable {
    /// What one responsible cell should predict.
    public struct Assignment: Sendable, Equatable {
        /// The cell, as `row · columns + column`.
        public var cell: Int
        /// The centre's offset from the cell's centre, in cells (each in `[−0.5, 0.5)`).
        public var offsetX: Float, offsetY: Float
        /// `log(width / referenceSize)` and `log(height / referenceSize)`.
        public var logWidth: Float, logHeight: Float
        /// The object's class.
        public var label: Int
    }

    /// The grid's rows and columns.
    public var rows: Int, columns: Int
    /// The responsible cells, in increasing cell order.
    public var assignments: [Assignment]

    /// The targets of `objects` on a grid of `stride`-pixel cells covering `height` × `width`.
    ///
    /// The cell holding an object's centre is responsible for it; when two centres fall into the
    /// same cell, the larger box keeps the cell (the other object is then counted as missed at
    /// evaluation, which the generated scenes' overlap limit makes rare).
    public init(objects: [LabeledBox], height: Int, width: Int, stride: Int, referenceSize: Float) {
        rows = (height + stride - 1) / stride
        columns = (width + stride - 1) / stride
        var byCell: [Int: (LabeledBox, Assignment)] = [:]
        let size = Float(stride)
        for object in objects where object.box.area > 0 {
            let column = min(max(Int((object.box.centerX / size).rounded(.down)), 0), columns - 1)
            let row = min(max(Int((object.box.centerY / size).rounded(.down)), 0), rows - 1)
            let assignment = Assignment(
                cell: row * columns + column,
                offsetX: object.box.centerX / size - Float(column) - 0.5, offsetY: object.box.centerY / size - Float(row) - 0.5,
                logWidth: logf(object.box.width / referenceSize), logHeight: logf(object.box.height / referenceSize),
                label: object.label)
            if let existing = byCell[assignment.cell], existing.0.box.area >= object.box.area { continue }
            byCell[assignment.cell] = (object, assignment)
        }
        assignments = byCell.values.map(\.1).sorted { $0.cell < $1.cell }
    }
}

/// The training objective of a ``GridDetector``, summed over cells and averaged over images:
///
///     L = Σ_cells BCE(o, 1[cell responsible])
///       + boxWeight · Σ_responsible ((tx − t̂x)² + (ty − t̂y)² + (tw − t̂w)² + (th − t̂h)²)
///       + Σ_responsible −log softmax(logits)_label
///
/// where `BCE(o, t) = max(o, 0) − o·t + log(1 + e^−|o|)` is the binary cross-entropy of the
/// objectness logit `o`. Box and class terms apply only to the cells responsible for an object
/// (see ``GridTargets``). Its gradient with respect to every output is
/// `σ(o) − t` for objectness, `2 · boxWeight · (t − t̂)` for the box values and
/// `softmax(logits) − onehot(label)` for the class logits, each divided by the number of images.
public struct DetectionLoss: Sendable {
    /// The weight of the box regression term.
    public var boxWeight: Float
    /// The number of classes (the output has `5 + classCount` channels).
    public var classCount: Int

    /// The loss for `classCount` classes.
    public init(classCount: Int, boxWeight: Float = 5) {
        self.classCount = classCount
        self.boxWeight = boxWeight
    }

    /// The loss's value, its parts, and its gradient with respect to the outputs.
    public struct Result: Sendable {
        /// The total loss per image.
        public var loss: Double
        /// The objectness, box and class parts of ``loss``.
        public var objectness: Double, box: Double, classification: Double
        /// The number of responsible cells and how many of them predict the right class.
        public var objects: Int, correctClasses: Int
        /// `∂L/∂outputs`, shaped like the outputs.
        public var gradient: Tensor
    }

    /// Evaluates the loss of grid `outputs` `[n, rows, columns, 5 + classCount]` against one
    /// ``GridTargets`` per image.
    public func evaluate(_ outputs: Tensor, targets: [GridTargets]) -> Result {
        precondition(outputs.rank == 4, "DetectionLoss expects outputs [n, rows, columns, channels], got \(outputs.shape)")
        let (n, rows, columns, channels) = (outputs.shape[0], outputs.shape[1], outputs.shape[2], outputs.shape[3])
        precondition(channels == GridDetector.boxChannels + classCount,
                     "DetectionLoss: \(channels) channels for \(classCount) classes")
        precondition(targets.count == n, "DetectionLoss: \(targets.count) targets for \(n) images")
        let cells = rows * columns
        let scale = 1 / Float(max(n, 1))
        var objectnessLoss = 0.0, boxLoss = 0.0, classLoss = 0.0
        var objects = 0, correct = 0
        var gradient = Tensor(zeros: outputs.shape)
        outputs.withUnsafeBufferPointer { values in
            gradient.withUnsafeMutableBufferPointer { grad in
                for image in 0..<n {
                    let target = targets[image]
                    precondition(target.rows == rows && target.columns == columns,
                                 "DetectionLoss: targets for a \(target.rows)×\(target.columns) grid, outputs \(rows)×\(columns)")
                    // Objectness: every cell, target 0 unless responsible.
                    var responsible = Set(target.assignments.map(\.cell))
                    for cell in 0..<cells {
                        let index = (image * cells + cell) * channels
                        let o = values[index]
                        let t: Float = responsible.remove(cell) != nil ? 1 : 0
                        objectnessLoss += Double(max(o, 0) - o * t + log1pf(expf(-abs(o))))
                        grad[index] = (stableSigmoid(o) - t) * scale
                    }
                    for assignment in target.assignments {
                        let index = (image * cells + assignment.cell) * channels
                        let wanted = [assignment.offsetX, assignment.offsetY, assignment.logWidth, assignment.logHeight]
                        for (k, value) in wanted.enumerated() {
                            let difference = values[index + 1 + k] - value
                            boxLoss += Double(boxWeight * difference * difference)
                            grad[index + 1 + k] = 2 * boxWeight * difference * scale
                        }
                        let logits = index + GridDetector.boxChannels
                        var largest = -Float.infinity
                        var best = 0
                        for k in 0..<classCount where values[logits + k] > largest {
                            largest = values[logits + k]
                            best = k
                        }
                        var total: Float = 0
                        for k in 0..<classCount { total += expf(values[logits + k] - largest) }
                        classLoss += Double(logf(total) - (values[logits + assignment.label] - largest))
                        for k in 0..<classCount {
                            let probability = expf(values[logits + k] - largest) / total
                            grad[logits + k] = (probability - (k == assignment.label ? 1 : 0)) * scale
                        }
                        objects += 1
                        if best == assignment.label { correct += 1 }
                    }
                }
            }
        }
        let perImage = 1 / Double(max(n, 1))
        return Result(
            loss: (objectnessLoss + boxLoss + classLoss) * perImage, objectness: objectnessLoss * perImage,
            box: boxLoss * perImage, classification: classLoss * perImage, objects: objects, correctClasses: correct,
            gradient: gradient)
    }
}
