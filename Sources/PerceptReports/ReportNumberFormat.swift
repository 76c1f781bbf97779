import Foundation

/// Locale-independent number formatting shared by the charts, the CSV writer and the tables.
///
/// Every function here produces the same text on every machine: the decimal separator is always
/// `.`, there is never a thousands separator, and negative zero is printed as `0`. Non-finite
/// values are printed as `nan`, `inf` and `-inf`, which `Double(_:)` parses back.
public enum ReportNumberFormat {
    /// Formats `value` with exactly `decimals` digits after the decimal point (`decimals` ≤ 0
    /// gives an integer), rounding half away from zero.
    ///
    /// Values too large for exact fixed-point rounding (beyond about 10¹⁵ once scaled) fall back to
    /// ``roundTrip(_:)``.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return nonFinite(value) }
        let places = max(0, min(decimals, 15))
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e15 else { return roundTrip(value) }
        let digits = UInt64(scaled)
        if digits == 0 { return places == 0 ? "0" : "0." + String(repeating: "0", count: places) }
        var text = String(digits)
        if places > 0 {
            if text.count <= places {
                text = String(repeating: "0", count: places - text.count + 1) + text
            }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -places))
        }
        return value < 0 ? "-" + text : text
    }

    /// Formats `value` in the shortest form that `Double(_:)` parses back to exactly the same
    /// value (for example `0.1`, `1e-05`, `3.0`), independent of the locale.
    public static func roundTrip(_ value: Double) -> String {
        guard value.isFinite else { return nonFinite(value) }
        if value == 0 { return "0.0" }
        return value.description
    }

    /// Formats `value` with at most `maxDecimals` decimals and without trailing zeros
    /// (`2.50` becomes `2.5`, `3.00` becomes `3`).
    public static func trimmed(_ value: Double, maxDecimals: Int) -> String {
        var text = fixed(value, decimals: maxDecimals)
        guard text.contains("."), value.isFinite else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// Formats `value` in scientific notation with `significantDigits` significant digits and no
    /// trailing zeros in the mantissa, for example `2.5e-8` or `1e6`.
    public static func scientific(_ value: Double, significantDigits: Int = 3) -> String {
        guard value.isFinite else { return nonFinite(value) }
        guard value != 0 else { return "0" }
        var exponent = Int((log10(abs(value))).rounded(.down))
        var mantissa = value / power10(exponent)
        let decimals = max(0, significantDigits - 1)
        var mantissaText = trimmed(mantissa, maxDecimals: decimals)
        if let rounded = Double(mantissaText), abs(rounded) >= 10 {
            exponent += 1
            mantissa = value / power10(exponent)
            mantissaText = trimmed(mantissa, maxDecimals: decimals)
        }
        return "\(mantissaText)e\(exponent)"
    }

    /// A short human-readable form: plain decimals for magnitudes between 10⁻⁴ and 10⁶, scientific
    /// notation otherwise, with at most `significantDigits` significant digits.
    public static func compact(_ value: Double, significantDigits: Int = 3) -> String {
        guard value.isFinite else { return nonFinite(value) }
        guard value != 0 else { return "0" }
        let magnitude = abs(value)
        guard magnitude >= 1e-4, magnitude < 1e6 else {
            return scientific(value, significantDigits: significantDigits)
        }
        let integerDigits = Int((log10(magnitude)).rounded(.down)) + 1
        return trimmed(value, maxDecimals: max(0, significantDigits - integerDigits))
    }

    static func nonFinite(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        return value < 0 ? "-inf" : "inf"
    }

    /// 10 raised to `exponent`, correctly rounded (parsing is exact where repeated division is not).
    static func power10(_ exponent: Int) -> Double {
        Double("1e\(exponent)") ?? .nan
    }
}
