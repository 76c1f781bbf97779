/// A line chart of one or more named series, rendered as standalone SVG without any dependency.
///
/// The chart draws a title, a legend, "nice" axis ticks (steps of 1, 2 or 5 times a power of
/// ten) with labels and grid lines, axis labels, and one line per series in a colour from
/// ``ChartPalette``. Dashed series get hollow markers so they stay distinguishable in greyscale.
///
/// Robustness: non-finite values are skipped (the line joins their finite neighbours, and they are
/// never written into the SVG), a single point or a series of equal values gets a sensible axis around it, and a chart
/// with no finite value renders an empty frame with ``emptyNote``.
///
/// ```swift
/// let chart = LineChart(
///     title: "Loss", xLabel: "Epoch", yLabel: "Loss",
///     series: [
///         ChartSeries(name: "Training", values: [0.9, 0.5, 0.3]),
///         ChartSeries(name: "Validation", values: [1.0, 0.6, 0.45], style: .dashed, colorIndex: 0),
///     ])
/// let svg = chart.svg()
/// ```
public struct LineChart: SVGChart {
    /// When points get a marker.
    public enum Markers: Sendable, Equatable {
        /// Markers on every point of series with at most ``LineChart/automaticMarkerLimit`` finite
        /// values.
        case automatic
        /// Markers on every point.
        case always
        /// No markers, except on a series of a single point, which would otherwise be invisible.
        case never
    }

    /// The largest number of finite values for which ``Markers/automatic`` draws markers.
    public static let automaticMarkerLimit = 30

    /// The title above the plot; empty for none.
    public var title: String
    /// The label under the x-axis; empty for none.
    public var xLabel: String
    /// The label beside the y-axis; empty for none.
    public var yLabel: String
    /// The series, drawn in order (later ones on top).
    public var series: [ChartSeries]
    /// The width of the chart in pixels.
    public var width: Double
    /// The height of the chart in pixels.
    public var height: Double
    /// When points get a marker.
    public var markers: Markers = .automatic
    /// A fixed y range (widened to nice ticks); `nil` fits the data. Lines outside it are clipped.
    public var yDomain: ClosedRange<Double>?
    /// The note shown in the plot area when no series has a finite value.
    public var emptyNote = "No data"

