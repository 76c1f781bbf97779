import Foundation

/// Escapes text for use in XML character data and in attribute values.
///
/// The five special characters become entity references, and characters that XML 1.0 forbids
/// (most C0 control characters and U+FFFE/U+FFFF) become U+FFFD, so any Swift string yields
/// well-formed XML.
func xmlEscaped(_ text: String) -> String {
    var result = ""
    result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": result += "&amp;"
        case "<": result += "&lt;"
        case ">": result += "&gt;"
        case "\"": result += "&quot;"
        case "'": result += "&apos;"
        case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
        default:
            if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                result.unicodeScalars.append("\u{FFFD}")
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
    return result
}

/// Formats an SVG coordinate or length with at most two decimals; never emits `NaN` or `inf`.
func svgNumber(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    return ReportNumberFormat.trimmed(value, maxDecimals: 2)
}

/// Estimates the rendered width of `text` in a sans-serif font of `fontSize` pixels.
///
/// SVG has no text measurement without a renderer, so layout uses per-character widths typical of
/// DejaVu Sans / Helvetica. The estimate errs on the wide side so that labels do not collide.
func estimatedTextWidth(_ text: String, fontSize: Double) -> Double {
    var ems = 0.0
    for character in text {
        switch character {
        case "i", "l", "j", "I", ".", ",", ":", ";", "'", "|", "!", " ", "(", ")", "[", "]":
            ems += 0.34
        case "f", "t", "r", "-":
            ems += 0.42
        case "m", "w", "M", "W", "%", "@":
            ems += 0.9
        case "0"..."9":
            ems += 0.64
        default:
            ems += character.isUppercase ? 0.72 : 0.6
        }
    }
    return ems * fontSize
}

/// Shortens `text` with a trailing ellipsis until its estimated width fits `maxWidth`.
func truncated(_ text: String, toWidth maxWidth: Double, fontSize: Double) -> String {
    guard estimatedTextWidth(text, fontSize: fontSize) > maxWidth else { return text }
    var characters = Array(text)
    while !characters.isEmpty
        && estimatedTextWidth(String(characters) + "…", fontSize: fontSize) > maxWidth
    {
        characters.removeLast()
    }
    return String(characters) + "…"
}

/// The font stack used by every chart.
let chartFontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif"

/// Accumulates SVG markup, escaping every attribute value and text node.
struct SVGBuilder {
    /// The markup written so far.
    private(set) var markup = ""
    private var indentation = 0

    /// Opens an element that will contain children; balance with ``close(_:)``.
    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        line("<\(name)\(Self.attributeText(attributes))>")
        indentation += 1
    }

    /// Closes the element opened last.
    mutating func close(_ name: String) {
        indentation -= 1
        line("</\(name)>")
    }

    /// Writes an empty element, or an element containing only escaped `text`.
    mutating func element(_ name: String, _ attributes: [(String, String)] = [], text: String? = nil) {
        if let text {
            line("<\(name)\(Self.attributeText(attributes))>\(xmlEscaped(text))</\(name)>")
        } else {
            line("<\(name)\(Self.attributeText(attributes))/>")
        }
    }

    /// Inserts markup produced by another builder verbatim (it is already escaped).
    mutating func embed(_ fragment: String) {
        markup += fragment
        if !fragment.isEmpty && !fragment.hasSuffix("\n") { markup += "\n" }
    }

    /// Writes a `<text>` element.
    mutating func text(
        _ content: String, x: Double, y: Double, size: Double, anchor: String = "start",
        weight: String? = nil, fill: String = "#222222", extra: [(String, String)] = []
    ) {
        var attributes: [(String, String)] = [
            ("x", svgNumber(x)), ("y", svgNumber(y)), ("font-size", svgNumber(size)),
            ("text-anchor", anchor), ("fill", fill),
        ]
        if let weight { attributes.append(("font-weight", weight)) }
        attributes += extra
        element("text", attributes, text: content)
    }

    /// Writes a straight `<line>`.
    mutating func line(
        x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1,
        extra: [(String, String)] = []
    ) {
        element(
            "line",
            [
                ("x1", svgNumber(x1)), ("y1", svgNumber(y1)), ("x2", svgNumber(x2)), ("y2", svgNumber(y2)),
                ("stroke", stroke), ("stroke-width", svgNumber(width)),
            ] + extra)
    }

    private mutating func line(_ text: String) {
        markup += String(repeating: "  ", count: max(0, indentation))
        markup += text
        markup += "\n"
    }

    private static func attributeText(_ attributes: [(String, String)]) -> String {
        var text = ""
        for (name, value) in attributes {
            text += " \(name)=\"\(xmlEscaped(value))\""
        }
        return text
    }
}

/// Wraps chart content in a standalone SVG 1.1 document.
func svgDocument(width: Double, height: Double, title: String, body: String) -> String {
    var builder = SVGBuilder()
    builder.open(
        "svg",
        [
            ("xmlns", "http://www.w3.org/2000/svg"), ("version", "1.1"),
            ("width", svgNumber(width)), ("height", svgNumber(height)),
            ("viewBox", "0 0 \(svgNumber(width)) \(svgNumber(height))"),
            ("font-family", chartFontFamily),
        ])
    if !title.isEmpty { builder.element("title", text: title) }
    builder.embed(body)
    builder.close("svg")
    return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n" + builder.markup
}
