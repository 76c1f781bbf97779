import Foundation
import Testing

@testable import PerceptReports

@Suite("LineChart")
struct LineChartTests {
    private func sampleChart() -> LineChart {
        LineChart(
            title: "Loss", xLabel: "Epoch", yLabel: "Loss",
            series: [
                ChartSeries(name: "Training", values: [2.3, 1.1, 0.6, 0.4, 0.3]),
                ChartSeries(name: "Validation", values: [2.4, 1.3, 0.8, 0.7, 0.72], style: .dashed),
            ])
    }

    @Test("output is a well-formed standalone SVG 1.1 document")
    func wellFormedStandaloneDocument() throws {
        let svg = sampleChart().svg()
        #expect(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\""))
        let parsed = try parseSVG(svg)
        let root = try #require(parsed.root)
        #expect(root.name == "svg")
        #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(root.attributes["version"] == "1.1")
        #expect(root.attributes["width"] == "640")
        #expect(root.attributes["height"] == "400")
        #expect(root.attributes["viewBox"] == "0 0 640 400")
    }

    @Test("each series becomes one path with one point per finite value")
    func pathPointCountMatchesFiniteValues() throws {
        let values = [1.0, .nan, 3, .infinity, 5, 6, -.infinity]
        let chart = LineChart(series: [ChartSeries(name: "s", values: values)])
        let parsed = try parseSVG(chart.svg())
        let paths = parsed.all("path", class: "series-line")
        try #require(paths.count == 1)
        let points = pathPoints(paths[0].attributes["d"] ?? "")
        #expect(points.count == values.filter(\.isFinite).count)
        // Non-finite values are skipped and the line joins their neighbours: one run.
        #expect(points.filter { $0.command == "M" }.count == 1)
        #expect(points.first?.command == "M")
    }

