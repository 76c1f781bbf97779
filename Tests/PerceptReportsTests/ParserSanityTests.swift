import Testing

@Suite("SVG test support")
struct ParserSanityTests {
    @Test("the XML check rejects malformed documents", arguments: [
        "<svg><g></svg>", "<svg><text>a < b</text></svg>", "<svg><text>a & b</text></svg>",
        "<svg x=\"1\" x=\"2\"/>", "<svg></svg><svg></svg>", "<svg><text>\u{1}</text></svg>",
    ])
    func rejectsMalformed(document: String) {
        #expect(throws: XMLParseFailure.self) { try parseSVG(document) }
    }

    @Test("the XML check accepts and decodes a well-formed document")
    func acceptsWellFormed() throws {
        let parsed = try parseSVG("<svg a=\"&quot;x&quot;\"><text class=\"t\">a &lt; b &amp; c</text></svg>")
        #expect(parsed.root?.attributes["a"] == "\"x\"")
        #expect(parsed.texts(class: "t") == ["a < b & c"])
    }
}
