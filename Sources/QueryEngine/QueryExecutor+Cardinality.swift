import InfluxQL
import TimeSeries

extension QueryExecutor {
    /// The tag keys a `WITH KEY` clause selects.
    static func keyMatcher(_ key: TagKeyMatch) throws -> (String) -> Bool {
        switch key {
        case .equal(let k): return { $0 == k }
        case .notEqual(let k): return { $0 != k }
        case .matches(let p):
            let re = try Condition.regex(p)
            return re.matcher
        case .notMatches(let p):
            let match = try Condition.regex(p).matcher
            return { !match($0) }
        case .in(let ks):
            let set = Set(ks)
            return { set.contains($0) }
        }
    }

    /// `SHOW … [EXACT] CARDINALITY`. SERIES and MEASUREMENT without clauses answer InfluxDB's
    /// "cardinality estimation" (here the exact number, which its sketch gives at these sizes);
    /// everything else counts as InfluxDB's rewrite to `SELECT count(distinct(…)) AS count`
    /// does: per measurement (one unnamed series for MEASUREMENT) and GROUP BY tag group.
    func showCardinality(_ s: ShowCardinalityStatement, _ options: QueryOptions) throws -> [ResultSeries] {
        guard let db = s.database ?? options.database, !db.isEmpty else { throw QueryError.databaseRequired }
        if s.isEstimate {
            var n = 0
            if try store.databases().contains(db) {
                n = s.kind == .series
                    ? try store.series(database: db, filter: .all, where: .always).count
                    : try store.measurements(database: db, filter: .all).count
            }
            return [ResultSeries(name: "", columns: ["cardinality estimation"], values: [[.integer(Int64(n))]])]
        }
        _ = try requireDatabase(db, options)
        if let c = s.condition, Self.mentionsTime(c) {
            // InfluxDB 1.6.7's texts differ per kind, and TAG VALUES answers nothing instead.
            switch s.kind {
            case .tagValues: return []
            case .fieldKey: throw QueryError("SHOW FIELD KEY CARDINALITY doesn't support time in WHERE clause")
            default: throw QueryError("SHOW \(s.kind.rawValue) EXACT CARDINALITY doesn't support time in WHERE clause")
            }
        }
        var series = try store.series(database: db, filter: try measurementFilter(s.sources), where: try tagPredicate(s.condition))
        // InfluxDB 1.6.7 counts exactly over the shards of one policy (FROM's, else the default):
        // series without a point there are not counted (measured).
        let named = try fromPolicy(s.sources, database: db)
        let policies = try store.retentionPolicies(database: db)
        if let policy = policies.policy(named: policies.wanted(named)) {
            let withPoints = try seriesWithPoints(db, series, policy: policy.name)
            series = series.filter { withPoints.contains($0.id) }
        }
        let dimensions = s.dimensions.compactMap { d -> String? in
            if case .tag(let t) = d { return t }
            return nil
        }
        let keyMatch = try s.key.map(Self.keyMatcher)
        var fieldKeys: [String: [String]] = [:]
        struct GroupKey: Hashable {
            var measurement: String
            var tags: [Tag]
        }
        var groups: [GroupKey: Set<String>] = [:]
        for e in series {
            let m = e.key.measurement
            let group = GroupKey(measurement: s.kind == .measurement ? "" : m, tags: dimensions.map { Tag($0, e.key[tag: $0] ?? "") })
            let items: [String]
            switch s.kind {
            case .series: items = [e.key.description]
            case .measurement: items = [m]
            case .tagKey: items = e.key.tags.map(\.key)
            case .tagValues: items = e.key.tags.filter { keyMatch?($0.key) ?? true }.map(\.value)
            case .fieldKey:
                if fieldKeys[m] == nil { fieldKeys[m] = try store.fieldKeys(database: db, measurement: m).map(\.name) }
                items = fieldKeys[m]!
            }
            groups[group, default: []].formUnion(items)
        }
        let ordered = groups.filter { !$0.value.isEmpty }.sorted { a, b in
            a.key.measurement != b.key.measurement ? a.key.measurement < b.key.measurement : a.key.tags.lexicographicallyPrecedes(b.key.tags)
        }
        return ordered.compactMap { g in
            let rows = Self.page([[ResultValue.integer(Int64(g.value.count))]], limit: s.limit, offset: s.offset)
            return rows.isEmpty ? nil : ResultSeries(name: g.key.measurement, tags: g.key.tags, columns: ["count"], values: rows)
        }
    }
}
