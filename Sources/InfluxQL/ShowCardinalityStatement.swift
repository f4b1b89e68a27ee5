/// `SHOW (SERIES | MEASUREMENT | TAG KEY | TAG VALUES | FIELD KEY) [EXACT] CARDINALITY [ON db]
/// [FROM …] [WITH KEY …] [WHERE …] [GROUP BY …] [LIMIT n] [OFFSET n]`
public struct ShowCardinalityStatement: Sendable, Hashable {
    /// What is counted.
    public enum Kind: String, Sendable, Hashable {
        case series = "SERIES"
        case measurement = "MEASUREMENT"
        case tagKey = "TAG KEY"
        case tagValues = "TAG VALUES"
        case fieldKey = "FIELD KEY"
    }

    public var kind: Kind
    /// `EXACT` was written.
    public var exact: Bool
    /// The database after `ON`.
    public var database: String?
    /// The `FROM` sources (measurements only).
    public var sources: [Source]
    /// The `WITH KEY` clause of `TAG VALUES` (required there, absent elsewhere).
    public var key: TagKeyMatch?
    /// The `WHERE` condition (on tags).
    public var condition: Expr?
    /// The `GROUP BY` dimensions.
    public var dimensions: [Dimension]
    /// `LIMIT n` (0 = none).
    public var limit: Int
    /// `OFFSET n` (0 = none).
    public var offset: Int

    public init(
        kind: Kind, exact: Bool = false, database: String? = nil, sources: [Source] = [], key: TagKeyMatch? = nil,
        condition: Expr? = nil, dimensions: [Dimension] = [], limit: Int = 0, offset: Int = 0
    ) {
        self.kind = kind
        self.exact = exact
        self.database = database
        self.sources = sources
        self.key = key
        self.condition = condition
        self.dimensions = dimensions
        self.limit = limit
        self.offset = offset
    }

    /// InfluxDB answers SERIES and MEASUREMENT cardinality without clauses with an estimate
    /// (a sketch) instead of counting.
    public var isEstimate: Bool {
        !exact && (kind == .series || kind == .measurement)
            && sources.isEmpty && condition == nil && dimensions.isEmpty && limit == 0 && offset == 0
    }
}

extension ShowCardinalityStatement: CustomStringConvertible {
    /// Canonical InfluxQL text.
    public var description: String {
        var s = "SHOW \(kind.rawValue)" + (exact ? " EXACT" : "") + " CARDINALITY" + Clauses.on(database) + Clauses.from(sources)
        if let key { s += " WITH KEY " + key.description }
        s += Clauses.where(condition)
        if !dimensions.isEmpty { s += " GROUP BY " + dimensions.map(\.description).joined(separator: ", ") }
        return s + Clauses.limits(limit: limit, offset: offset)
    }
}
