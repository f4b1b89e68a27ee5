import Testing
@testable import InfluxQL

/// Hostile inputs end in an error (or a bounded result), never a crash. Timing is measured by
/// the fuzz run and benchmarks, not asserted here.
@Suite struct AdversarialInputTests {
    @Test func hundredThousandNestedParenthesesAreRejected() {
        let q = "SELECT " + String(repeating: "(", count: 100_000) + "a" + String(repeating: ")", count: 100_000) + " FROM m"
        #expect(throws: ParseError(message: "query nesting exceeds the maximum depth of 500", line: 1, char: 508)) {
            try InfluxQLParser.parse(q)
        }
    }

    @Test func deeplyNestedCallsAndSubqueriesAreRejected() {
        let calls = "SELECT " + String(repeating: "f(", count: 50_000) + "a" + String(repeating: ")", count: 50_000) + " FROM m"
        #expect(throws: ParseError.self) { try InfluxQLParser.parse(calls) }
        let subqueries = String(repeating: "SELECT a FROM (", count: 20_000) + "SELECT a FROM m" + String(repeating: ")", count: 20_000)
        #expect(throws: ParseError.self) { try InfluxQLParser.parse(subqueries) }
    }

    @Test func longOperatorChainIsRejected() {
        let q = "SELECT a FROM m WHERE " + Array(repeating: "host = 'x'", count: 100_000).joined(separator: " OR ")
        #expect(throws: ParseError.self) { try InfluxQLParser.parse(q) }
    }

    @Test func chainWithinTheCapParses() throws {
        let q = "SELECT a FROM m WHERE " + Array(repeating: "host = 'x'", count: 200).joined(separator: " OR ")
        #expect(try InfluxQLParser.parse(q).count == 1)
    }

    @Test func hugeLiteralsAreErrors() {
        let digits = String(repeating: "9", count: 1_000_000)
        #expect(throws: ParseError(message: "unable to parse integer", line: 1, char: 8)) {
            try InfluxQLParser.parse("SELECT \(digits) FROM m")
        }
        #expect(throws: ParseError(message: "unable to parse number", line: 1, char: 8)) {
            try InfluxQLParser.parse("SELECT \(digits).5 FROM m")
        }
        #expect(throws: ParseError(message: "invalid duration", line: 0, char: 0)) {
            try InfluxQLParser.parse("SELECT a FROM m WHERE time > \(digits)s")
        }
    }

    @Test func hugeStringAndIdentifierStillParse() throws {
        let big = String(repeating: "x", count: 1_000_000)
        let statements = try InfluxQLParser.parse("SELECT \"\(big)\" FROM m WHERE s = '\(big)'")
        guard case .select(let s) = statements.first else {
            Issue.record("expected SELECT")
            return
        }
        #expect(s.fields[0].expr == .varRef(big, type: nil))
    }

    @Test func unterminatedRegexAndCommentAreErrors() {
        #expect(throws: ParseError.self) { try InfluxQLParser.parse("SELECT a FROM /" + String(repeating: "a", count: 100_000)) }
        #expect(throws: ParseError.self) { try InfluxQLParser.parse("SELECT a /*" + String(repeating: "*", count: 100_000)) }
    }
}
