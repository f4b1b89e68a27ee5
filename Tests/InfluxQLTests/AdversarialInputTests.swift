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

    static func height(_ e: Expr) -> Int {
        switch e {
        case .binary(_, let l, let r): max(height(l), height(r)) + 1
        case .paren(let inner): height(inner) + 1
        default: 1
        }
    }

    static func condition(_ text: String) throws -> Expr? {
        guard case .select(let s) = try InfluxQLParser.parse(text).first else { return nil }
        return s.condition
    }

    /// `host = 'a' OR host = 'b' OR …` over a fleet: InfluxDB 1.6.7 answers such conditions
    /// (checked with 2 000 terms), so a long chain of AND or OR is halved instead of refused.
    @Test func longLogicalChainIsBalancedAndReadsBackAlike() throws {
        let terms = (0..<100_000).map { "host = 'h\($0)'" }
        let condition = try #require(try Self.condition("SELECT a FROM m WHERE " + terms.joined(separator: " OR ")))
        #expect(Self.height(condition) <= 500)
        #expect(condition.description == terms.joined(separator: " OR "))
        #expect(try Self.condition("SELECT a FROM m WHERE " + condition.description) == condition)
        let mixed = (0..<3_000).map { "host = 'h\($0)' AND value > \($0)" }.joined(separator: " OR ")
        let tree = try #require(try Self.condition("SELECT a FROM m WHERE time > 0 AND (\(mixed))"))
        #expect(tree.description == "time > 0 AND (\(mixed))")
        guard case .binary(.and, _, .paren(.binary(.or, .binary(.or, _, _), .binary(.or, _, _)))) = tree else {
            Issue.record("expected time > 0 AND (a halved OR chain): \(tree)")
            return
        }
    }

    @Test func chainsWithinTheCapStayLeftDeepAsInfluxDBBuildsThem() throws {
        let terms = (0..<450).map { "host = 'h\($0)'" }
        let condition = try #require(try Self.condition("SELECT a FROM m WHERE " + terms.joined(separator: " OR ")))
        #expect(Self.height(condition) == 451)
        guard case .binary(.or, .binary(.or, _, _), .binary(.equal, .varRef("host", _), .string("h449"))) = condition else {
            Issue.record("expected a left-deep chain")
            return
        }
    }

    @Test func longArithmeticChainIsRejected() {
        // Floating-point addition is not associative, so this chain keeps InfluxDB's shape and the cap.
        let q = "SELECT " + Array(repeating: "a", count: 100_000).joined(separator: " + ") + " FROM m"
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
