/// The training-curves figure: one panel per metric, training solid and validation dashed.
///
/// A history maps metric names to per-epoch values in the Keras convention: `loss`, `accuracy`,
/// and `val_` prefixed validation counterparts (a `train_` prefix is also understood). Each base
/// metric gets one panel titled after it; within a panel the training and validation curves share
/// one colour (different per metric) and differ by stroke. Absent or empty validation series are
/// simply left out.
///
/// ```swift
/// let svg = TrainingCurves.svg(history: [
///     "loss": [0.9, 0.5, 0.35], "val_loss": [0.95, 0.6, 0.5],
///     "accuracy": [0.7, 0.85, 0.9], "val_accuracy": [0.68, 0.8, 0.84],
/// ])
/// ```
public enum TrainingCurves {
    /// The legend name of training curves.
    public static let trainingName = "Training"
    /// The legend name of validation curves.
    public static let validationName = "Validation"

    /// One line chart per base metric, in the order the metrics first appear in `history`.
    ///
    /// - Parameters:
    ///   - epochs: the x value of each entry; `nil` means 1…n.
    ///   - history: metric names and their values, in panel order.
    ///   - panelWidth: the width of each panel in pixels.
    ///   - panelHeight: the height of each panel in pixels.
    public static func charts(
        epochs: [Double]? = nil, history: [(name: String, values: [Double])], panelWidth: Double = 480,
        panelHeight: Double = 360
    ) -> [LineChart] {
        var bases: [String] = []
        var training: [String: [Double]] = [:]
        var validation: [String: [Double]] = [:]
        for (name, values) in history {
            let (base, isValidation) = MetricNames.split(name)
            if !bases.contains(base) { bases.append(base) }
            if isValidation { validation[base] = values } else { training[base] = values }
        }
        var charts: [LineChart] = []
        for base in bases {
            let colorIndex = charts.count
            var series: [ChartSeries] = []
            if let values = training[base], !values.isEmpty {
                series.append(
                    ChartSeries(name: trainingName, values: values, xValues: epochs, colorIndex: colorIndex))
            }
            if let values = validation[base], !values.isEmpty {
                series.append(
                    ChartSeries(
                        name: validationName, values: values, xValues: epochs, style: .dashed,
                        colorIndex: colorIndex))
            }
            guard !series.isEmpty || training[base] != nil else { continue }
            let label = MetricNames.humanized(base)
            charts.append(
                LineChart(
                    title: label, xLabel: "Epoch", yLabel: label, series: series, width: panelWidth,
                    height: panelHeight))
        }
        return charts
    }

    /// The panels of ``charts(epochs:history:panelWidth:panelHeight:)`` side by side, at most
    /// `maxColumns` per row. A history without any series gives one empty panel with a note.
    public static func grid(
        epochs: [Double]? = nil, history: [(name: String, values: [Double])], title: String = "",
        panelWidth: Double = 480, panelHeight: Double = 360, maxColumns: Int = 3
    ) -> ChartGrid {
        let panels = charts(epochs: epochs, history: history, panelWidth: panelWidth, panelHeight: panelHeight)
        guard !panels.isEmpty else {
            let empty = LineChart(title: title, xLabel: "Epoch", width: panelWidth, height: panelHeight)
            return ChartGrid(panels: [empty], columns: 1)
        }
        return ChartGrid(panels: panels, columns: max(1, min(maxColumns, panels.count)), title: title)
    }

    /// The training-curves figure as a standalone SVG document, from an ordered history.
    public static func svg(
        epochs: [Double]? = nil, history: [(name: String, values: [Double])], title: String = "",
        panelWidth: Double = 480, panelHeight: Double = 360
    ) -> String {
        grid(epochs: epochs, history: history, title: title, panelWidth: panelWidth, panelHeight: panelHeight)
            .svg()
    }

    /// The training-curves figure as a standalone SVG document, from an unordered history.
    ///
    /// Panels are ordered loss first, accuracy second, then the other metrics alphabetically.
    public static func svg(
        epochs: [Double]? = nil, history: [String: [Double]], title: String = "",
        panelWidth: Double = 480, panelHeight: Double = 360
    ) -> String {
        svg(
            epochs: epochs, history: orderedHistory(history), title: title, panelWidth: panelWidth,
            panelHeight: panelHeight)
    }

    /// A dictionary history as an ordered list: loss, accuracy, other metrics, then validation.
    static func orderedHistory(_ history: [String: [Double]]) -> [(name: String, values: [Double])] {
        MetricNames.ordered(history.keys).map { ($0, history[$0] ?? []) }
    }
}
