/// A `SELECT` statement.
///
/// `SELECT fields [INTO target] FROM sources [WHERE condition] [GROUP BY dimensions] [fill(…)]
/// [ORDER BY time ASC|DESC] [LIMIT n] [OFFSET n] [SLIMIT n] [SOFFSET n] [tz('zone')]`
///
/// As in InfluxDB, a limit or offset of `0` means "none".
public struct SelectStatement: Sendable, Hashable {
    /// The projected expressions, in order.
    public var fields: [SelectField]
    /// The `INTO` target, if any (a measurement whose name is empty means `:MEASUREMENT`).
    public var into: Measurement?
    /// The `FROM` sources (at least one when parsed).
    public var sources: [Source]
    /// The `WHERE` condition.
    public var condition: Expr?
    /// The `GROUP BY` dimensions, in order.
    public var dimensions: [Dimension]
    /// The `fill(…)` option; `.null` when absent.
    public var fill: Fill
    /// `ORDER BY time DESC` (false for ASC or absent).
    public var orderDescending: Bool
    /// `LIMIT n` (0 = none).
    public var limit: Int
    /// `OFFSET n` (0 = none).
    public var offset: Int
    /// `SLIMIT n` (0 = none).
    public var slimit: Int
    /// `SOFFSET n` (0 = none).
    public var soffset: Int
    /// The zone name given in `tz('…')`, unvalidated (InfluxDB resolves it with the tz database).
    public var timezone: String?

    public init(
        fields: [SelectField], into: Measurement? = nil, sources: [Source], condition: Expr? = nil,
        dimensions: [Dimension] = [], fill: Fill = .null, orderDescending: Bool = false,
        limit: Int = 0, offset: Int = 0, slimit: Int = 0, soffset: Int = 0, timezone: String? = nil
    ) {
        self.fields = fields
        self.into = into
        self.sources = sources
        self.condition = condition
        self.dimensions = dimensions
        self.fill = fill
        self.orderDescending = orderDescending
        self.limit = limit
        self.offset = offset
        self.slimit = slimit
        self.soffset = soffset
        self.timezone = timezone
    }
}

/// One projected expression of a `SELECT`, with its optional `AS` alias.
public struct SelectField: Sendable, Hashable {
    /// The expression (may be `.wildcard`, `.regex`, `.distinct` or any arithmetic/call tree).
    public var expr: Expr
    /// The alias given with `AS`.
    public var alias: String?

    public init(expr: Expr, alias: String? = nil) {
        self.expr = expr
        self.alias = alias
    }
}

/// One `FROM` source.
public indirect enum Source: Sendable, Hashable {
    /// A measurement name or regex, optionally qualified with database and retention policy.
    case measurement(Measurement)
    /// A parenthesized sub-select: `FROM (SELECT …)`.
    case subquery(SelectStatement)
}

/// A possibly qualified measurement reference: `m`, `rp.m`, `db.rp.m`, `db..m`, `/re/`, `db.rp./re/`.
public struct Measurement: Sendable, Hashable {
    /// The database segment, if given and non-empty.
    public var database: String?
    /// The retention-policy segment, if given and non-empty.
    public var retentionPolicy: String?
    /// The measurement itself.
    public var name: MeasurementName

    public init(database: String? = nil, retentionPolicy: String? = nil, name: MeasurementName) {
        self.database = database
        self.retentionPolicy = retentionPolicy
        self.name = name
    }
}

/// The last segment of a measurement reference: a literal name or a regex.
public enum MeasurementName: Sendable, Hashable {
    /// A literal measurement name (unquoted and unescaped).
    case name(String)
    /// A regex pattern, as written between `/…/` with `\/` unescaped (RE2 syntax).
    case regex(String)
}

/// One `GROUP BY` dimension.
public enum Dimension: Sendable, Hashable {
    /// `time(interval[, offset])`; interval is normally `.duration`, offset `.duration` or `now()`.
    /// InfluxDB's parser accepts any expressions here and rejects bad ones when planning.
    case time(interval: Expr, offset: Expr?)
    /// A plain tag key, e.g. `host` or `"type_instance"`.
    case tag(String)
    /// `/regex/`: every tag key matching the pattern.
    case regex(String)
    /// `*`: every tag key.
    case wildcard
    /// Any other expression InfluxDB's parser accepts (a cast tag, a call other than `time`
    /// with one or two arguments, arithmetic …); the planner rejects what it cannot use.
    case expr(Expr)
}

/// The `fill(…)` option of a grouped `SELECT`.
public enum Fill: Sendable, Hashable {
    /// `fill(null)` (the default).
    case null
    /// `fill(none)`: omit empty intervals.
    case none
    /// `fill(previous)`
    case previous
    /// `fill(linear)`
    case linear
    /// `fill(<integer>)`
    case integer(Int64)
    /// `fill(<float>)`
    case number(Double)
}
