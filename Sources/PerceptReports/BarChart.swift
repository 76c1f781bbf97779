/// A grouped bar chart, horizontal or vertical, rendered as standalone SVG.
///
/// There is one group per category (for example one per classifier) and one bar per series in
/// each group (for example "train" and "test"). Every bar carries its value as a label. With a
/// single series the bars are coloured per category, so the same model keeps its colour across
/// panels of a ``ChartGrid``; with several series they are coloured per series and a legend is
/// drawn. A logarithmic value axis suits durations that span orders of magnitude.
///
/// Values that cannot be drawn (non-finite, or not positive on a logarithmic axis) get no bar and
/// the label `n/a`.
///
/// ```swift
/// let accuracy = BarChart(
///     title: "Test accuracy", valueLabel: "Accuracy",
///     bars: [("Logistic regression", 0.921), ("MLP", 0.975)], valueFormat: .percent(decimals: 1))
/// var seconds = BarChart(
///     title: "Training time", valueLabel: "Seconds",
///     bars: [("Logistic regression", 4.2), ("MLP", 61)], valueFormat: .automatic(suffix: " s"))
/// seconds.scale = .logarithmic
/// let figure = ChartGrid(panels: [accuracy, seconds]).svg()
/// ```
public struct BarChart: SVGChart {
    /// The direction of the bars.
    public enum Orientation: Sendable, Equatable {
        /// Bars grow rightwards; category labels sit on the left (best for long names).
        case horizontal
        /// Bars grow upwards; category labels sit below, slanted when they are too wide.
        case vertical
    }

    /// The mapping of values to bar lengths.
    public enum Scale: Sendable, Equatable {
        /// Bars start at zero.
        case linear
        /// Base-10 logarithmic axis; bars start at the power of ten below the smallest value.
        case logarithmic
    }

    /// How the value labels on the bars are written.
    public enum ValueFormat: Sendable, Equatable {
        /// Three significant digits (scientific notation for extreme magnitudes), then `suffix`.
        case automatic(suffix: String = "")
        /// Exactly `decimals` decimals, then `suffix`.
        case fixed(decimals: Int, suffix: String = "")
        /// The value times 100 with `decimals` decimals and a `%` sign (0.973 becomes `97.3%`);
        /// axis ticks are written as percentages too.
        case percent(decimals: Int = 1)

        /// The label for `value`.
        public func format(_ value: Double) -> String {
            guard value.isFinite else { return "n/a" }
            switch self {
            case .automatic(let suffix):
                return ReportNumberFormat.compact(value, significantDigits: 3) + suffix
            case .fixed(let decimals, let suffix):
                return ReportNumberFormat.fixed(value, decimals: decimals) + suffix
            case .percent(let decimals):
                return ReportNumberFormat.fixed(value * 100, decimals: decimals) + "%"
            }
        }
    }

    /// One bar per category: the values of one measurement across all categories.
    public struct Series: Sendable, Equatable {
        /// The name shown in the legend.
        public var name: String
        /// One value per category, in category order; missing trailing values draw no bar.
        public var values: [Double]

