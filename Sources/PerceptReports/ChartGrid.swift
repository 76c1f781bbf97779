/// Several charts composed side by side (and in rows) into one SVG document.
///
/// Panels are placed left to right, `columns` per row. Every column is as wide as its widest
/// panel and every row as tall as its tallest one; each panel keeps its own size. Because panels
/// are drawn with distinct id prefixes, any ``SVGChart`` (line or bar charts, or other grids) can be
/// mixed.
///
/// ```swift
/// let figure = ChartGrid(panels: [lossChart, accuracyChart], title: "MNIST MLP").svg()
/// ```
public struct ChartGrid: SVGChart {
    /// The charts, in reading order.
    public var panels: [any SVGChart]
    /// The number of panels per row (at least 1).
    public var columns: Int
    /// A title above all panels; empty for none.
    public var title: String
    /// The space between neighbouring panels, in pixels.
    public var spacing: Double

    private static let titleBand = 34.0

    /// Creates a grid; `columns` defaults to all panels in one row.
    public init(panels: [any SVGChart], columns: Int? = nil, title: String = "", spacing: Double = 16) {
        self.panels = panels
        self.columns = max(1, columns ?? panels.count)
        self.title = title
        self.spacing = spacing
    }

    private var columnWidths: [Double] {
        var widths = [Double](repeating: 0, count: min(columns, max(1, panels.count)))
        for (index, panel) in panels.enumerated() {
            widths[index % columns] = max(widths[index % columns], panel.width)
        }
        return widths
    }

    private var rowHeights: [Double] {
        let rowCount = (panels.count + columns - 1) / columns
        var heights = [Double](repeating: 0, count: rowCount)
        for (index, panel) in panels.enumerated() {
            heights[index / columns] = max(heights[index / columns], panel.height)
        }
        return heights
    }

    /// The total width: the column widths plus the spacing between them.
    public var width: Double {
        let widths = columnWidths
        return max(1, widths.reduce(0, +) + spacing * Double(max(0, widths.count - 1)))
    }

    /// The total height: the title band, the row heights and the spacing between rows.
    public var height: Double {
        let heights = rowHeights
        let panelsHeight = heights.reduce(0, +) + spacing * Double(max(0, heights.count - 1))
        return max(1, panelsHeight + (title.isEmpty ? 0 : Self.titleBand))
    }

    /// Draws every panel at its place in the grid (see ``SVGChart``).
    public func svgBody(idPrefix: String) -> String {
        let widths = columnWidths
        let heights = rowHeights
        var svg = SVGBuilder()
        svg.open("g", [("class", "chart-grid"), ("font-family", chartFontFamily)])
        svg.element(
            "rect", [("width", svgNumber(width)), ("height", svgNumber(height)), ("fill", "#ffffff")])
        var top = 0.0
        if !title.isEmpty {
            svg.text(
                truncated(title, toWidth: width - 24, fontSize: 18), x: width / 2, y: 24, size: 18,
                anchor: "middle", weight: "bold", extra: [("class", "grid-title")])
            top = Self.titleBand
        }
        for (index, panel) in panels.enumerated() {
            let column = index % columns
            let row = index / columns
            let x = widths[..<column].reduce(0, +) + spacing * Double(column)
            let y = top + heights[..<row].reduce(0, +) + spacing * Double(row)
            svg.open("g", [("class", "panel"), ("transform", "translate(\(svgNumber(x)) \(svgNumber(y)))")])
            svg.embed(panel.svgBody(idPrefix: "\(idPrefix)-p\(index)"))
            svg.close("g")
        }
        svg.close("g")
        return svg.markup
    }
}
