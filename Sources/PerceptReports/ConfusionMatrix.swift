/// Counts of (true class, predicted class) pairs, and its chart as SVG.
public struct ConfusionMatrix: Sendable, Equatable {
    /// `counts[t][p]`: how many samples of true class `t` were predicted as `p`.
    public private(set) var counts: [[Int]]
    /// The class names, by label.
    public let classNames: [String]

    /// Tallies `predictions` against `labels`.
    ///
    /// - Throws: ``ReportDataError`` when the two differ in length or a class lies outside
    ///   `0..<classNames.count`.
    public init(labels: [Int], predictions: [Int], classNames: [String]) throws(ReportDataError) {
        guard labels.count == predictions.count else {
            throw .invalidData("confusion matrix: \(labels.count) labels but \(predictions.count) predictions")
        }
        let k = classNames.count
        var counts = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        for (index, (label, prediction)) in zip(labels, predictions).enumerated() {
            guard (0..<k).contains(label), (0..<k).contains(prediction) else {
                throw .invalidData(
                    "confusion matrix: sample \(index) has label \(label) and prediction \(prediction); both must lie in 0..<\(k)")
            }
            counts[label][prediction] += 1
        }
        self.counts = counts
        self.classNames = classNames
    }

    /// The fraction of samples on the diagonal.
    public var accuracy: Double {
        let total = counts.joined().reduce(0, +)
        return total == 0 ? 0 : Double(counts.indices.reduce(0) { $0 + counts[$1][$1] }) / Double(total)
    }

    /// The matrix as an SVG heat map: rows are true classes, columns predicted ones, each cell
    /// shaded by its share of its row and labelled with its count.
    public func svg(title: String) -> String {
        let k = counts.count
        let cell = 44.0
        let labelWidth = Double(classNames.map { estimatedTextWidth($0, fontSize: 12) }.max() ?? 20) + 16
        let top = 64.0
        let left = labelWidth + 24
        let width = left + Double(k) * cell + 20
        let height = top + Double(k) * cell + labelWidth + 30
        var body = SVGBuilder()
        body.text(title, x: width / 2, y: 22, size: 15, anchor: "middle", weight: "bold")
        body.text("accuracy \(ReportNumberFormat.fixed(accuracy, decimals: 4))", x: width / 2, y: 42, size: 12, anchor: "middle")
        body.text("true class", x: 14, y: top + Double(k) * cell / 2, size: 12, anchor: "middle",
                  extra: [("transform", "rotate(-90 14 \(svgNumber(top + Double(k) * cell / 2)))")])
        for (row, counts) in counts.enumerated() {
            let rowTotal = max(counts.reduce(0, +), 1)
            body.text(classNames[row], x: left - 6, y: top + (Double(row) + 0.5) * cell + 4, size: 12, anchor: "end")
            for (column, count) in counts.enumerated() {
                let share = Double(count) / Double(rowTotal)
                let x = left + Double(column) * cell
                let y = top + Double(row) * cell
                // White to the palette's blue, by the share of the row.
                let shade = { (full: Double) in Int((255 - (255 - full) * share).rounded()) }
                let fill = "rgb(\(shade(31)),\(shade(119)),\(shade(180)))"
                body.element("rect", [("x", svgNumber(x)), ("y", svgNumber(y)), ("width", svgNumber(cell)),
                                      ("height", svgNumber(cell)), ("fill", fill), ("stroke", "#ffffff")])
                body.text("\(count)", x: x + cell / 2, y: y + cell / 2 + 4, size: 11, anchor: "middle",
                          fill: share > 0.5 ? "#ffffff" : "#222222")
            }
        }
        let bottom = top + Double(k) * cell
        for (column, name) in classNames.enumerated() {
            let x = left + (Double(column) + 0.5) * cell
            body.text(name, x: x, y: bottom + 10, size: 12, anchor: "end",
                      extra: [("transform", "rotate(-60 \(svgNumber(x)) \(svgNumber(bottom + 10)))")])
        }
        body.text("predicted class", x: left + Double(k) * cell / 2, y: height - 8, size: 12, anchor: "middle")
        return svgDocument(width: width, height: height, title: title, body: body.markup)
    }
}

/// Data handed to a report that it cannot draw; the message says what is wrong.
public struct ReportDataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the data.
    public var description: String

    init(_ description: String) { self.description = description }

    static func invalidData(_ description: String) -> ReportDataError { ReportDataError(description) }
}
