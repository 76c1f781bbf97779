import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// One element of a parsed SVG document.
struct ParsedElement {
    var name: String
    var attributes: [String: String]
    /// The character data directly inside the element (entity references already decoded).
    var text: String
    /// The index of the enclosing element in ``ParsedSVG/elements``; `nil` for the root.
    var parent: Int?
}

/// An SVG document parsed with Foundation's `XMLParser`, which proves that it is well-formed XML.
struct ParsedSVG {
    var elements: [ParsedElement]

    var root: ParsedElement? { elements.first }

    /// Elements named `name`, optionally restricted to a `class` attribute.
    func all(_ name: String, class className: String? = nil) -> [ParsedElement] {
        elements.filter { element in
            element.name == name && (className == nil || element.attributes["class"] == className)
        }
    }

    /// Elements of `name` (and class) that lie inside the `occurrence`-th element of `ancestorClass`.
    func all(_ name: String, class className: String? = nil, inside ancestorClass: String, occurrence: Int)
        -> [ParsedElement]
    {
        let ancestors = elements.indices.filter { elements[$0].attributes["class"] == ancestorClass }
        guard occurrence < ancestors.count else { return [] }
        let ancestor = ancestors[occurrence]
        return elements.filter { element in
            guard element.name == name, className == nil || element.attributes["class"] == className else {
                return false
            }
            var parent = element.parent
            while let index = parent {
                if index == ancestor { return true }
                parent = elements[index].parent
            }
            return false
        }
    }

    /// The texts of `<text>` elements with the given class, in document order.
    func texts(class className: String) -> [String] {
        all("text", class: className).map(\.text)
    }
}

struct XMLParseFailure: Error, CustomStringConvertible {
    var description: String
}

private final class SVGCollector: NSObject, XMLParserDelegate {
    var elements: [ParsedElement] = []
    var stack: [Int] = []

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        elements.append(ParsedElement(name: elementName, attributes: attributes, text: "", parent: stack.last))
        stack.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let current = stack.last { elements[current].text += string }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        errors.append("\(parseError)")
    }

    var errors: [String] = []
}

/// Parses `svg` as XML; throws when it is not well-formed.
///
/// On Linux, `XMLParser.parse()` can return `true` after a recoverable error (a mismatched end tag,
/// content after the root element), so any reported error, a set `parserError` or an unclosed
/// element also counts as a failure.
func parseSVG(_ svg: String) throws -> ParsedSVG {
    let parser = XMLParser(data: Data(svg.utf8))
    let collector = SVGCollector()
    parser.delegate = collector
    let succeeded = parser.parse()
    let problems = collector.errors + (parser.parserError.map { ["\($0)"] } ?? [])
    guard succeeded, problems.isEmpty, collector.stack.isEmpty, !collector.elements.isEmpty else {
        throw XMLParseFailure(
            description: "not well-formed XML: \(problems.isEmpty ? ["unclosed or missing element"] : problems)")
    }
    return ParsedSVG(elements: collector.elements)
}

/// The coordinates of the `M`/`L` commands of a path's `d` attribute.
func pathPoints(_ d: String) -> [(command: Character, x: Double, y: Double)] {
    let tokens = d.split(separator: " ").map(String.init)
    var points: [(command: Character, x: Double, y: Double)] = []
    var index = 0
    while index + 1 < tokens.count {
        let head = tokens[index]
        guard let command = head.first, command == "M" || command == "L",
            let x = Double(head.dropFirst()), let y = Double(tokens[index + 1])
        else { return points }
        points.append((command, x, y))
        index += 2
    }
    return points
}

/// Asserts that an attribute holds a finite number and returns it.
func number(_ element: ParsedElement, _ attribute: String, sourceLocation: SourceLocation = #_sourceLocation)
    -> Double
{
    let value = element.attributes[attribute].flatMap(Double.init)
    #expect(value?.isFinite == true, "\(element.name).\(attribute) = \(element.attributes[attribute] ?? "nil")",
        sourceLocation: sourceLocation)
    return value ?? .nan
}
