import Testing

@testable import PerceptReports

@Suite("MarkdownTable")
struct MarkdownTableTests {
    @Test("cells escape pipes, backslashes and line breaks", arguments: [
        ("plain", "plain"),
        ("a|b", "a\\|b"),
        ("||", "\\|\\|"),
        ("C:\\path", "C:\\\\path"),
        ("two\nlines", "two<br>lines"),
        ("crlf\r\nend", "crlf<br>end"),
    ])
    func escaping(cell: String, expected: String) {
        #expect(MarkdownTable.escape(cell) == expected)
    }

    @Test("renders aligned GitHub Markdown")
    func rendering() {
        var table = MarkdownTable(header: ["Model", "Accuracy", "Note"], alignments: [.left, .right, .center])
        table.append(["MLP", "97.5%", "a|b"])
        table.append(["Logistic regression", "92.1%", ""])
        let expected = """
            | Model               | Accuracy | Note |
            | :------------------ | -------: | :--: |
            | MLP                 |    97.5% | a\\|b |
            | Logistic regression |    92.1% |      |

            """
        #expect(table.markdown == expected)
    }

    @Test("short rows are padded and default alignment uses plain dashes")
    func raggedRows() {
        let table = MarkdownTable(header: ["a"], rows: [["1", "2"], []])
        #expect(table.markdown == "| a   |     |\n| --- | --- |\n| 1   | 2   |\n|     |     |\n")
    }

    @Test("every line has the same number of unescaped pipes")
    func columnCountIsStable() {
        let table = MarkdownTable(header: ["x|y", "z"], rows: [["|", "\\|"], ["a\nb", "c"]])
        let lines = table.markdown.split(separator: "\n")
        #expect(lines.count == 4)
        for line in lines {
            var pipes = 0
            var escaped = false
            for character in line {
                if escaped {
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "|" {
                    pipes += 1
                }
            }
            #expect(pipes == 3, "\(line)")
        }
    }
}
