/// A message InfluxDB attaches to a statement result (`messages` array).
public struct ResultMessage: Sendable, Hashable {
    public var level: String
    public var text: String

    public init(level: String, text: String) {
        self.level = level
        self.text = text
    }
}

/// The answer to one statement: its series, or an error text as InfluxDB words it.
public struct StatementResult: Sendable, Hashable {
    public var statementID: Int
    public var series: [ResultSeries]
    public var messages: [ResultMessage]?
    public var error: String?
    public var partial: Bool
    /// A SELECT answer: InfluxDB's emitter hands each series (and each 10 000 rows of one) to
    /// the HTTP layer as a result of its own, which shapes `partial` in non-chunked answers.
    public var perSeries: Bool = false

    public init(statementID: Int, series: [ResultSeries] = [], messages: [ResultMessage]? = nil, error: String? = nil, partial: Bool = false) {
        self.statementID = statementID
        self.series = series
        self.messages = messages
        self.error = error
        self.partial = partial
    }
}