    @Test("points are placed in order of x and inside the plot")
    func pointsFollowTheData() throws {
        let chart = LineChart(series: [ChartSeries(name: "s", values: [1, 4, 2, 8])])
        let parsed = try parseSVG(chart.svg())
        let points = pathPoints(try #require(parsed.all("path", class: "series-line").first?.attributes["d"]))
        try #require(points.count == 4)
        #expect(zip(points, points.dropFirst()).allSatisfy { $0.x < $1.x })
        // SVG y grows downwards: larger values are higher up.
        #expect(points[1].y < points[0].y)
        #expect(points[3].y < points[1].y)
        #expect(points[2].y > points[1].y)
        #expect(points.allSatisfy { (0...640).contains($0.x) && (0...400).contains($0.y) })
    }

    @Test("explicit x values set the horizontal spacing")
    func explicitXValues() throws {
        let chart = LineChart(series: [ChartSeries(name: "s", values: [1, 2, 3], xValues: [0, 10, 100])])
        let parsed = try parseSVG(chart.svg())
        let points = pathPoints(try #require(parsed.all("path", class: "series-line").first?.attributes["d"]))
        try #require(points.count == 3)
        let ratio = (points[1].x - points[0].x) / (points[2].x - points[0].x)
        #expect(abs(ratio - 0.1) < 0.01)
    }

    @Test(
        "y-axis ticks cover the data range",
        arguments: [
            [0.13, 2.37, 1.2], [-5.5, 3.25], [0.912, 0.9781, 0.95], [1_250_000, 9_800_000],
            [1e-7, 3e-7], [-0.002, -0.0011],
        ])
    func yTicksCoverData(values: [Double]) throws {
        let chart = LineChart(series: [ChartSeries(name: "s", values: values)])
        let parsed = try parseSVG(chart.svg())
        let ticks = parsed.texts(class: "y-tick-label").compactMap(Double.init)
        #expect(ticks.count >= 3)
        #expect(ticks.count == parsed.texts(class: "y-tick-label").count, "every tick label is a number")
        let low = try #require(ticks.min())
        let high = try #require(ticks.max())
        #expect(low <= values.min()! && high >= values.max()!, "ticks \(ticks) for \(values)")
        // Nice steps: all gaps equal, and the step is 1, 2 or 5 times a power of ten.
        let steps = zip(ticks, ticks.dropFirst()).map { $1 - $0 }
        let step = try #require(steps.first)
        #expect(steps.allSatisfy { abs($0 - step) <= step * 1e-6 })
        let mantissa = step / pow(10, (log10(step)).rounded(.down))
        #expect([1.0, 2, 5, 10].contains { abs(mantissa - $0) < 1e-6 }, "step \(step)")
    }

    @Test("epoch axes get integer ticks")
    func epochTicksAreIntegers() throws {
        let chart = LineChart(series: [ChartSeries(name: "s", values: [3, 2, 1])])
        let labels = try parseSVG(chart.svg()).texts(class: "x-tick-label")
        #expect(!labels.isEmpty)
        #expect(labels.allSatisfy { Int($0) != nil }, "\(labels)")
    }

    @Test("text with XML special characters is escaped")
    func escapesText() throws {
        let nasty = "a<b & c>\"d\" 'e'"
        let chart = LineChart(
            title: nasty, xLabel: nasty, yLabel: nasty, series: [ChartSeries(name: nasty, values: [1, 2])])
        let svg = chart.svg()
        #expect(svg.contains("a&lt;b &amp; c&gt;&quot;d&quot; &apos;e&apos;"))
        #expect(!svg.contains(nasty))
        let parsed = try parseSVG(svg)
        #expect(parsed.texts(class: "chart-title") == [nasty])
        #expect(parsed.texts(class: "x-label") == [nasty])
        #expect(parsed.texts(class: "y-label") == [nasty])
        #expect(parsed.texts(class: "legend-label") == [nasty])
        #expect(parsed.all("title").map(\.text).contains(nasty))
    }

    @Test("control characters in labels still give well-formed XML")
    func controlCharactersAreReplaced() throws {
        let chart = LineChart(title: "bad\u{1}\u{0}title", series: [ChartSeries(name: "x\u{1B}", values: [1])])
        let parsed = try parseSVG(chart.svg())
        #expect(parsed.texts(class: "chart-title") == ["bad\u{FFFD}\u{FFFD}title"])
    }

    @Test("non-finite values never reach the SVG")
    func noNonFiniteNumbers() throws {
        let chart = LineChart(
            series: [
                ChartSeries(name: "a", values: [.nan, 1, .infinity, 2, -.infinity]),
                ChartSeries(name: "b", values: [.nan, .nan], xValues: [.infinity, 3]),
            ])
        let parsed = try parseSVG(chart.svg())
        for element in parsed.elements {
            for (name, value) in element.attributes where name != "class" && name != "font-family" {
                let lowered = value.lowercased()
                #expect(!lowered.contains("nan") && !lowered.contains("inf"), "\(element.name) \(name)=\(value)")
            }
        }
        #expect(pathPoints(try #require(parsed.all("path", class: "series-line").first?.attributes["d"])).count == 2)
    }

    @Test("a single point gets a marker and a usable axis")
    func singlePoint() throws {
        let chart = LineChart(series: [ChartSeries(name: "only", values: [0.42])], width: 300, height: 200)
        let parsed = try parseSVG(chart.svg())
        let markers = parsed.all("circle", class: "series-marker", inside: "series", occurrence: 0)
        try #require(markers.count == 1)
        #expect(parsed.all("circle", class: "series-marker", inside: "legend", occurrence: 0).count == 1)
        let x = number(markers[0], "cx")
        let y = number(markers[0], "cy")
        #expect((0...300).contains(x) && (0...200).contains(y))
        let ticks = parsed.texts(class: "y-tick-label").compactMap(Double.init)
        #expect((ticks.min() ?? .infinity) < 0.42 && (ticks.max() ?? -.infinity) > 0.42, "\(ticks)")
        #expect(parsed.texts(class: "x-tick-label") == ["1"])
    }

    @Test("a lone point keeps its marker even when markers are off")
    func isolatedPointMarker() throws {
        var chart = LineChart(
            series: [ChartSeries(name: "", values: [1, 2, .nan, 3]), ChartSeries(name: "", values: [.nan, 4])])
        chart.markers = .never
        let parsed = try parseSVG(chart.svg())
        #expect(parsed.all("circle", class: "series-marker", inside: "series", occurrence: 0).isEmpty)
        #expect(parsed.all("circle", class: "series-marker", inside: "series", occurrence: 1).count == 1)
        chart.markers = .always
        let all = try parseSVG(chart.svg())
        #expect(all.all("circle", class: "series-marker", inside: "series", occurrence: 0).count == 3)
    }

    @Test("all-equal values get an axis strictly around them", arguments: [0.0, 5.0, -1234.5, 1e-9])
    func allEqualValues(value: Double) throws {
        let chart = LineChart(series: [ChartSeries(name: "flat", values: [value, value, value])])
        let parsed = try parseSVG(chart.svg())
        let ticks = parsed.texts(class: "y-tick-label").compactMap(Double.init)
        #expect(ticks.count >= 2)
        #expect((ticks.min() ?? .infinity) < value && (ticks.max() ?? -.infinity) > value, "\(ticks)")
        let points = pathPoints(try #require(parsed.all("path", class: "series-line").first?.attributes["d"]))
        #expect(points.count == 3)
        #expect(Set(points.map(\.y)).count == 1)
    }

    @Test("an empty chart renders a frame and a note", arguments: [[], [ChartSeries(name: "e", values: [])],
        [ChartSeries(name: "n", values: [.nan, .infinity])]])
    func emptyChart(series: [ChartSeries]) throws {
        let chart = LineChart(title: "Nothing", series: series)
        let parsed = try parseSVG(chart.svg())
        #expect(parsed.texts(class: "empty-note") == ["No data"])
        #expect(parsed.all("path", class: "series-line").isEmpty)
        #expect(parsed.all("text", class: "y-tick-label").isEmpty)
    }

    @Test("markers appear on short series only")
    func automaticMarkers() throws {
        let short = LineChart(series: [ChartSeries(name: "s", values: (1...30).map(Double.init))])
        let long = LineChart(series: [ChartSeries(name: "l", values: (1...31).map(Double.init))])
        // The legend swatch repeats the marker of a series that has markers.
        #expect(try parseSVG(short.svg()).all("circle", class: "series-marker").count == 31)
        #expect(try parseSVG(long.svg()).all("circle", class: "series-marker").isEmpty)
    }

    @Test("dashed series are dashed, colours come from the palette")
    func stylesAndColours() throws {
        let chart = LineChart(
            series: [
                ChartSeries(name: "a", values: [1, 2]),
                ChartSeries(name: "b", values: [2, 1], style: .dashed),
                ChartSeries(name: "c", values: [3, 3], style: .dashed, colorIndex: 0),
            ])
        let lines = try parseSVG(chart.svg()).all("path", class: "series-line")
        try #require(lines.count == 3)
        #expect(lines[0].attributes["stroke-dasharray"] == nil)
        #expect(lines[1].attributes["stroke-dasharray"] != nil)
        #expect(lines[0].attributes["stroke"] == ChartPalette.colors[0])
        #expect(lines[1].attributes["stroke"] == ChartPalette.colors[1])
        #expect(lines[2].attributes["stroke"] == ChartPalette.colors[0])
    }

    @Test("a fixed y domain sets the ticks and clips the lines")
    func fixedDomain() throws {
        var chart = LineChart(series: [ChartSeries(name: "acc", values: [0.5, 0.9, 1.2])])
        chart.yDomain = 0...1
        let parsed = try parseSVG(chart.svg())
        let ticks = parsed.texts(class: "y-tick-label").compactMap(Double.init)
        #expect(ticks.first == 0 && ticks.last == 1)
        let clip = try #require(parsed.all("clipPath").first?.attributes["id"])
        #expect(parsed.all("g", class: "series").allSatisfy { $0.attributes["clip-path"] == "url(#\(clip))" })
    }

    @Test("the legend lists every named series")
    func legend() throws {
        let chart = LineChart(
            series: [ChartSeries(name: "one", values: [1]), ChartSeries(name: "", values: [2]),
                ChartSeries(name: "three", values: [3])])
        #expect(try parseSVG(chart.svg()).texts(class: "legend-label") == ["one", "three"])
    }
}
