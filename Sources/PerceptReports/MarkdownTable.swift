/// A GitHub-flavoured Markdown table with per-column alignment.
///
/// Cells are escaped so that they cannot break the table: `|` and `\` are backslash-escaped and
/// line breaks become `<br>`. Columns are padded to a common width so the source reads as a table
/// too. Rows shorter than the widest row are padded with empty cells.
///
/// ```swift
/// var table = MarkdownTable(header: ["Model", "Accuracy"], alignments: [.left, .right])
/// table.append(["MLP", "97.5%"])
/// print(table.markdown)
/// ```
public struct MarkdownTable: Sendable, Equatable {
    /// The alignment of a column, written in the delimiter row.
    public enum Alignment: Sendable, Equatable {
        /// `---` (the renderer's default, usually left).
        case none
        /// `:--`
        case left
        /// `:-:`
        case center
        /// `--:`
        case right
    }

    /// The column titles.
    public var header: [String]
    /// The alignment per column; missing entries mean ``Alignment/none``.
    public var alignments: [Alignment]
    /// The body rows.
    public var rows: [[String]]

    /// Creates a table.
    public init(header: [String], alignments: [Alignment] = [], rows: [[String]] = []) {
        self.header = header
        self.alignments = alignments
        self.rows = rows
    }

    /// Appends a body row.
    public mutating func append(_ row: [String]) {
        rows.append(row)
    }

    /// Escapes one cell: backslashes and pipes are backslash-escaped, and CR/LF line breaks become
    /// `<br>` (a Markdown table row must stay on one line).
    public static func escape(_ cell: String) -> String {
        var result = ""
        var previousWasCR = false
        for scalar in cell.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "|": result += "\\|"
            case "\r": result += "<br>"
            case "\n": if !previousWasCR { result += "<br>" }
            default: result.unicodeScalars.append(scalar)
            }
            previousWasCR = scalar == "\r"
        }
        return result
    }

    /// The table as Markdown, one line per row, ending with a newline.
    public var markdown: String {
        let columnCount = max(1, ([header] + rows).map(\.count).max() ?? 0)
        func cells(_ row: [String]) -> [String] {
            (0..<columnCount).map { $0 < row.count ? Self.escape(row[$0]) : "" }
        }
        let headerCells = cells(header)
        let bodyCells = rows.map(cells)
        var widths = [Int](repeating: 3, count: columnCount)
        for row in [headerCells] + bodyCells {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        func alignment(_ column: Int) -> Alignment {
            column < alignments.count ? alignments[column] : .none
        }
        func line(_ row: [String]) -> String {
            let padded = row.enumerated().map { column, cell -> String in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return alignment(column) == .right ? padding + cell : cell + padding
            }
            return "| " + padded.joined(separator: " | ") + " |"
        }
        let delimiter = (0..<columnCount).map { column -> String in
            let width = widths[column]
            switch alignment(column) {
            case .none: return String(repeating: "-", count: width)
            case .left: return ":" + String(repeating: "-", count: width - 1)
            case .center: return ":" + String(repeating: "-", count: width - 2) + ":"
            case .right: return String(repeating: "-", count: width - 1) + ":"
            }
        }
        var lines = [line(headerCells), "| " + delimiter.joined(separator: " | ") + " |"]
        lines += bodyCells.map(line)
        return lines.joined(separator: "\n") + "\n"
    }
}
