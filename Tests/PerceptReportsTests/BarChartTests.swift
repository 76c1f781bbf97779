import Foundation
import Testing

@testable import PerceptReports

@Suite("BarChart")
struct BarChartTests {
    private let models = ["Logistic regression", "MLP", "CNN"]

    @Test("one bar per value, labelled with the formatted value")
    func barsAndLabels() throws {
        let chart = BarChart(
            title: "Accuracy", valueLabel: "Accuracy", bars: Array(zip(models, [0.9213, 0.975, 0.9874])).map { ($0, $1) },
            valueFormat: .percent(decimals: 1))
        let parsed = try parseSVG(chart.svg())
        let bars = parsed.all("rect", class: "bar")
        try #require(bars.count == 3)
        #expect(parsed.texts(class: "bar-value") == ["92.1%", "97.5%", "98.7%"])
        #expect(parsed.texts(class: "category-label") == models)
        // Horizontal bars start at zero, so their widths are proportional to the values.
        let widths = bars.map { number($0, "width") }
        #expect(abs(widths[0] / widths[2] - 0.9213 / 0.9874) < 0.01)
        #expect(Set(bars.map { $0.attributes["fill"] ?? "" }).count == 3, "one colour per model")
        #expect(parsed.texts(class: "value-tick-label").allSatisfy { $0.hasSuffix("%") })
    }

    @Test("vertical bars grow upwards from zero")
    func verticalBars() throws {
        let chart = BarChart(bars: [("a", 1), ("b", 2), ("c", 4)], orientation: .vertical)
        let bars = try parseSVG(chart.svg()).all("rect", class: "bar")
        try #require(bars.count == 3)
        let heights = bars.map { number($0, "height") }
        #expect(abs(heights[0] / heights[2] - 0.25) < 0.01)
        #expect(abs(heights[1] / heights[2] - 0.5) < 0.01)
        let bottoms = bars.map { number($0, "y") + number($0, "height") }
        #expect(bottoms.allSatisfy { abs($0 - bottoms[0]) < 0.02 })
    }

    @Test("a logarithmic axis uses powers of ten and skips non-positive values")
    func logarithmicScale() throws {
        var chart = BarChart(bars: [("fast", 0.35), ("mid", 4.2), ("slow", 412), ("broken", 0)],
            valueFormat: .automatic(suffix: " s"))
        chart.scale = .logarithmic
        let parsed = try parseSVG(chart.svg())
        let bars = parsed.all("rect", class: "bar")
        try #require(bars.count == 3)
        #expect(parsed.texts(class: "bar-value") == ["0.35 s", "4.2 s", "412 s", "n/a"])
        let ticks = parsed.texts(class: "value-tick-label")
        #expect(ticks == ["0.1", "1", "10", "100", "1000"])
        // Equal ratios give equal length differences on a log axis.
        let widths = bars.map { number($0, "width") }
        let perDecade = (widths[2] - widths[1]) / log10(412 / 4.2)
        #expect(abs((widths[1] - widths[0]) / log10(4.2 / 0.35) - perDecade) < 0.05)
    }

    @Test("several series form groups with a legend and per-series colours")
    func groupedSeries() throws {
        let chart = BarChart(
            categories: models,
            series: [.init(name: "train", values: [0.93, 0.99, 0.994]), .init(name: "test", values: [0.92, .nan])],
            orientation: .vertical, valueFormat: .fixed(decimals: 2))
        let parsed = try parseSVG(chart.svg())
        #expect(parsed.texts(class: "legend-label") == ["train", "test"])
        let bars = parsed.all("rect", class: "bar")
        // The NaN value gets "n/a" and no bar; the missing third test value gets neither.
        #expect(bars.count == 4)
        #expect(parsed.texts(class: "bar-value") == ["0.93", "0.92", "0.99", "n/a", "0.99"])
        #expect(bars.filter { $0.attributes["fill"] == ChartPalette.colors[0] }.count == 3)
        #expect(bars.filter { $0.attributes["fill"] == ChartPalette.colors[1] }.count == 1)
    }

    @Test("negative values extend the axis below zero")
    func negativeValues() throws {
        let chart = BarChart(bars: [("gain", 3), ("loss", -2)])
        let parsed = try parseSVG(chart.svg())
        let ticks = parsed.texts(class: "value-tick-label").compactMap(Double.init)
        #expect((ticks.min() ?? 0) <= -2 && (ticks.max() ?? 0) >= 3)
        let bars = parsed.all("rect", class: "bar")
        try #require(bars.count == 2)
        #expect(number(bars[1], "x") < number(bars[0], "x"), "the negative bar lies left of zero")
    }

    @Test("categories are escaped and an empty chart shows a note")
    func escapingAndEmpty() throws {
        let chart = BarChart(title: "<T&>", bars: [("a<b>&\"c\"", 1)])
        let svg = chart.svg()
        #expect(svg.contains("a&lt;b&gt;&amp;&quot;c&quot;"))
        #expect(try parseSVG(svg).texts(class: "category-label") == ["a<b>&\"c\""])
        let empty = try parseSVG(BarChart(title: "none", bars: []).svg())
        #expect(empty.texts(class: "empty-note") == ["No data"])
        #expect(empty.all("rect", class: "bar").isEmpty)
    }

    @Test("value formats", arguments: [
        (BarChart.ValueFormat.automatic(), 1234.5678, "1235"),
        (.automatic(suffix: " s"), 0.012345, "0.0123 s"),
        (.fixed(decimals: 3), 2.0, "2.000"),
        (.percent(decimals: 0), 0.975, "98%"),
        (.percent(), .nan, "n/a"),
    ])
    func valueFormats(format: BarChart.ValueFormat, value: Double, expected: String) {
        #expect(format.format(value) == expected)
    }
}
