/// Builds RFC 4180 CSV text: a header line, then one line per row.
///
/// Fields that contain a comma, a double quote, CR or LF are enclosed in double quotes, with inner
/// quotes doubled. Numbers never depend on the locale: integers are written without decimals and
/// doubles in the shortest form that parses back to the same value (see
/// ``ReportNumberFormat/roundTrip(_:)``). Lines end with CRLF as the RFC specifies, unless
/// ``lineEnding`` is changed.
///
/// ```swift
/// var csv = CSVWriter(header: ["model", "accuracy", "seconds"])
/// csv.append(["mlp", 0.975, 61])
/// csv.append([.text("logistic, L2"), .number(0.921), .integer(4)])
/// let text = csv.text
/// ```
public struct CSVWriter: Sendable, Equatable {
    /// One field of a row.
    public enum Field: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
        ExpressibleByFloatLiteral
    {
        /// Text, quoted when needed.
        case text(String)
        /// An integer, written without decimals.
        case integer(Int)
        /// A double in round-trippable form (`nan`, `inf` and `-inf` for non-finite values).
        case number(Double)
        /// An empty field (a missing value).
        case empty

        /// Creates a text field from a string literal.
        public init(stringLiteral value: String) { self = .text(value) }
        /// Creates an integer field from an integer literal.
        public init(integerLiteral value: Int) { self = .integer(value) }
        /// Creates a number field from a floating-point literal.
        public init(floatLiteral value: Double) { self = .number(value) }

        /// The field as it appears in the file, quoted if needed.
        public var encoded: String {
            switch self {
            case .text(let text): return CSVWriter.escape(text)
            case .integer(let value): return String(value)
            case .number(let value): return ReportNumberFormat.roundTrip(value)
            case .empty: return ""
            }
        }
    }

    /// The column names, written as the first line.
    public var header: [String]
    /// The rows appended so far.
    public private(set) var rows: [[Field]] = []
    /// The line terminator; RFC 4180 specifies CRLF.
    public var lineEnding = "\r\n"

    /// Creates a writer with the given column names.
    public init(header: [String]) {
        self.header = header
    }

    /// Appends a row. Rows may be shorter or longer than the header; they are written as given.
    public mutating func append(_ row: [Field]) {
        rows.append(row)
    }

    /// The complete CSV text, every line (including the last) terminated by ``lineEnding``.
    public var text: String {
        var output = header.map(Self.escape).joined(separator: ",") + lineEnding
        for row in rows {
            output += row.map(\.encoded).joined(separator: ",") + lineEnding
        }
        return output
    }

    /// Quotes `field` if it contains a comma, a double quote, CR or LF, doubling inner quotes.
    public static func escape(_ field: String) -> String {
        let needsQuotes = field.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A table of named numeric columns with a leading integer index column.
    ///
    /// Row `i` holds the index `firstIndex + i` and the i-th value of every column; columns
    /// shorter than the longest one leave empty fields.
    ///
    /// - Parameters:
    ///   - columns: the column names and values, in column order.
    ///   - indexColumn: the name of the index column; `nil` omits it.
    ///   - firstIndex: the index of the first row.
    public static func table(
        columns: [(name: String, values: [Double])], indexColumn: String? = "epoch", firstIndex: Int = 1
    ) -> CSVWriter {
        var writer = CSVWriter(header: (indexColumn.map { [$0] } ?? []) + columns.map(\.name))
        let rowCount = columns.map(\.values.count).max() ?? 0
        for row in 0..<rowCount {
            var fields: [Field] = indexColumn == nil ? [] : [.integer(firstIndex + row)]
            for column in columns {
                fields.append(row < column.values.count ? .number(column.values[row]) : .empty)
            }
            writer.append(fields)
        }
        return writer
    }

    /// The history table of a training run: `epoch` followed by the metrics in a stable order
    /// (training metrics first, loss then accuracy then the others alphabetically, then their
    /// `val_` counterparts), for example `epoch,loss,accuracy,val_loss,val_accuracy`.
    public static func history(
        _ history: [String: [Double]], indexColumn: String = "epoch", firstEpoch: Int = 1
    ) -> CSVWriter {
        let ordered = MetricNames.ordered(history.keys).map { (name: $0, values: history[$0] ?? []) }
        return table(columns: ordered, indexColumn: indexColumn, firstIndex: firstEpoch)
    }
}
