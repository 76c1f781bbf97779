/// A chart that renders itself as SVG and can be composed into a ``ChartGrid``.
public protocol SVGChart: Sendable {
    /// The chart's title, also used as the document's `<title>`.
    var title: String { get }
    /// The width of the chart in SVG user units (pixels).
    var width: Double { get }
    /// The height of the chart in SVG user units (pixels).
    var height: Double { get }

    /// The chart's drawing, without the enclosing `<svg>` element, laid out in
    /// `0...width × 0...height`.
    ///
    /// - Parameter idPrefix: prepended to every `id` the drawing defines, so that several charts
    ///   can share one document without clashing.
    func svgBody(idPrefix: String) -> String
}

extension SVGChart {
    /// The chart as a standalone SVG 1.1 document.
    public func svg() -> String {
        svgDocument(width: width, height: height, title: title, body: svgBody(idPrefix: "chart"))
    }
}
