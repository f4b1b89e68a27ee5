/// The answer to one request: one result per statement, or a whole-request parse error.
public struct QueryResponse: Sendable, Hashable {
    public var results: [StatementResult]
    /// Set when the text did not parse (`error parsing query: …`); InfluxDB answers HTTP 400.
    public var parseError: String?
    /// Set when the user may not run the statements (`error authorizing query: …`, nothing
    /// ran); InfluxDB answers HTTP 403.
    public var authorizationError: String?

    public init(results: [StatementResult] = [], parseError: String? = nil, authorizationError: String? = nil) {
        self.results = results
        self.parseError = parseError
        self.authorizationError = authorizationError
    }
}
