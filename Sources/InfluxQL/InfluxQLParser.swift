/// Entry point: parses InfluxQL text into statements.
public enum InfluxQLParser {
    /// The default cap on expression/subquery nesting (see `parse(_:maxDepth:)`).
    public static let defaultMaxDepth = 1000

    /// Parses every `;`-separated statement of `text` (empty statements are skipped).
    /// - Throws: `ParseError` with InfluxDB 1.x's message for the first error.
    public static func parse(_ text: String) throws(ParseError) -> [Statement] {
        try parse(text, maxDepth: defaultMaxDepth)
    }

    /// Parses with an explicit nesting cap: deeper parentheses, calls, subqueries or operator
    /// chains fail with a `ParseError` instead of exhausting the stack.
    public static func parse(_ text: String, maxDepth: Int) throws(ParseError) -> [Statement] {
        var parser = Parser(text, maxDepth: maxDepth)
        return try parser.parseQuery()
    }
}

/// Recursive-descent parser state (stub until the full parser lands).
struct Parser {
    let text: String
    let maxDepth: Int

    init(_ text: String, maxDepth: Int) {
        self.text = text
        self.maxDepth = maxDepth
    }

    mutating func parseQuery() throws(ParseError) -> [Statement] {
        throw ParseError(message: "not implemented", line: 1, char: 1)
    }
}
