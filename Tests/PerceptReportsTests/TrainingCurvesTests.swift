import Foundation
import Testing

@testable import PerceptReports

@Suite("TrainingCurves and ChartGrid")
struct TrainingCurvesTests {
    private let history: [String: [Double]] = [
        "val_accuracy": [0.6, 0.75, 0.8],
        "accuracy": [0.65, 0.8, 0.88],
        "val_loss": [1.1, 0.8, 0.7],
        "loss": [1.2, 0.7, 0.5],
    ]

    @Test("loss and accuracy panels side by side, training solid and validation dashed")
    func twoPanels() throws {
        let parsed = try parseSVG(TrainingCurves.svg(history: history))
        #expect(parsed.root?.name == "svg")
        #expect(parsed.texts(class: "chart-title") == ["Loss", "Accuracy"])
        let panels = parsed.all("g", class: "panel")
        try #require(panels.count == 2)
        #expect(panels[0].attributes["transform"] == "translate(0 0)")
        #expect(panels[1].attributes["transform"]?.hasPrefix("translate(496 ") == true)
        for panel in 0..<2 {
            let lines = parsed.all("path", class: "series-line", inside: "line-chart", occurrence: panel)
            try #require(lines.count == 2)
            #expect(lines[0].attributes["stroke-dasharray"] == nil)
            #expect(lines[1].attributes["stroke-dasharray"] != nil)
            #expect(lines[0].attributes["stroke"] == lines[1].attributes["stroke"])
            #expect(pathPoints(lines[1].attributes["d"] ?? "").count == 3)
            #expect(
                parsed.texts(class: "legend-label").count == 4
                    && parsed.texts(class: "legend-label")[panel * 2] == TrainingCurves.trainingName)
        }
        let lossColor = parsed.all("path", class: "series-line", inside: "line-chart", occurrence: 0)[0]
            .attributes["stroke"]
        let accuracyColor = parsed.all("path", class: "series-line", inside: "line-chart", occurrence: 1)[0]
            .attributes["stroke"]
        #expect(lossColor != accuracyColor)
    }

    @Test("absent validation series are skipped")
    func missingValidation() throws {
        let parsed = try parseSVG(
            TrainingCurves.svg(history: ["loss": [1, 0.5], "accuracy": [0.5, 0.7], "val_loss": [1.1, 0.6]]))
        #expect(parsed.all("path", class: "series-line", inside: "line-chart", occurrence: 0).count == 2)
        let accuracyLines = parsed.all("path", class: "series-line", inside: "line-chart", occurrence: 1)
        #expect(accuracyLines.count == 1)
        #expect(accuracyLines.first?.attributes["stroke-dasharray"] == nil)
        #expect(parsed.texts(class: "legend-label") == ["Training", "Validation", "Training"])
    }

    @Test("ids stay unique when panels share a document")
    func uniqueIDs() throws {
        let parsed = try parseSVG(TrainingCurves.svg(history: history))
        let ids = parsed.elements.compactMap { $0.attributes["id"] }
        #expect(ids.count == 2)
        #expect(Set(ids).count == ids.count)
    }

    @Test("ordered histories keep their order; extra metrics get their own panel")
    func orderedHistoryAndExtraMetrics() throws {
        let ordered: [(name: String, values: [Double])] = [
            ("accuracy", [0.5, 0.6]), ("loss", [1, 0.9]), ("learning_rate", [0.1, 0.05]),
        ]
        let charts = TrainingCurves.charts(history: ordered)
        #expect(charts.map(\.title) == ["Accuracy", "Loss", "Learning rate"])
        let dictionaryCharts = TrainingCurves.charts(history: TrainingCurves.orderedHistory([
            "top5_accuracy": [0.9], "loss": [1], "val_top5_accuracy": [0.8], "accuracy": [0.5],
        ]))
        #expect(dictionaryCharts.map(\.title) == ["Loss", "Accuracy", "Top5 accuracy"])
        #expect(dictionaryCharts[2].series.map(\.style) == [.solid, .dashed])
    }

    @Test("explicit epochs become the x values")
    func explicitEpochs() throws {
        let charts = TrainingCurves.charts(epochs: [5, 10, 15], history: [("loss", [1, 0.5, 0.25])])
        #expect(charts.first?.series.first?.xValues == [5, 10, 15])
        let labels = try parseSVG(
            TrainingCurves.svg(epochs: [5, 10, 15], history: [("loss", [1, 0.5, 0.25])])
        ).texts(class: "x-tick-label")
        #expect(labels.contains("10") && !labels.contains("1"), "\(labels)")
    }

    @Test("an empty history still renders a document with a note")
    func emptyHistory() throws {
        let parsed = try parseSVG(TrainingCurves.svg(history: [String: [Double]]()))
        #expect(parsed.texts(class: "empty-note") == ["No data"])
    }

    @Test("a grid sizes itself from its panels and can mix chart kinds")
    func gridLayout() throws {
        let line = LineChart(title: "L", series: [ChartSeries(name: "s", values: [1, 2])], width: 300, height: 200)
        let bars = BarChart(title: "B", bars: [("x", 1)], width: 250, height: 260)
        let grid = ChartGrid(panels: [line, bars, line], columns: 2, title: "Both", spacing: 10)
        #expect(grid.width == 300 + 10 + 250)
        #expect(grid.height == 34 + 260 + 10 + 200)
        let parsed = try parseSVG(grid.svg())
        #expect(parsed.root?.attributes["viewBox"] == "0 0 560 504")
        #expect(parsed.all("g", class: "panel").map { $0.attributes["transform"] ?? "" } == [
            "translate(0 34)", "translate(310 34)", "translate(0 304)",
        ])
        #expect(parsed.texts(class: "grid-title") == ["Both"])
        #expect(parsed.all("g", class: "line-chart").count == 2)
        #expect(parsed.all("g", class: "bar-chart").count == 1)
    }
}