        /// Creates a series.
        public init(name: String, values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    /// The title above the plot; empty for none.
    public var title: String
    /// The label of the value axis; empty for none.
    public var valueLabel: String
    /// The group labels, in drawing order (top to bottom, or left to right).
    public var categories: [String]
    /// The series; each contributes one bar to every group.
    public var series: [Series]
    /// The direction of the bars.
    public var orientation: Orientation
    /// Linear or logarithmic value axis.
    public var scale: Scale
    /// How value labels (and, for percentages, tick labels) are written.
    public var valueFormat: ValueFormat
    /// A fixed value range (widened to nice ticks) for a linear axis, such as `0...1` for accuracy;
    /// `nil` fits the data (always including zero).
    public var valueDomain: ClosedRange<Double>?
    /// The width of the chart in pixels.
    public var width: Double
    /// The height of the chart in pixels.
    public var height: Double
    /// The note shown when there is nothing to draw.
    public var emptyNote = "No data"

    /// Creates a grouped bar chart.
    public init(
        title: String = "", valueLabel: String = "", categories: [String], series: [Series],
        orientation: Orientation = .horizontal, scale: Scale = .linear,
        valueFormat: ValueFormat = .automatic(), width: Double = 480, height: Double = 320
    ) {
        self.title = title
        self.valueLabel = valueLabel
        self.categories = categories
        self.series = series
        self.orientation = orientation
        self.scale = scale
        self.valueFormat = valueFormat
        self.width = width
        self.height = height
    }

    /// Creates a chart with one bar per category (a single unnamed series).
    public init(
        title: String = "", valueLabel: String = "", bars: [(label: String, value: Double)],
        orientation: Orientation = .horizontal, scale: Scale = .linear,
        valueFormat: ValueFormat = .automatic(), width: Double = 480, height: Double = 320
    ) {
        self.init(
            title: title, valueLabel: valueLabel, categories: bars.map(\.label),
            series: [Series(name: "", values: bars.map(\.value))], orientation: orientation, scale: scale,
            valueFormat: valueFormat, width: width, height: height)
    }

    private enum Font {
        static let title = 16.0
        static let legend = 12.0
        static let tick = 11.0
        static let category = 12.0
        static let value = 10.5
        static let axisLabel = 13.0
    }

    private static let padding = 12.0

    /// Whether `value` can be drawn as a bar on this chart's axis.
    private func isDrawable(_ value: Double) -> Bool {
        value.isFinite && (scale == .linear || value > 0)
    }

    private func value(series seriesIndex: Int, category: Int) -> Double? {
        let values = series[seriesIndex].values
        return category < values.count ? values[category] : nil
    }

    private func color(series seriesIndex: Int, category: Int) -> String {
        ChartPalette.color(at: series.count == 1 ? category : seriesIndex)
    }

    private func makeScale(_ values: [Double], targetTickCount: Int) -> AxisScale {
        var axis: AxisScale
        switch scale {
        case .logarithmic:
            axis = AxisScale.logarithmic(minimum: values.min() ?? 1, maximum: values.max() ?? 1)
        case .linear:
            let low = valueDomain?.lowerBound ?? min(0, values.min() ?? 0)
            let high = valueDomain?.upperBound ?? max(0, values.max() ?? 1)
            axis = AxisScale.linear(
                minimum: low, maximum: high == low ? low + 1 : high, targetTickCount: targetTickCount,
                extendToTicks: true)
        }
        if case .percent = valueFormat {
            axis.labels = axis.ticks.map { ReportNumberFormat.trimmed($0 * 100, maxDecimals: 4) + "%" }
        }
        return axis
    }

    /// Draws the chart into the rectangle `0...width × 0...height` (see ``SVGChart``).
    public func svgBody(idPrefix: String) -> String {
        var svg = SVGBuilder()
        svg.open("g", [("class", "bar-chart"), ("font-family", chartFontFamily)])
        svg.element(
            "rect", [("width", svgNumber(width)), ("height", svgNumber(height)), ("fill", "#ffffff")])
        var top = Self.padding
        if !title.isEmpty {
            svg.text(
                truncated(title, toWidth: width - 2 * Self.padding, fontSize: Font.title), x: width / 2,
                y: top + Font.title * 0.85, size: Font.title, anchor: "middle", weight: "bold",
                extra: [("class", "chart-title")])
            top += Font.title + 8
        }
        if series.count > 1 { top = drawLegend(into: &svg, top: top) + 4 }

        let drawable = series.indices.flatMap { seriesIndex in
            categories.indices.compactMap { value(series: seriesIndex, category: $0) }
        }.filter(isDrawable)
        let labels = series.indices.flatMap { seriesIndex in
            categories.indices.map { valueFormat.format(value(series: seriesIndex, category: $0) ?? .nan) }
        }
        let widestValueLabel = labels.map { estimatedTextWidth($0, fontSize: Font.value) }.max() ?? 0

        switch orientation {
        case .horizontal:
            drawHorizontal(into: &svg, top: top, values: drawable, widestValueLabel: widestValueLabel)
        case .vertical:
            drawVertical(into: &svg, top: top, values: drawable)
        }
        svg.close("g")
        return svg.markup
    }

    private func drawHorizontal(
        into svg: inout SVGBuilder, top: Double, values: [Double], widestValueLabel: Double
    ) {
        let plotTop = top + 4
        var plotBottom = height - Self.padding - Font.tick - 8
        if !valueLabel.isEmpty { plotBottom -= Font.axisLabel + 8 }
        plotBottom = max(plotBottom, plotTop + 20)
        let maxCategoryWidth = width * 0.4
        let categoryLabels = categories.map {
            truncated($0, toWidth: maxCategoryWidth, fontSize: Font.category)
        }
        let labelWidth = categoryLabels.map { estimatedTextWidth($0, fontSize: Font.category) }.max() ?? 0
        let plotLeft = Self.padding + labelWidth + 10
        let plotRight = max(plotLeft + 20, width - Self.padding - widestValueLabel - 6)
        let plotWidth = plotRight - plotLeft
        let axis = makeScale(values, targetTickCount: max(5, min(9, Int(plotWidth / 60))))
        func px(_ value: Double) -> Double {
            plotLeft + min(1, max(0, axis.fraction(value))) * plotWidth
        }

        drawFrame(
            into: &svg, plotLeft: plotLeft, plotTop: plotTop, plotRight: plotRight, plotBottom: plotBottom,
            hasData: !values.isEmpty
        ) { svg in
            for (tick, label) in zip(axis.ticks, axis.labels) {
                svg.line(x1: px(tick), y1: plotTop, x2: px(tick), y2: plotBottom, stroke: "#e3e3e3")
                svg.line(x1: px(tick), y1: plotBottom, x2: px(tick), y2: plotBottom + 4, stroke: "#555555")
                svg.text(
                    label, x: px(tick), y: plotBottom + 6 + Font.tick, size: Font.tick, anchor: "middle",
                    fill: "#444444", extra: [("class", "value-tick-label")])
            }
        }
        if !valueLabel.isEmpty {
            svg.text(
                truncated(valueLabel, toWidth: plotWidth, fontSize: Font.axisLabel),
                x: plotLeft + plotWidth / 2, y: height - Self.padding - 2, size: Font.axisLabel,
                anchor: "middle", extra: [("class", "value-label")])
        }

        let baseline = axis.isLogarithmic ? axis.lower : min(max(0, axis.lower), axis.upper)
        let band = categories.isEmpty ? 0 : (plotBottom - plotTop) / Double(categories.count)
        let thickness = series.isEmpty ? 0 : band * 0.72 / Double(series.count)
        for (categoryIndex, label) in categoryLabels.enumerated() {
            let bandTop = plotTop + band * Double(categoryIndex)
            svg.text(
                label, x: plotLeft - 8, y: bandTop + band / 2 + Font.category * 0.35, size: Font.category,
                anchor: "end", extra: [("class", "category-label")])
            for seriesIndex in series.indices {
                let barTop = bandTop + band * 0.14 + thickness * Double(seriesIndex)
                let centerY = barTop + thickness / 2 + Font.value * 0.35
                guard let value = value(series: seriesIndex, category: categoryIndex) else { continue }
                guard isDrawable(value) else {
                    svg.text(
                        "n/a", x: px(baseline) + 4, y: centerY, size: Font.value, fill: "#777777",
                        extra: [("class", "bar-value")])
                    continue
                }
                let start = px(baseline)
                let end = px(value)
                drawBar(
                    into: &svg, x: min(start, end), y: barTop, width: abs(end - start), height: thickness,
                    seriesIndex: seriesIndex, categoryIndex: categoryIndex, value: value)
                let positive = value >= baseline
                svg.text(
                    valueFormat.format(value), x: positive ? end + 4 : end - 4, y: centerY, size: Font.value,
                    anchor: positive ? "start" : "end", fill: "#333333", extra: [("class", "bar-value")])
            }
        }
    }

    private func drawVertical(into svg: inout SVGBuilder, top: Double, values: [Double]) {
        let plotTop = top + Font.value + 8
        let slotEstimate = (width - 2 * Self.padding - 50) / Double(max(1, categories.count))
        let widths = categories.map { estimatedTextWidth($0, fontSize: Font.category) }
        let slanted = (widths.max() ?? 0) > slotEstimate - 6
        let maxLabelWidth = min(height * 0.35, (widths.max() ?? 0))
        let categoryLabels = categories.map {
            truncated($0, toWidth: slanted ? maxLabelWidth : slotEstimate, fontSize: Font.category)
        }
        let categoryBand = slanted ? maxLabelWidth * 0.58 + Font.category + 4 : Font.category + 8
        var plotBottom = height - Self.padding - categoryBand
        plotBottom = max(plotBottom, plotTop + 20)
        let plotHeight = plotBottom - plotTop
        let axis = makeScale(values, targetTickCount: max(5, min(9, Int(plotHeight / 40))))
        let tickWidth = axis.labels.map { estimatedTextWidth($0, fontSize: Font.tick) }.max() ?? 0
        var plotLeft = Self.padding + tickWidth + 10
        if !valueLabel.isEmpty { plotLeft += Font.axisLabel + 10 }
        if slanted, let first = categoryLabels.first {
            // The first slanted label reaches left of its slot; keep it inside the chart.
            let reach = estimatedTextWidth(first, fontSize: Font.category) * 0.82 - slotEstimate / 2
            plotLeft = max(plotLeft, Self.padding + reach)
        }
        let plotRight = max(plotLeft + 20, width - Self.padding)
        func py(_ value: Double) -> Double {
            plotBottom - min(1, max(0, axis.fraction(value))) * plotHeight
        }

        drawFrame(
            into: &svg, plotLeft: plotLeft, plotTop: plotTop, plotRight: plotRight, plotBottom: plotBottom,
            hasData: !values.isEmpty
        ) { svg in
            for (tick, label) in zip(axis.ticks, axis.labels) {
                svg.line(x1: plotLeft, y1: py(tick), x2: plotRight, y2: py(tick), stroke: "#e3e3e3")
                svg.line(x1: plotLeft - 4, y1: py(tick), x2: plotLeft, y2: py(tick), stroke: "#555555")
                svg.text(
                    label, x: plotLeft - 7, y: py(tick) + Font.tick * 0.35, size: Font.tick, anchor: "end",
                    fill: "#444444", extra: [("class", "value-tick-label")])
            }
        }
        if !valueLabel.isEmpty {
            let x = Self.padding + Font.axisLabel * 0.8
            let y = plotTop + plotHeight / 2
            svg.text(
                truncated(valueLabel, toWidth: plotHeight, fontSize: Font.axisLabel), x: x, y: y,
                size: Font.axisLabel, anchor: "middle",
                extra: [("class", "value-label"), ("transform", "rotate(-90 \(svgNumber(x)) \(svgNumber(y)))")])
        }

        let baseline = axis.isLogarithmic ? axis.lower : min(max(0, axis.lower), axis.upper)
        let band = categories.isEmpty ? 0 : (plotRight - plotLeft) / Double(categories.count)
        let thickness = series.isEmpty ? 0 : band * 0.72 / Double(series.count)
        for (categoryIndex, label) in categoryLabels.enumerated() {
            let bandLeft = plotLeft + band * Double(categoryIndex)
            let labelX = bandLeft + band / 2
            let labelY = plotBottom + 6 + Font.category
            if slanted {
                svg.text(
                    label, x: labelX + 4, y: labelY, size: Font.category, anchor: "end",
                    extra: [
                        ("class", "category-label"),
                        ("transform", "rotate(-35 \(svgNumber(labelX + 4)) \(svgNumber(labelY)))"),
                    ])
            } else {
                svg.text(
                    label, x: labelX, y: labelY, size: Font.category, anchor: "middle",
                    extra: [("class", "category-label")])
            }
            for seriesIndex in series.indices {
                let barLeft = bandLeft + band * 0.14 + thickness * Double(seriesIndex)
                let centerX = barLeft + thickness / 2
                guard let value = value(series: seriesIndex, category: categoryIndex) else { continue }
                guard isDrawable(value) else {
                    svg.text(
                        "n/a", x: centerX, y: py(baseline) - 4, size: Font.value, anchor: "middle",
                        fill: "#777777", extra: [("class", "bar-value")])
                    continue
                }
                let start = py(baseline)
                let end = py(value)
                drawBar(
                    into: &svg, x: barLeft, y: min(start, end), width: thickness, height: abs(end - start),
                    seriesIndex: seriesIndex, categoryIndex: categoryIndex, value: value)
                let positive = value >= baseline
                svg.text(
                    valueFormat.format(value), x: centerX, y: positive ? end - 4 : end + 4 + Font.value,
                    size: Font.value, anchor: "middle", fill: "#333333", extra: [("class", "bar-value")])
            }
        }
    }

    private func drawFrame(
        into svg: inout SVGBuilder, plotLeft: Double, plotTop: Double, plotRight: Double,
        plotBottom: Double, hasData: Bool, ticks: (inout SVGBuilder) -> Void
    ) {
        svg.open("g", [("class", "axes"), ("shape-rendering", "crispEdges")])
        if hasData { ticks(&svg) }
        svg.line(x1: plotLeft, y1: plotBottom, x2: plotRight, y2: plotBottom, stroke: "#555555")
        svg.line(x1: plotLeft, y1: plotTop, x2: plotLeft, y2: plotBottom, stroke: "#555555")
        svg.close("g")
        if !hasData {
            svg.text(
                emptyNote, x: (plotLeft + plotRight) / 2, y: (plotTop + plotBottom) / 2 + 5, size: 14,
                anchor: "middle", fill: "#777777", extra: [("class", "empty-note"), ("font-style", "italic")])
        }
    }

    private func drawBar(
        into svg: inout SVGBuilder, x: Double, y: Double, width: Double, height: Double, seriesIndex: Int,
        categoryIndex: Int, value: Double
    ) {
        svg.open(
            "rect",
            [
                ("class", "bar"), ("x", svgNumber(x)), ("y", svgNumber(y)), ("width", svgNumber(width)),
                ("height", svgNumber(height)), ("fill", color(series: seriesIndex, category: categoryIndex)),
            ])
        let seriesName = series[seriesIndex].name
        let name = seriesName.isEmpty ? categories[categoryIndex] : "\(categories[categoryIndex]), \(seriesName)"
        svg.element("title", text: "\(name): \(valueFormat.format(value))")
        svg.close("rect")
    }

    /// Draws one centred row of legend entries (square swatches) and returns the y below it.
    private func drawLegend(into svg: inout SVGBuilder, top: Double) -> Double {
        let gap = 16.0
        let entries = series.enumerated().map { index, item in
            (index, item.name, 12 + 6 + estimatedTextWidth(item.name, fontSize: Font.legend))
        }
        let total = entries.reduce(0) { $0 + $1.2 } + gap * Double(max(0, entries.count - 1))
        var x = max(Self.padding, (width - total) / 2)
        let centerY = top + 9
        svg.open("g", [("class", "legend")])
        for (index, name, entryWidth) in entries {
            svg.element(
                "rect",
                [
                    ("x", svgNumber(x)), ("y", svgNumber(centerY - 6)), ("width", "12"), ("height", "12"),
                    ("fill", ChartPalette.color(at: index)),
                ])
            svg.text(
                name, x: x + 18, y: centerY + Font.legend * 0.36, size: Font.legend, fill: "#333333",
                extra: [("class", "legend-label")])
            x += entryWidth + gap
        }
        svg.close("g")
        return top + 18
    }
}
