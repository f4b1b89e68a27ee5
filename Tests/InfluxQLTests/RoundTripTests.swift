import Testing
@testable import InfluxQL

/// parse(render(ast)) == ast, and renderings are canonical.
@Suite struct RoundTripTests {
    @Test(arguments: RecordedAnswer.all.filter { $0.error == nil }.map(\.q))
    func recordedGoodQueriesRoundTrip(_ q: String) throws {
        let ast = try InfluxQLParser.parseQueryParameter(q)
        let rendered = InfluxQLParser.render(ast)
        #expect(try InfluxQLParser.parse(rendered) == ast, "\(rendered)")
    }

    @Test(arguments: [
        ("select mean(\"value\") from \"cpu_value\" where host =~ /^a$/ and time > now() - 1h group by time(1m) fill(null)",
         "SELECT mean(value) FROM cpu_value WHERE host =~ /^a$/ AND time > now() - 1h GROUP BY time(1m)"),
        ("SELECT -a, +b, 2 * -c, -(d) FROM m", "SELECT -a, +b, 2 * -c, -(d) FROM m"),
        ("SELECT \"select\", \"a b\", \"x\\\"y\" AS \"from\" FROM \"db\".\"rp\".\"m\"",
         "SELECT \"select\", \"a b\", \"x\\\"y\" AS \"from\" FROM db.rp.m"),
        ("SELECT a FROM m WHERE s = 'it''s'", nil),
        ("SELECT a FROM m WHERE s = 'a\\nb\\\\c\\'d'", "SELECT a FROM m WHERE s = 'a\\nb\\\\c\\'d'"),
        ("SELECT 1.5e0 FROM m", nil),
        ("SELECT 0.000001, 100000000000000000000000.0, 5. FROM m", "SELECT 0.000001, 100000000000000000000000.0, 5.0 FROM m"),
        ("SELECT a FROM m WHERE time > 90m AND time < 7d + 1ns", "SELECT a FROM m WHERE time > 90m AND time < 1w + 1ns"),
        ("SELECT a FROM m GROUP BY time(1m, -30s), * fill(-1.5) ORDER BY time ASC", "SELECT a FROM m GROUP BY time(1m, -30s), * fill(-1.5)"),
        ("SHOW TAG VALUES FROM \"m\" WITH KEY = \"x\" WHERE \"host\" =~ /^srv\\.lan$/",
         "SHOW TAG VALUES FROM m WITH KEY = x WHERE host =~ /^srv\\.lan$/"),
    ] as [(String, String?)])
    func canonicalRendering(_ input: String, _ expected: String?) throws {
        guard let expected else {
            #expect(throws: ParseError.self) { try InfluxQLParser.parse(input) }
            return
        }
        let ast = try InfluxQLParser.parse(input)
        #expect(InfluxQLParser.render(ast) == expected)
        #expect(try InfluxQLParser.parse(expected) == ast)
    }

    /// Inputs the fuzzer found whose rendering did not parse back to the same AST.
    @Test(arguments: [
        "SELECT perce%-tile(v- d / ed / e&aed / e&alue, 8333333333333335) FROM m",
        "SELECT a FROM m ,/(?i-s:a)/",
    ])
    func fuzzFindingsRoundTrip(_ q: String) throws {
        let ast = try InfluxQLParser.parse(q)
        #expect(try InfluxQLParser.parse(InfluxQLParser.render(ast)) == ast)
    }

    /// Escapes are per Unicode scalar: a backslash, quote or slash followed by a combining mark
    /// is one `Character` to Swift (the fuzzer found `\\` before U+06E4 losing its escape).
    @Test(arguments: [
        "SELECT a FROM \"x\\\\\u{06E4}y\"",
        "SELECT a FROM m WHERE s = 'a\\'\u{0301}b'",
        "SELECT a FROM m WHERE s = 'a\\\\\u{0301}'",
        "SELECT \"q\\\"\u{0308}\" FROM m",
        "SELECT a FROM m WHERE h =~ /a\\/\u{0301}b/",
    ])
    func escapesBeforeCombiningMarksRoundTrip(_ q: String) throws {
        let ast = try InfluxQLParser.parse(q)
        let rendered = InfluxQLParser.render(ast)
        #expect(try InfluxQLParser.parse(rendered) == ast, "\(rendered)")
    }

    @Test func handBuiltTreesGetParentheses() throws {
        let e = Expr.binary(.multiply, .binary(.add, .varRef("a", type: nil), .varRef("b", type: nil)), .integer(2))
        #expect(e.description == "(a + b) * 2")
        let r = Expr.binary(.subtract, .varRef("a", type: nil), .binary(.subtract, .varRef("b", type: nil), .varRef("c", type: nil)))
        #expect(r.description == "a - (b - c)")
    }

    @Test(arguments: [0.1, 1e-300, Double.leastNonzeroMagnitude, 1.7976931348623157e308, 123456.789, -0.5, 1e21, 2.5e-7])
    func numbersRoundTripExactly(_ v: Double) throws {
        let text = Render.number(v)
        #expect(!text.contains("e"))
        #expect(try InfluxQLParser.parseExpr(text) == .number(v))
    }
}
