import TimeSeries

/// One series of a statement's answer: a name, its group tags, column names and rows.
public struct ResultSeries: Sendable, Hashable {
    public var name: String
    /// Group-by tags in key order; omitted from JSON when empty.
    public var tags: [Tag]
    public var columns: [String]
    public var values: [[ResultValue]]
    public var partial: Bool
    /// The zone of the statement's `tz()`: RFC 3339 times are written in its local time.
    var zone: ZoneInfo?

    public init(name: String, tags: [Tag] = [], columns: [String], values: [[ResultValue]], partial: Bool = false) {
        self.name = name
        self.tags = tags
        self.columns = columns
        self.values = values
        self.partial = partial
    }
}
