/// `CREATE CONTINUOUS QUERY name ON db [RESAMPLE [EVERY d] [FOR d]] BEGIN select END`
///
/// The parser applies InfluxDB 1.6.7's checks: the SELECT must have `INTO`; an aggregate
/// SELECT (any function call among its fields) must group by `time(d)` with d ≠ 0; `FOR` must
/// be at least the larger of the interval and `EVERY`. A raw SELECT without `GROUP BY time`
/// parses (InfluxDB stores it and never runs it).
public struct CreateContinuousQueryStatement: Sendable, Hashable {
    /// The continuous query's name.
    public var name: String
    /// The database it belongs to (and the default database of its measurements).
    public var database: String
    /// `RESAMPLE EVERY d` in nanoseconds; nil when absent (InfluxDB: the GROUP BY interval).
    public var resampleEvery: Int64?
    /// `RESAMPLE FOR d` in nanoseconds; nil when absent (InfluxDB: the GROUP BY interval).
    public var resampleFor: Int64?
    /// The query run at each interval; `into` is never nil for a parsed statement.
    public var select: SelectStatement

    public init(name: String, database: String, resampleEvery: Int64? = nil, resampleFor: Int64? = nil, select: SelectStatement) {
        self.name = name
        self.database = database
        self.resampleEvery = resampleEvery
        self.resampleFor = resampleFor
        self.select = select
    }

    /// The statement with every measurement (FROM, subqueries, INTO) qualified as InfluxDB's
    /// executor qualifies it before storing the CQ: a missing database becomes `database`, a
    /// missing retention policy becomes `retentionPolicy` (the request's `rp` parameter) if
    /// given, else the default policy of the measurement's database as `defaultRetentionPolicy`
    /// returns it (left empty when that returns nil: InfluxDB then fails with "database not
    /// found" or "default retention policy not set for: db", which is the executor's to report).
    public func qualified(retentionPolicy: String? = nil, defaultRetentionPolicy: (String) -> String?) -> CreateContinuousQueryStatement {
        var out = self
        out.select = select.qualified(database: database, retentionPolicy: retentionPolicy, defaultRetentionPolicy: defaultRetentionPolicy)
        return out
    }

    /// The text InfluxDB stores for the CQ and prints in the `query` column of SHOW CONTINUOUS
    /// QUERIES: `qualified(…)` rendered, e.g. `CREATE CONTINUOUS QUERY cq0 ON db0 BEGIN SELECT
    /// mean(value) INTO db0.autogen.cpu_mean FROM db0.autogen.cpu GROUP BY time(1m) END`.
    public func storedQuery(retentionPolicy: String? = nil, defaultRetentionPolicy: (String) -> String?) -> String {
        qualified(retentionPolicy: retentionPolicy, defaultRetentionPolicy: defaultRetentionPolicy).description
    }

    /// InfluxDB's post-parse check (`validate`): the GROUP BY interval must be readable and
    /// `FOR` at least max(interval, EVERY). Errors carry no position, as InfluxDB's.
    func validate() throws(ParseError) {
        var interval = try select.groupByInterval()
        guard let resampleFor else { return }
        if let resampleEvery, resampleEvery > interval { interval = resampleEvery }
        if interval > resampleFor {
            throw ParseError.bare("FOR duration must be >= GROUP BY time duration: must be a minimum of "
                + InfluxDuration.format(interval) + ", got " + InfluxDuration.format(resampleFor))
        }
    }
}

extension CreateContinuousQueryStatement: CustomStringConvertible {
    /// InfluxDB's rendering: `CREATE CONTINUOUS QUERY name ON db [RESAMPLE [EVERY d ][FOR d ]]BEGIN select END`.
    public var description: String {
        var s = "CREATE CONTINUOUS QUERY " + Render.ident(name) + " ON " + Render.ident(database) + " "
        if resampleEvery != nil || resampleFor != nil {
            s += "RESAMPLE "
            if let resampleEvery { s += "EVERY " + InfluxDuration.format(resampleEvery) + " " }
            if let resampleFor { s += "FOR " + InfluxDuration.format(resampleFor) + " " }
        }
        return s + "BEGIN " + select.description + " END"
    }
}

extension SelectStatement {
    /// InfluxDB's `IsRawQuery`: no function call anywhere in the fields (`DISTINCT x` is not a call).
    public var isRawQuery: Bool {
        var stack = fields.map(\.expr)
        while let e = stack.popLast() {
            switch e {
            case .call: return false
            case .binary(_, let l, let r): stack += [l, r]
            case .paren(let inner): stack.append(inner)
            default: break
            }
        }
        return true
    }

    /// InfluxDB's `GroupByInterval`: the interval of the first `time(…)` dimension in
    /// nanoseconds, 0 without one.
    /// - Throws: `time dimension expected 1 or 2 arguments` / `time dimension must have duration argument` (no position).
    public func groupByInterval() throws(ParseError) -> Int64 {
        for d in dimensions {
            switch d {
            case .time(.duration(let v), _): return v
            case .time: throw ParseError.bare("time dimension must have duration argument")
            case .expr(.call("time", _)): throw ParseError.bare("time dimension expected 1 or 2 arguments")
            default: continue
            }
        }
        return 0
    }

    /// InfluxDB's `GroupByOffset`: the offset of the `time(…)` dimension reduced modulo the
    /// interval (sign of the offset kept, as Go's `%`), 0 without one.
    /// - Throws: the interval's errors, or `invalid time dimension offset: <expr>` for an offset
    ///   that is not a duration (e.g. `now()`), which InfluxDB reports each time the CQ runs.
    public func groupByOffset() throws(ParseError) -> Int64 {
        let interval = try groupByInterval()
        for case .time(_, let offset?) in dimensions {
            guard case .duration(let v) = offset else {
                throw ParseError.bare("invalid time dimension offset: " + offset.description)
            }
            return interval == 0 ? 0 : v % interval
        }
        return 0
    }

    /// Every measurement qualified with `database` and a retention policy (see
    /// `CreateContinuousQueryStatement.qualified`), subqueries and INTO included.
    public func qualified(database: String, retentionPolicy: String?, defaultRetentionPolicy: (String) -> String?) -> SelectStatement {
        func qualify(_ m: Measurement) -> Measurement {
            var m = m
            if m.database == nil { m.database = database }
            if m.retentionPolicy == nil, let db = m.database {
                m.retentionPolicy = retentionPolicy ?? defaultRetentionPolicy(db)
            }
            return m
        }
        var out = self
        out.into = into.map(qualify)
        out.sources = sources.map { source in
            switch source {
            case .measurement(let m): .measurement(qualify(m))
            case .subquery(let inner):
                .subquery(inner.qualified(database: database, retentionPolicy: retentionPolicy, defaultRetentionPolicy: defaultRetentionPolicy))
            }
        }
        return out
    }
}
