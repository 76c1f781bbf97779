import Foundation

/// The domain of an axis and the positions and labels of its ticks.
///
/// Linear axes use "nice" steps of 1, 2 or 5 times a power of ten; logarithmic axes put ticks at
/// powers of ten (and at 2× and 5× when the axis spans few decades).
struct AxisScale: Sendable, Equatable {
    /// The value drawn at the low end of the axis.
    var lower: Double
    /// The value drawn at the high end of the axis.
    var upper: Double
    /// Tick positions in data units, ascending, all inside `lower...upper`.
    var ticks: [Double]
    /// Tick labels, parallel to `ticks`.
    var labels: [String]
    /// Whether positions map through log₁₀.
    var isLogarithmic: Bool

    /// Maps a data value to a fraction of the axis length (0 at `lower`, 1 at `upper`).
    func fraction(_ value: Double) -> Double {
        if isLogarithmic {
            guard value > 0 else { return 0 }
            let low = log10(lower)
            let span = log10(upper) - low
            return span > 0 ? (log10(value) - low) / span : 0.5
        }
        let span = upper - lower
        return span > 0 ? (value - lower) / span : 0.5
    }

    /// The nice step (1, 2 or 5 times a power of ten) nearest to `rough`.
    static func niceStep(_ rough: Double) -> Double {
        guard rough.isFinite, rough > 0 else { return 1 }
        let exponent = Int(log10(rough).rounded(.down))
        let base = ReportNumberFormat.power10(exponent)
        let fraction = rough / base
        let nice: Double
        if fraction < 1.5 {
            nice = 1
        } else if fraction < 3 {
            nice = 2
        } else if fraction < 7 {
            nice = 5
        } else {
            nice = 10
        }
        return nice * base
    }

    /// A linear scale covering `minimum...maximum` with about `targetTickCount` ticks.
    ///
    /// - Parameters:
    ///   - extendToTicks: widen the domain outward to the nearest ticks (used for value axes, so the
    ///     first and last gridlines frame the data); when `false` the domain is the data range plus
    ///     `padding` (a fraction of the span) on each side.
    ///   - integerTicks: never use a step below 1 (for epoch axes).
    ///
    /// When the domain is widened to ticks and the first step leaves more than a fifth of the axis
    /// empty (data up to 1.001 would give an axis up to 1.5), slightly finer steps are tried and the
    /// tightest fit is kept.
    static func linear(
        minimum: Double, maximum: Double, targetTickCount: Int, extendToTicks: Bool,
        integerTicks: Bool = false, padding: Double = 0
    ) -> AxisScale {
        let first = linearOnce(
            minimum: minimum, maximum: maximum, targetTickCount: targetTickCount,
            extendToTicks: extendToTicks, integerTicks: integerTicks, padding: padding)
        let dataSpan = abs(maximum - minimum)
        guard extendToTicks, dataSpan.isFinite, dataSpan > 0 else { return first }
        func coverage(_ scale: AxisScale) -> Double { dataSpan / (scale.upper - scale.lower) }
        var best = first
        var extra = 1
        while coverage(best) < 0.8 && extra <= 3 {
            let candidate = linearOnce(
                minimum: minimum, maximum: maximum, targetTickCount: targetTickCount + extra,
                extendToTicks: true, integerTicks: integerTicks, padding: 0)
            if coverage(candidate) > coverage(best) { best = candidate }
            extra += 1
        }
        return best
    }

    private static func linearOnce(
        minimum: Double, maximum: Double, targetTickCount: Int, extendToTicks: Bool,
        integerTicks: Bool, padding: Double
    ) -> AxisScale {
        var low = min(minimum, maximum)
        var high = max(minimum, maximum)
        if !low.isFinite || !high.isFinite {
            low = 0
            high = 1
        }
        if high - low <= 0 || !(high - low).isFinite || (high - low) < abs(high) * 1e-12 {
            let center = (low + high) / 2
            if integerTicks && center == center.rounded() && !extendToTicks {
                low = center - 0.5
                high = center + 0.5
            } else {
                let half = center == 0 ? 1 : abs(center) * 0.1
                low = center - half
                high = center + half
            }
        }
        let span = high - low
        guard span.isFinite, span > 0 else {
            return AxisScale(
                lower: low, upper: high, ticks: [low, high],
                labels: [ReportNumberFormat.compact(low), ReportNumberFormat.compact(high)],
                isLogarithmic: false)
        }
        var step = niceStep(span / Double(max(1, targetTickCount - 1)))
        if integerTicks { step = max(step, 1) }
        var lower = low
        var upper = high
        if extendToTicks {
            lower = (low / step + 1e-9).rounded(.down) * step
            upper = (high / step - 1e-9).rounded(.up) * step
        } else if padding > 0 {
            lower = low - span * padding
            upper = high + span * padding
        }
        let first = Int((lower / step - 1e-9).rounded(.up))
        let last = Int((upper / step + 1e-9).rounded(.down))
        var ticks: [Double] = []
        if last >= first && last - first <= 1000 {
            for index in first...last {
                let value = Double(index) * step
                ticks.append(value == 0 ? 0 : value)
            }
        }
        let decimals = max(0, Int((-log10(step) - 1e-9).rounded(.up)))
        let largest = max(abs(lower), abs(upper))
        let labels = ticks.map { value -> String in
            if decimals > 6 || largest >= 1e7 {
                return ReportNumberFormat.scientific(value, significantDigits: 3)
            }
            return ReportNumberFormat.fixed(value, decimals: decimals)
        }
        return AxisScale(lower: lower, upper: upper, ticks: ticks, labels: labels, isLogarithmic: false)
    }

    /// A base-10 logarithmic scale covering the positive range `minimum...maximum`.
    ///
    /// The lower end is a power of ten strictly below `minimum`, so a bar drawn from the lower end
    /// always has a visible length. Non-positive bounds fall back to `0.1...10`.
    static func logarithmic(minimum: Double, maximum: Double) -> AxisScale {
        var low = min(minimum, maximum)
        var high = max(minimum, maximum)
        if !(low > 0) || !low.isFinite || !high.isFinite {
            low = 1
            high = 1
        }
        var lowExponent = Int(log10(low).rounded(.down))
        if ReportNumberFormat.power10(lowExponent) >= low * (1 - 1e-12) { lowExponent -= 1 }
        var highExponent = Int(log10(high).rounded(.up))
        if highExponent <= lowExponent { highExponent = lowExponent + 1 }
        if ReportNumberFormat.power10(highExponent) < high { highExponent += 1 }
        let lower = ReportNumberFormat.power10(lowExponent)
        let upper = ReportNumberFormat.power10(highExponent)
        let fewDecades = highExponent - lowExponent <= 2
        var ticks: [Double] = []
        for exponent in lowExponent...highExponent {
            let decade = ReportNumberFormat.power10(exponent)
            ticks.append(decade)
            if fewDecades && exponent < highExponent {
                ticks.append(2 * decade)
                ticks.append(5 * decade)
            }
        }
        let labels = ticks.map { ReportNumberFormat.compact($0, significantDigits: 3) }
        return AxisScale(lower: lower, upper: upper, ticks: ticks, labels: labels, isLogarithmic: true)
    }
}
