/// Entry point: parses InfluxQL text into statements.
public enum InfluxQLParser {
    /// The default cap on nesting (parentheses, calls, subqueries, operator chains).
    public static let defaultMaxDepth = 500

    /// Parses every `;`-separated statement of `text` (empty statements are skipped).
    /// - Throws: `ParseError` with InfluxDB 1.x's message for the first error.
    public static func parse(_ text: String) throws(ParseError) -> [Statement] {
        try parse(text, maxDepth: defaultMaxDepth)
    }

    /// Parses with an explicit nesting cap: deeper input fails with a `ParseError` instead of
    /// exhausting the stack (InfluxDB itself has no such limit).
    public static func parse(_ text: String, maxDepth: Int) throws(ParseError) -> [Statement] {
        var parser = Parser(text, maxDepth: maxDepth)
        return try parser.parseQuery()
    }

    /// Parses with a check of the zones `tz()` names: an unknown one fails as InfluxDB fails it,
    /// `unable to find time zone <name>` without a position, in the statement's turn.
    public static func parse(_ text: String, zoneExists: @escaping (String) -> Bool,
                             params: [String: BoundParameter] = [:]) throws(ParseError) -> [Statement] {
        var parser = Parser(text, maxDepth: defaultMaxDepth)
        parser.zoneExists = zoneExists
        parser.params = params
        return try parser.parseQuery()
    }

    /// Parses the `q` parameter of InfluxDB's `/query` endpoint: like `parse(_:)` after
    /// trimming leading and trailing white space, as InfluxDB's HTTP handler does (this
    /// changes the reported position of errors at the end of the text).
    public static func parseQueryParameter(_ q: String) throws(ParseError) -> [Statement] {
        try parse(trimmingSpace(q))
    }

    /// Go's `strings.TrimSpace`: removes Unicode white space at both ends.
    public static func trimmingSpace(_ s: String) -> String {
        let scalars = s.unicodeScalars
        // Most texts have nothing to trim: no copy then.
        if let head = scalars.first, let tail = scalars.last, !head.properties.isWhitespace, !tail.properties.isWhitespace { return s }
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }

    /// Parses exactly one expression (e.g. a condition), as InfluxDB's `ParseExpr`.
    public static func parseExpr(_ text: String) throws(ParseError) -> Expr {
        var parser = Parser(text, maxDepth: defaultMaxDepth)
        let expr = try parser.parseExpr()
        let next = parser.scanIgnoringWhitespace()
        if next.token != .eof { throw ParseError.unexpected(next, expected: ["EOF"]) }
        return expr
    }
}