    /// Creates a line chart.
    public init(
        title: String = "", xLabel: String = "", yLabel: String = "", series: [ChartSeries] = [],
        width: Double = 640, height: Double = 400
    ) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.width = width
        self.height = height
    }

    private enum Font {
        static let title = 16.0
        static let legend = 12.0
        static let tick = 11.0
        static let axisLabel = 13.0
    }

    private static let padding = 12.0
    private static let legendSwatch = 28.0

    /// Draws the chart into the rectangle `0...width × 0...height` (see ``SVGChart``).
    public func svgBody(idPrefix: String) -> String {
        let pointsBySeries = series.map(\.finitePoints)
        let points = pointsBySeries.flatMap { $0 }
        let hasData = !points.isEmpty
        var svg = SVGBuilder()
        svg.open("g", [("class", "line-chart"), ("font-family", chartFontFamily)])
        svg.element(
            "rect",
            [("width", svgNumber(width)), ("height", svgNumber(height)), ("fill", "#ffffff")])

        // Title and legend, top down.
        var top = Self.padding
        if !title.isEmpty {
            let fitted = truncated(title, toWidth: width - 2 * Self.padding, fontSize: Font.title)
            svg.text(
                fitted, x: width / 2, y: top + Font.title * 0.85, size: Font.title, anchor: "middle",
                weight: "bold", extra: [("class", "chart-title")])
            top += Font.title + 8
        }
        let legendItems = series.enumerated().filter { !$0.element.name.isEmpty }
        if !legendItems.isEmpty {
            top = drawLegend(
                into: &svg, items: legendItems.map { ($0.offset, $0.element) }, top: top,
                markerFlags: pointsBySeries.map(showsMarkers))
            top += 4
        }
        let plotTop = top + Font.tick / 2 + 2

        // Bottom: x tick labels, then the x-axis label.
        var plotBottom = height - Self.padding - Font.tick - 8
        if !xLabel.isEmpty { plotBottom -= Font.axisLabel + 8 }
        plotBottom = max(plotBottom, plotTop + 20)
        let plotHeight = plotBottom - plotTop

        // Scales: y first, because its labels decide the left margin.
        let yValues = points.map(\.y)
        let yScale: AxisScale
        let yTarget = max(4, min(10, Int(plotHeight / 45)))
        if let yDomain {
            yScale = AxisScale.linear(
                minimum: yDomain.lowerBound, maximum: yDomain.upperBound, targetTickCount: yTarget,
                extendToTicks: true)
        } else {
            yScale = AxisScale.linear(
                minimum: yValues.min() ?? 0, maximum: yValues.max() ?? 1, targetTickCount: yTarget,
                extendToTicks: true)
        }
        let yLabelWidth = yScale.labels.map { estimatedTextWidth($0, fontSize: Font.tick) }.max() ?? 0
        var plotLeft = Self.padding + yLabelWidth + 10
        if !yLabel.isEmpty { plotLeft += Font.axisLabel + 10 }

        let xValues = points.map(\.x)
        let integerX = !xValues.isEmpty && xValues.allSatisfy { $0 == $0.rounded() && abs($0) < 1e15 }
        var plotRight = width - Self.padding - 8
        var xScale = makeXScale(xValues, integer: integerX, plotWidth: plotRight - plotLeft)
        if let lastLabel = xScale.labels.last {
            let overhang = estimatedTextWidth(lastLabel, fontSize: Font.tick) / 2 + 2
            plotRight = min(plotRight, width - max(Self.padding, overhang))
            xScale = makeXScale(xValues, integer: integerX, plotWidth: plotRight - plotLeft)
        }
        plotRight = max(plotRight, plotLeft + 20)
        let plotWidth = plotRight - plotLeft

        func px(_ x: Double) -> Double { plotLeft + xScale.fraction(x) * plotWidth }
        func py(_ y: Double) -> Double { plotBottom - yScale.fraction(y) * plotHeight }

        // Clip lines to the plot area, with room for markers on its edges.
        let clipID = "\(idPrefix)-plot-clip"
        svg.open("defs")
        svg.open("clipPath", [("id", clipID)])
        svg.element(
            "rect",
            [
                ("x", svgNumber(plotLeft - 6)), ("y", svgNumber(plotTop - 6)),
                ("width", svgNumber(plotWidth + 12)), ("height", svgNumber(plotHeight + 12)),
            ])
        svg.close("clipPath")
        svg.close("defs")

        // Grid, axes, ticks and labels.
        svg.open("g", [("class", "grid"), ("shape-rendering", "crispEdges")])
        if hasData {
            for tick in yScale.ticks {
                svg.line(x1: plotLeft, y1: py(tick), x2: plotRight, y2: py(tick), stroke: "#e3e3e3")
            }
            for tick in xScale.ticks {
                svg.line(x1: px(tick), y1: plotTop, x2: px(tick), y2: plotBottom, stroke: "#e3e3e3")
            }
        }
        svg.element(
            "rect",
            [
                ("x", svgNumber(plotLeft)), ("y", svgNumber(plotTop)), ("width", svgNumber(plotWidth)),
                ("height", svgNumber(plotHeight)), ("fill", "none"), ("stroke", "#c8c8c8"),
            ])
        svg.line(x1: plotLeft, y1: plotBottom, x2: plotRight, y2: plotBottom, stroke: "#555555")
        svg.line(x1: plotLeft, y1: plotTop, x2: plotLeft, y2: plotBottom, stroke: "#555555")
        svg.close("g")

        if hasData {
            svg.open("g", [("class", "y-axis"), ("fill", "#444444")])
            for (tick, label) in zip(yScale.ticks, yScale.labels) {
                svg.line(x1: plotLeft - 4, y1: py(tick), x2: plotLeft, y2: py(tick), stroke: "#555555")
                svg.text(
                    label, x: plotLeft - 7, y: py(tick) + Font.tick * 0.35, size: Font.tick, anchor: "end",
                    fill: "#444444", extra: [("class", "y-tick-label")])
            }
            svg.close("g")
            svg.open("g", [("class", "x-axis")])
            for (tick, label) in zip(xScale.ticks, xScale.labels) {
                svg.line(x1: px(tick), y1: plotBottom, x2: px(tick), y2: plotBottom + 4, stroke: "#555555")
                svg.text(
                    label, x: px(tick), y: plotBottom + 6 + Font.tick, size: Font.tick, anchor: "middle",
                    fill: "#444444", extra: [("class", "x-tick-label")])
            }
            svg.close("g")
        }
        if !xLabel.isEmpty {
            svg.text(
                truncated(xLabel, toWidth: plotWidth, fontSize: Font.axisLabel),
                x: plotLeft + plotWidth / 2, y: height - Self.padding - 2, size: Font.axisLabel,
                anchor: "middle", extra: [("class", "x-label")])
        }
        if !yLabel.isEmpty {
            let x = Self.padding + Font.axisLabel * 0.8
            let y = plotTop + plotHeight / 2
            svg.text(
                truncated(yLabel, toWidth: plotHeight, fontSize: Font.axisLabel), x: x, y: y,
                size: Font.axisLabel, anchor: "middle",
                extra: [("class", "y-label"), ("transform", "rotate(-90 \(svgNumber(x)) \(svgNumber(y)))")])
        }

        if !hasData {
            svg.text(
                emptyNote, x: plotLeft + plotWidth / 2, y: plotTop + plotHeight / 2 + 5, size: 14,
                anchor: "middle", fill: "#777777", extra: [("class", "empty-note"), ("font-style", "italic")])
        }

        // The series themselves.
        for (index, item) in series.enumerated() {
            let seriesPoints = pointsBySeries[index]
            guard !seriesPoints.isEmpty else { continue }
            let color = ChartPalette.color(at: item.colorIndex ?? index)
            svg.open("g", [("class", "series"), ("clip-path", "url(#\(clipID))")])
            if !item.name.isEmpty { svg.element("title", text: item.name) }
            var path = ""
            for (offset, point) in seriesPoints.enumerated() {
                path += offset == 0 ? "M" : " L"
                path += "\(svgNumber(px(point.x))) \(svgNumber(py(point.y)))"
            }
            var attributes: [(String, String)] = [
                ("class", "series-line"), ("d", path), ("fill", "none"), ("stroke", color),
                ("stroke-width", "2"), ("stroke-linejoin", "round"), ("stroke-linecap", "round"),
            ]
            if item.style == .dashed { attributes.append(("stroke-dasharray", "7 4")) }
            svg.element("path", attributes)
            if showsMarkers(seriesPoints) {
                for point in seriesPoints {
                    drawMarker(into: &svg, x: px(point.x), y: py(point.y), color: color, style: item.style)
                }
            }
            svg.close("g")
        }
        svg.close("g")
        return svg.markup
    }

    /// Whether a series with these points gets markers; a lone point always does, as its line
    /// would be invisible.
    private func showsMarkers(_ points: [(x: Double, y: Double)]) -> Bool {
        if points.count == 1 { return true }
        switch markers {
        case .always: return true
        case .never: return false
        case .automatic: return points.count <= Self.automaticMarkerLimit
        }
    }

    private func makeXScale(_ values: [Double], integer: Bool, plotWidth: Double) -> AxisScale {
        let minimum = values.min() ?? 0
        let maximum = values.max() ?? 1
        var target = max(2, min(12, Int(plotWidth / 70)))
        var scale = AxisScale.linear(
            minimum: minimum, maximum: maximum, targetTickCount: target, extendToTicks: false,
            integerTicks: integer, padding: 0.03)
        // Fewer ticks while their labels would collide.
        while target > 2 {
            let widest = scale.labels.map { estimatedTextWidth($0, fontSize: Font.tick) }.max() ?? 0
            let spacing = scale.ticks.count > 1 ? plotWidth / Double(scale.ticks.count) : plotWidth
            if widest + 12 <= spacing { break }
            target -= 1
            scale = AxisScale.linear(
                minimum: minimum, maximum: maximum, targetTickCount: target, extendToTicks: false,
                integerTicks: integer, padding: 0.03)
        }
        return scale
    }

    private func drawMarker(
        into svg: inout SVGBuilder, x: Double, y: Double, color: String, style: ChartSeries.Style
    ) {
        var attributes: [(String, String)] = [
            ("class", "series-marker"), ("cx", svgNumber(x)), ("cy", svgNumber(y)), ("r", "3.2"),
        ]
        switch style {
        case .solid:
            attributes += [("fill", color), ("stroke", "#ffffff"), ("stroke-width", "0.8")]
        case .dashed:
            attributes += [("fill", "#ffffff"), ("stroke", color), ("stroke-width", "1.6")]
        }
        svg.element("circle", attributes)
    }

    /// Lays the legend out in centred rows under the title; returns the y below it.
    private func drawLegend(
        into svg: inout SVGBuilder, items: [(index: Int, series: ChartSeries)], top: Double,
        markerFlags: [Bool]
    ) -> Double {
        let available = width - 2 * Self.padding
        let gap = 18.0
        let maxText = available - Self.legendSwatch - 6
        var rows: [[(index: Int, series: ChartSeries, label: String, width: Double)]] = [[]]
        var rowWidth = 0.0
        for item in items {
            let label = truncated(item.series.name, toWidth: maxText, fontSize: Font.legend)
            let itemWidth = Self.legendSwatch + 6 + estimatedTextWidth(label, fontSize: Font.legend)
            let needed = rows[rows.count - 1].isEmpty ? itemWidth : rowWidth + gap + itemWidth
            if needed > available && !rows[rows.count - 1].isEmpty {
                rows.append([])
                rowWidth = itemWidth
            } else {
                rowWidth = needed
            }
            rows[rows.count - 1].append((item.index, item.series, label, itemWidth))
        }
        let rowHeight = 18.0
        svg.open("g", [("class", "legend")])
        for (rowIndex, row) in rows.enumerated() {
            let total = row.reduce(0) { $0 + $1.width } + gap * Double(max(0, row.count - 1))
            var x = (width - total) / 2
            let centerY = top + rowHeight * Double(rowIndex) + rowHeight / 2
            for entry in row {
                let color = ChartPalette.color(at: entry.series.colorIndex ?? entry.index)
                var lineAttributes: [(String, String)] = [("stroke-linecap", "round")]
                if entry.series.style == .dashed { lineAttributes.append(("stroke-dasharray", "7 4")) }
                svg.line(
                    x1: x + 1, y1: centerY, x2: x + Self.legendSwatch - 1, y2: centerY, stroke: color,
                    width: 2, extra: lineAttributes)
                if markerFlags[entry.index] {
                    drawMarker(
                        into: &svg, x: x + Self.legendSwatch / 2, y: centerY, color: color,
                        style: entry.series.style)
                }
                svg.text(
                    entry.label, x: x + Self.legendSwatch + 6, y: centerY + Font.legend * 0.36,
                    size: Font.legend, fill: "#333333", extra: [("class", "legend-label")])
                x += entry.width + gap
            }
        }
        svg.close("g")
        return top + rowHeight * Double(rows.count)
    }
}
