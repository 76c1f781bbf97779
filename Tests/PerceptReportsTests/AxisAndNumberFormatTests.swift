import Foundation
import Testing

@testable import PerceptReports

@Suite("Axis scales and number formatting")
struct AxisAndNumberFormatTests {
    @Test("nice steps are 1, 2 or 5 times a power of ten", arguments: [
        (0.013, 0.01), (0.17, 0.2), (0.33, 0.5), (0.9, 1.0), (3.8, 5.0), (7.5, 10.0), (230.0, 200.0),
    ])
    func niceSteps(rough: Double, expected: Double) {
        #expect(abs(AxisScale.niceStep(rough) - expected) < expected * 1e-12)
    }

    @Test("a value scale extends outwards to ticks that cover the data")
    func linearCovers() {
        let scale = AxisScale.linear(minimum: 0.088, maximum: 2.31, targetTickCount: 6, extendToTicks: true)
        #expect(scale.lower == 0 && scale.upper == 2.5)
        #expect(scale.labels == ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5"])
        #expect(scale.ticks.first == scale.lower && scale.ticks.last == scale.upper)
    }

    @Test("a scale whose first step wastes the axis picks a finer one")
    func tighterFit() {
        let scale = AxisScale.linear(minimum: 0, maximum: 1.001, targetTickCount: 5, extendToTicks: true)
        #expect(scale.upper < 1.5)
        #expect(scale.upper >= 1.001)
    }

    @Test("logarithmic ticks sit on powers of ten, with 2 and 5 for narrow ranges")
    func logarithmic() {
        let wide = AxisScale.logarithmic(minimum: 0.35, maximum: 412)
        #expect(wide.ticks == [0.1, 1, 10, 100, 1000])
        #expect(wide.lower < 0.35 && wide.upper >= 412)
        let narrow = AxisScale.logarithmic(minimum: 2, maximum: 40)
        #expect(narrow.labels == ["1", "2", "5", "10", "20", "50", "100"])
        let exact = AxisScale.logarithmic(minimum: 10, maximum: 10)
        #expect(exact.lower < 10 && exact.upper >= 10)
    }

    @Test("fixed-point formatting is locale-free", arguments: [
        (1234.5678, 2, "1234.57"), (0.05, 1, "0.1"), (-0.004, 2, "0.00"), (2.5, 0, "3"), (-2.5, 0, "-3"),
        (0.000123, 5, "0.00012"), (7, 3, "7.000"), (-12.3456, 1, "-12.3"),
    ])
    func fixed(value: Double, decimals: Int, expected: String) {
        #expect(ReportNumberFormat.fixed(value, decimals: decimals) == expected)
    }

    @Test("compact and scientific forms")
    func compactAndScientific() {
        #expect(ReportNumberFormat.compact(0.35) == "0.35")
        #expect(ReportNumberFormat.compact(61.34) == "61.3")
        #expect(ReportNumberFormat.compact(412) == "412")
        #expect(ReportNumberFormat.compact(2.5e-8) == "2.5e-8")
        #expect(ReportNumberFormat.compact(9_999_999) == "1e7")
        #expect(ReportNumberFormat.scientific(-3.14159e12) == "-3.14e12")
        #expect(ReportNumberFormat.trimmed(2.50, maxDecimals: 3) == "2.5")
        #expect(ReportNumberFormat.trimmed(-0.0001, maxDecimals: 2) == "0")
    }

    @Test("palette colours wrap around")
    func palette() {
        #expect(ChartPalette.color(at: 0) == "#0072B2")
        #expect(ChartPalette.color(at: ChartPalette.colors.count) == ChartPalette.color(at: 0))
        #expect(ChartPalette.color(at: -1) == ChartPalette.colors.last)
        #expect(Set(ChartPalette.colors).count == ChartPalette.colors.count)
    }
}
