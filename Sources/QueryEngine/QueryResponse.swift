/// The answer to one request: one result per statement, or a whole-request parse error.
public struct QueryResponse: Sendable, Hashable {
    public var results: [StatementResult]
    /// Set when the text did not parse (`error parsing query: …`); InfluxDB answers HTTP 400.
    public var parseError: String?

    public init(results: [StatementResult] = [], parseError: String? = nil) {
        self.results = results
        self.parseError = parseError
    }
}
