/// One named line of a ``LineChart``: y values, optionally with explicit x values.
///
/// Without `xValues`, the i-th value (counting from 0) is drawn at x = i + 1, which suits
/// per-epoch metrics. Non-finite values (NaN, ±infinity) are skipped: the line joins the finite
/// values around them.
public struct ChartSeries: Sendable, Equatable {
    /// How the line of a series is stroked.
    public enum Style: Sendable, Equatable {
        /// A continuous line with filled markers (training curves).
        case solid
        /// A dashed line with hollow markers (validation curves).
        case dashed
    }

    /// The name shown in the legend.
    public var name: String
    /// The y values, in drawing order.
    public var values: [Double]
    /// Explicit x values paired with `values`; when the counts differ the extra entries of the
    /// longer array are ignored. `nil` means x = 1…n.
    public var xValues: [Double]?
    /// The stroke style.
    public var style: Style
    /// The palette index of the colour (see ``ChartPalette``); `nil` means the series' position in
    /// the chart.
    public var colorIndex: Int?

    /// Creates a series.
    public init(
        name: String, values: [Double], xValues: [Double]? = nil, style: Style = .solid,
        colorIndex: Int? = nil
    ) {
        self.name = name
        self.values = values
        self.xValues = xValues
        self.style = style
        self.colorIndex = colorIndex
    }

    /// The points to draw: the pairs whose x and y are both finite, in order. Non-finite values
    /// are skipped, so the line joins their finite neighbours (a metric logged every few epochs,
    /// with NaN in between, still draws as one line).
    var finitePoints: [(x: Double, y: Double)] {
        let count = xValues.map { min($0.count, values.count) } ?? values.count
        var points: [(x: Double, y: Double)] = []
        points.reserveCapacity(count)
        for index in 0..<count {
            let x = xValues?[index] ?? Double(index + 1)
            let y = values[index]
            if x.isFinite && y.isFinite { points.append((x, y)) }
        }
        return points
    }
}
