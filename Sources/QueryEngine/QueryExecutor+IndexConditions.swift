import InfluxQL
import TimeSeries

extension QueryExecutor {
    /// Whether a condition refers to `time` anywhere.
    static func mentionsTime(_ e: Expr) -> Bool {
        switch e {
        case .varRef: return Condition.isTime(e)
        case .paren(let x): return mentionsTime(x)
        case .binary(_, let a, let b): return mentionsTime(a) || mentionsTime(b)
        case .call(_, let args): return args.contains(where: mentionsTime)
        default: return false
        }
    }

    /// The tag predicate of a SHOW TAG KEYS / TAG VALUES / SERIES condition and, when it compares
    /// `time`, the time range. InfluxDB 1.6.7 takes the time comparisons out of the condition
    /// wherever they stand (`time > x OR host = 'b'` selects `host = 'b'`) and uses the range only
    /// to choose shards (`anyShardGroup`, `shardSpan`).
    func indexCondition(_ condition: Expr?, _ options: QueryOptions, for statement: IndexStatement) throws -> (TagPredicate, TimeRange?) {
        if let rest = condition.flatMap(Condition.withoutTime) { try Self.checkIndexCondition(rest, for: statement) }
        let condition = condition.map { Self.indexReadable($0, for: statement) }
        guard let condition, Self.mentionsTime(condition) else { return (try tagPredicate(condition), nil) }
        let c = try Condition(condition, fields: [], now: options.now)
        return (c.tags, TimeRange(min: c.min, max: c.max))
    }

    /// Whether some shard group of the database (any policy) overlaps `range`: InfluxDB 1.6.7's
    /// SHOW TAG KEYS / TAG VALUES read the series index through those shards, and its default
    /// (inmem) index holds every series of the database in each shard, so one shard group in the
    /// range answers as if no time were given and none answers nothing (measured against influxd).
    /// A shard group exists where a point was written: here, where a series has a point.
    func anyShardGroup(_ db: String, overlapping range: TimeRange) throws -> Bool {
        let series = try store.unorderedSeries(database: db, filter: .all, where: .always)
        for policy in try store.retentionPolicies(database: db).policies {
            if try !seriesWithPoints(db, series, policy: policy.name, in: Self.shardSpan(range, policy), atMost: 1).isEmpty { return true }
        }
        return false
    }

    /// The shard groups of `policy` that overlap `range`, as one time range: a policy's groups
    /// are its `shardGroupDuration` long, cut as Go's `Time.Truncate` cuts.
    static func shardSpan(_ range: TimeRange, _ policy: RetentionPolicy) -> TimeRange {
        let d = policy.shardGroupDuration
        let start = range.min == .min ? .min : ContinuousQuerySchedule.truncate(range.min, d)
        let (end, overflow) = ContinuousQuerySchedule.truncate(range.max, d).addingReportingOverflow(d - 1)
        return TimeRange(min: start, max: overflow || range.max == .max ? .max : end)
    }

    /// The SHOW statements whose WHERE InfluxDB 1.6.7's series index reads, each with its own
    /// refusals (`checkIndexCondition`).
    enum IndexStatement { case series, measurements, tagKeys, tagValues }

