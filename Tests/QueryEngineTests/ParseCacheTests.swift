import InfluxQL
import Testing
@testable import QueryEngine

/// Recent query texts are parsed once (`ParseCache`): a hit is the parse's own value.
struct ParseCacheTests {
    /// A parser that counts its calls.
    final class CountingParser: @unchecked Sendable {
        var calls = 0
        func parse(_ text: String) throws(ParseError) -> [Statement] {
            calls += 1
            return try InfluxQLParser.parse(text)
        }
    }

    @Test("the same text is parsed once and answers the same statements")
    func sameTextParsedOnce() throws {
        let cache = ParseCache(capacity: 4)
        let parser = CountingParser()
        let text = "SELECT mean(\"value\") FROM \"cpu_value\" WHERE time >= now() - 6h GROUP BY time(20s) fill(null)"
        let first = try cache.parsed(text, parse: parser.parse).statements
        let second = try cache.parsed(text, parse: parser.parse).statements
        #expect(first == second)
        #expect(first == (try InfluxQLParser.parse(text)))
        #expect(parser.calls == 1)
        // Another text is another entry.
        let other = try cache.parsed("SHOW DATABASES", parse: parser.parse).statements
        #expect(other != first)
        #expect(parser.calls == 2)
    }

    @Test("the least recently used text goes when the cache is full; errors and long texts are not kept")
    func evictionAndWhatIsNotKept() throws {
        let cache = ParseCache(capacity: 2)
        let parser = CountingParser()
        let a = "SELECT a FROM m", b = "SELECT b FROM m", c = "SELECT c FROM m"
        _ = try cache.parsed(a, parse: parser.parse).statements
        _ = try cache.parsed(b, parse: parser.parse).statements
        _ = try cache.parsed(a, parse: parser.parse).statements  // a is now newer than b
        _ = try cache.parsed(c, parse: parser.parse).statements  // b goes
        #expect(parser.calls == 3)
        _ = try cache.parsed(a, parse: parser.parse).statements
        #expect(parser.calls == 3)
        _ = try cache.parsed(b, parse: parser.parse).statements
        #expect(parser.calls == 4)
        #expect(cache.count == 2)

        #expect(throws: ParseError.self) { try cache.parsed("SELECT FROM", parse: parser.parse).statements }
        #expect(throws: ParseError.self) { try cache.parsed("SELECT FROM", parse: parser.parse).statements }
        #expect(parser.calls == 6)

        let long = "SELECT " + (0..<1_000).map { "f\($0)" }.joined(separator: ", ") + " FROM m"
        _ = try cache.parsed(long, parse: parser.parse).statements
        _ = try cache.parsed(long, parse: parser.parse).statements
        #expect(parser.calls == 8)
    }
}
