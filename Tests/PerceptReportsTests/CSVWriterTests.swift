import Foundation
import Testing

@testable import PerceptReports

/// A minimal RFC 4180 reader, used to prove that what the writer produces reads back unchanged.
private func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var inQuotes = false
    var scalars = Array(text.unicodeScalars)[...]
    while let scalar = scalars.popFirst() {
        if inQuotes {
            if scalar == "\"" {
                if scalars.first == "\"" {
                    field.unicodeScalars.append("\"")
                    scalars.removeFirst()
                } else {
                    inQuotes = false
                }
            } else {
                field.unicodeScalars.append(scalar)
            }
        } else if scalar == "\"" {
            inQuotes = true
        } else if scalar == "," {
            row.append(field)
            field = ""
        } else if scalar == "\r" && scalars.first == "\n" {
            scalars.removeFirst()
            row.append(field)
            rows.append(row)
            row = []
            field = ""
        } else {
            field.unicodeScalars.append(scalar)
        }
    }
    if !field.isEmpty || !row.isEmpty {
        row.append(field)
        rows.append(row)
    }
    return rows
}

@Suite("CSVWriter")
struct CSVWriterTests {
    @Test("fields are quoted only when needed", arguments: [
        ("plain", "plain"),
        ("", ""),
        (" spaced ", " spaced "),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("line\nbreak", "\"line\nbreak\""),
        ("carriage\rreturn", "\"carriage\rreturn\""),
        ("crlf\r\n", "\"crlf\r\n\""),
        ("\"", "\"\"\"\""),
    ])
    func quoting(field: String, expected: String) {
        #expect(CSVWriter.escape(field) == expected)
    }

    @Test("header and rows, CRLF terminated")
    func layout() {
        var csv = CSVWriter(header: ["model", "accuracy", "seconds", "note"])
        csv.append(["mlp", 0.975, 61, .empty])
        csv.append([.text("logistic, L2"), .number(0.5), .integer(-4), "said \"ok\""])
        #expect(
            csv.text
                == "model,accuracy,seconds,note\r\nmlp,0.975,61,\r\n\"logistic, L2\",0.5,-4,\"said \"\"ok\"\"\"\r\n")
        csv.lineEnding = "\n"
        #expect(csv.text.hasPrefix("model,accuracy,seconds,note\nmlp,"))
    }

    @Test("text fields survive a round trip through a CSV reader")
    func textRoundTrip() {
        let nasty = ["a,b", "\"quoted\"", "multi\r\nline", "lone\nLF", "tail,", ",", "", "ünïcödé, 🎉"]
        var csv = CSVWriter(header: ["h1", "h,2"])
        for pair in stride(from: 0, to: nasty.count, by: 2) {
            csv.append([.text(nasty[pair]), .text(nasty[pair + 1])])
        }
        let rows = parseCSV(csv.text)
        #expect(rows.first == ["h1", "h,2"])
        #expect(Array(rows.dropFirst()).flatMap { $0 } == nasty)
    }

    @Test("doubles are written so that Double(text) gives back the same value")
    func doubleRoundTrip() {
        let values: [Double] = [
            0, 0.1, 1.0 / 3, 2.0 / 3, .pi, -.pi, 1e-300, .leastNonzeroMagnitude, 1e21, 1e22, 123_456_789.123_456_789,
            .greatestFiniteMagnitude, .leastNormalMagnitude, -0.0, 0.30000000000000004, 1e-5, 100,
        ]
        for value in values {
            let text = CSVWriter.Field.number(value).encoded
            #expect(Double(text) == value, "\(value) written as \(text)")
            #expect(!text.contains(",") && !text.contains(" "))
        }
        var random = SystemRandomNumberGenerator()
        for _ in 0..<1000 {
            let value = Double(bitPattern: random.next() & 0x7FEF_FFFF_FFFF_FFFF)
            #expect(Double(ReportNumberFormat.roundTrip(value)) == value)
        }
    }

    @Test("integers have no decimals, non-finite values are spelled out")
    func integersAndNonFinite() {
        #expect(CSVWriter.Field.integer(12).encoded == "12")
        #expect(CSVWriter.Field.integer(-7).encoded == "-7")
        #expect(CSVWriter.Field.number(.nan).encoded == "nan")
        #expect(CSVWriter.Field.number(.infinity).encoded == "inf")
        #expect(CSVWriter.Field.number(-.infinity).encoded == "-inf")
        #expect(Double(CSVWriter.Field.number(-.infinity).encoded) == -.infinity)
        #expect(Double(CSVWriter.Field.number(.nan).encoded)?.isNaN == true)
    }

    @Test("history CSV: epoch, training metrics, then validation metrics")
    func history() {
        let csv = CSVWriter.history([
            "val_accuracy": [0.5, 0.6], "loss": [1.25, 0.75], "accuracy": [0.55, 0.7], "val_loss": [1.5, 1.0],
        ])
        #expect(
            csv.text
                == "epoch,loss,accuracy,val_loss,val_accuracy\r\n1,1.25,0.55,1.5,0.5\r\n2,0.75,0.7,1.0,0.6\r\n")
    }

    @Test("ragged columns leave empty fields; the index column is optional")
    func raggedTable() {
        let csv = CSVWriter.table(columns: [("a", [1, 2, 3]), ("b", [0.5])], indexColumn: "step", firstIndex: 0)
        #expect(csv.text == "step,a,b\r\n0,1.0,0.5\r\n1,2.0,\r\n2,3.0,\r\n")
        let bare = CSVWriter.table(columns: [("x", [4])], indexColumn: nil)
        #expect(bare.text == "x\r\n4.0\r\n")
    }
}