    /// InfluxDB 1.6.7's errors for a SHOW … WHERE condition (time comparisons taken out) that its
    /// series index cannot read, measured against influxd:
    /// - an order comparison (`<`, `<=`, `>`, `>=`) among the AND/OR terms: `invalid tag comparison
    ///   operator` (SHOW SERIES also for any other operator between keys, e.g. `data-center = 'x'`);
    /// - a bare key among the terms: `invalid condition expression: key` (SHOW MEASUREMENTS prints
    ///   Go's `%#v` of it);
    /// - SHOW TAG VALUES: a term whose left side is not a key (`'a' = host`): `left side of '=' must
    ///   be a tag key`;
    /// - SHOW MEASUREMENTS: that too, and a right side that is not a string (`host = 1`,
    ///   `host = region`): `right side of '=' must be a tag value string`.
    static func checkIndexCondition(_ e: Expr, for statement: IndexStatement) throws(QueryError) {
        switch e {
        case .paren(let x):
            try checkIndexCondition(x, for: statement)
        case .binary(let op, let a, let b) where op == .and || op == .or:
            try checkIndexCondition(a, for: statement)
            try checkIndexCondition(b, for: statement)
        case .binary(let op, let lhs, let rhs):
            guard [.equal, .notEqual, .matchesRegex, .notMatchesRegex].contains(op) else {
                throw QueryError("invalid tag comparison operator")
            }
            switch statement {
            case .series:
                if comparesKeysByOtherOperators(lhs) || comparesKeysByOtherOperators(rhs) {
                    throw QueryError("invalid tag comparison operator")
                }
            case .tagKeys:
                break
            case .tagValues, .measurements:
                // TAG VALUES reads a condition folded first: `1 = 1` is true there.
                if statement == .tagValues && !mentionsKey(lhs) && !mentionsKey(rhs) { break }
                guard case .varRef = lhs else { throw QueryError("left side of '\(op.rawValue)' must be a tag key") }
                if statement == .measurements {
                    switch rhs {
                    case .string where op == .equal || op == .notEqual, .regex where op == .matchesRegex || op == .notMatchesRegex: break
                    default: throw QueryError("right side of '\(op.rawValue)' must be a tag value string")
                    }
                }
            }
        case .varRef(let name, _):
            if statement == .measurements { throw QueryError(#"&influxql.VarRef{Val:"\#(name)", Type:0}"#) }
            throw QueryError("invalid condition expression: \(e)")
        default:
            break
        }
    }

    /// The condition as InfluxDB 1.6.7's series index reads it for SHOW SERIES / TAG KEYS / TAG
    /// VALUES: a comparison of a key with a number or boolean is a term the index cannot evaluate
    /// and leaves every series in (`host = 1`, measured); so is, for TAG KEYS, one whose left side
    /// is not a key (`'a' = host`). Time comparisons are left as they are.
    static func indexReadable(_ e: Expr, for statement: IndexStatement) -> Expr {
        switch e {
        case .paren(let x): return .paren(indexReadable(x, for: statement))
        case .binary(let op, let a, let b) where op == .and || op == .or:
            return .binary(op, indexReadable(a, for: statement), indexReadable(b, for: statement))
        case .binary(_, let lhs, let rhs):
            if Condition.isTime(lhs) || Condition.isTime(rhs) { return e }
            func isValue(_ x: Expr) -> Bool {
                switch x {
                case .number, .integer, .unsigned, .boolean, .duration: return true
                default: return false
                }
            }
            if case .varRef = lhs, isValue(rhs) { return .boolean(true) }
            if case .varRef = rhs, isValue(lhs) { return .boolean(true) }
            if statement == .tagKeys, case .varRef = rhs, !mentionsKey(lhs) { return .boolean(true) }
            return e
        default:
            return e
        }
    }

    /// Whether an operand holds an operator other than the comparisons between keys (`data-center`).
    private static func comparesKeysByOtherOperators(_ e: Expr) -> Bool {
        switch e {
        case .paren(let x): return comparesKeysByOtherOperators(x)
        case .binary(_, let a, let b): return mentionsKey(a) || mentionsKey(b)
        default: return false
        }
    }

    private static func mentionsKey(_ e: Expr) -> Bool {
        switch e {
        case .varRef: return true
        case .paren(let x): return mentionsKey(x)
        case .binary(_, let a, let b): return mentionsKey(a) || mentionsKey(b)
        default: return false
        }
    }

    /// Measurements a `SHOW MEASUREMENTS WHERE` condition selects, by InfluxDB 1.x's
    /// measurement-level rule: `tag = v` / `tag =~ re` keeps a measurement when some value of
    /// the tag matches; `!=` / `!~` keeps one that has the tag key and no value that matches.
    /// AND intersects, OR unites; anything else is tested series by series.
    static func measurements(matching e: Expr, _ series: [SeriesEntry]) throws -> Set<String> {
        switch e {
        case .paren(let x):
            return try measurements(matching: x, series)
        case .binary(.and, let a, let b):
            return try measurements(matching: a, series).intersection(measurements(matching: b, series))
        case .binary(.or, let a, let b):
            return try measurements(matching: a, series).union(measurements(matching: b, series))
        case .binary(let op, .varRef(let key, _), let rhs) where [.equal, .notEqual, .matchesRegex, .notMatchesRegex].contains(op):
            let matches: (String) -> Bool
            switch rhs {
            case .string(let v) where op == .equal || op == .notEqual: matches = { $0 == v }
            case .regex(let p) where op == .matchesRegex || op == .notMatchesRegex:
                matches = try Condition.regex(p).matcher
            default:
                return try bySeries(e, series)
            }
            var withKey: Set<String> = []
            var matched: Set<String> = []
            for s in series {
                guard let v = s.key[tag: key] else { continue }
                withKey.insert(s.key.measurement)
                if matches(v) { matched.insert(s.key.measurement) }
            }
            return op == .equal || op == .matchesRegex ? matched : withKey.subtracting(matched)
        default:
            return try bySeries(e, series)
        }
    }

    /// InfluxDB's rule for database and retention policy names: printable, not `.` or `..`,
    /// no slash or backslash.
    static func isValidName(_ name: String) -> Bool {
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/"), !name.contains("\\") else { return false }
        return name.unicodeScalars.allSatisfy { c in
            switch c.properties.generalCategory {
            case .spaceSeparator: return c == " "
            case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator: return false
            default: return true
            }
        }
    }

    /// After DELETE, series left without any point in any retention policy leave the index, as in
    /// InfluxDB. (A point in another policy than the default keeps its series: dropping it would
    /// drop that policy's points too.)
    func dropEmptySeries(database: String, ids: [UInt64]) throws {
        guard !ids.isEmpty else { return }
        let wanted = Set(ids)
        let entries = try store.series(database: database, filter: .all, where: .always).filter { wanted.contains($0.id) }
        var kept = Set<UInt64>()
        for policy in try store.retentionPolicies(database: database).policies {
            kept.formUnion(try seriesWithPoints(database, entries.filter { !kept.contains($0.id) }, policy: policy.name))
        }
        let empty = entries.map(\.id).filter { !kept.contains($0) }
        if !empty.isEmpty { try store.dropSeries(database: database, ids: empty) }
    }

    /// The ids among `entries` with a point in `policy` within `range`: each measurement's fields
    /// read for many series at once (the store's batched scan), a field only for the series not
    /// yet found; it stops once `atMost` are found.
    func seriesWithPoints(_ database: String, _ entries: [SeriesEntry], policy: String, in range: TimeRange = .all,
                          atMost: Int = .max) throws -> Set<UInt64> {
        var found = Set<UInt64>()
        for (measurement, members) in Dictionary(grouping: entries, by: \.key.measurement) {
            for f in try store.fieldKeys(database: database, measurement: measurement) {
                let left = members.map(\.id).filter { !found.contains($0) }
                if left.isEmpty { break }
                for start in stride(from: 0, to: left.count, by: 512) {
                    let ids = Array(left[start..<min(start + 512, left.count)])
                    let cursors = try store.scan(database: database, policy: policy, series: ids, field: f.name, range: range, descending: false)
                    for (id, cursor) in zip(ids, cursors) {
                        var c = cursor
                        if try c.next() != nil { found.insert(id) }
                    }
                    if found.count >= atMost { return found }
                }
            }
        }
        return found
    }


    /// Whether a series matches a condition the way InfluxDB's series index reads it for
    /// DROP SERIES and DELETE: `tag = tag2` holds for every series having both keys and
    /// `tag != tag2` for every series having the first and not the second (values are not
    /// compared, as no row is read).
    static func indexMatches(_ e: Expr, _ key: SeriesKey) throws -> Bool {
        switch e {
        case .paren(let x): return try indexMatches(x, key)
        case .binary(.and, let a, let b): return try indexMatches(a, key) && indexMatches(b, key)
        case .binary(.or, let a, let b): return try indexMatches(a, key) || indexMatches(b, key)
        case .binary(let op, .varRef(let k1, _), .varRef(let k2, _)) where op.isComparison && k1 != "time" && k2 != "time":
            switch op {
            case .equal: return key[tag: k1] != nil && key[tag: k2] != nil
            case .notEqual: return key[tag: k1] != nil && key[tag: k2] == nil
            default: return false
            }
        default:
            return try Condition.tagPredicate(e, fields: []).evaluate(key)
        }
    }

    private static func bySeries(_ e: Expr, _ series: [SeriesEntry]) throws -> Set<String> {
        let predicate = try Condition.tagPredicate(e, fields: [])
        return Set(series.filter { predicate.evaluate($0.key) }.map(\.key.measurement))
    }
}
