import InfluxQL
import TimeSeries

extension QueryExecutor {
    func measurementFilter(_ sources: [Source]) throws -> MeasurementFilter {
        if sources.isEmpty { return .all }
        var names: [String] = []
        var patterns: [String] = []
        for source in sources {
            guard case .measurement(let m) = source else { throw QueryError("subqueries are not supported here") }
            switch m.name {
            case .name(let n): names.append(n)
            case .regex(let p): patterns.append(p)
            }
        }
        if patterns.isEmpty { return .names(names) }
        if patterns.count == 1 && names.isEmpty { return .regex(try Condition.regex(patterns[0])) }
        // Every source counts (`FROM /^c/, /^d/, mem`): one alternation of them all.
        for p in patterns { _ = try Condition.regex(p) }
        let alternatives = patterns.map { "(?:" + $0 + ")" } + (names.isEmpty ? [] : ["^(?:" + names.map(Self.quoteMeta).joined(separator: "|") + ")$"])
        return .regex(try Condition.regex(alternatives.joined(separator: "|")))
    }

    /// The database a SHOW SERIES / FIELD KEYS statement's FROM names: InfluxDB 1.6.7 reads that
    /// one, ON and the `db` parameter notwithstanding (it reads them as a SELECT; measured).
    static func fromDatabase(_ sources: [Source]) -> String? {
        for case .measurement(let m) in sources { if let db = m.database, !db.isEmpty { return db } }
        return nil
    }

    /// The first retention policy FROM names; each one named must exist (InfluxDB's
    /// `retention policy not found: x`).
    func fromPolicy(_ sources: [Source], database db: String) throws -> String? {
        let policies = try store.retentionPolicies(database: db)
        var named: String?
        for case .measurement(let m) in sources {
            guard let rp = m.retentionPolicy, !rp.isEmpty else { continue }
            guard policies.policy(named: rp) != nil else { throw QueryError("retention policy not found: \(rp)") }
            named = named ?? rp
        }
        return named
    }

    static func quoteMeta(_ s: String) -> String {
        var out = ""
        for c in s {
            if "\\.+*?()|[]{}^$".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    func tagPredicate(_ condition: Expr?) throws -> TagPredicate {
        guard let condition else { return .always }
        return try Condition.tagPredicate(condition, fields: [])
    }

    static func page<T>(_ items: [T], limit: Int, offset: Int) -> [T] {
        var out = ArraySlice(items)
        if offset > 0 { out = out.dropFirst(offset) }
        if limit > 0 { out = out.prefix(limit) }
        return Array(out)
    }

    func showMeasurements(_ s: ShowMeasurementsStatement, _ options: QueryOptions) throws -> [ResultSeries] {
        guard let db = s.database ?? options.database, !db.isEmpty else { throw QueryError.databaseRequired }
        guard try store.databaseExists(db) else { return [] }
        let filter = try s.source.map { try measurementFilter([.measurement($0)]) } ?? .all
        var names: [String]
        if let condition = s.condition {
            if Self.mentionsTime(condition) { throw QueryError("SHOW MEASUREMENTS doesn't support time in WHERE clause") }
            try Self.checkIndexCondition(condition, for: .measurements)
            let series = try store.series(database: db, filter: filter, where: .always)
            names = try Self.measurements(matching: condition, series).sorted()
        } else {
            names = try store.measurements(database: db, filter: filter)
        }
        names = Self.page(names, limit: s.limit, offset: s.offset)
        if names.isEmpty { return [] }
        return [ResultSeries(name: "measurements", columns: ["name"], values: names.map { [.string($0)] })]
    }

    func showTagKeys(_ s: ShowTagKeysStatement, _ options: QueryOptions) throws -> [ResultSeries] {
        let db = try requireDatabase(s.database, options)
        let (predicate, range) = try indexCondition(s.condition, options, for: .tagKeys)
        if let range, try !anyShardGroup(db, overlapping: range) { return [] }
        let keys = try store.tagKeys(database: db, filter: try measurementFilter(s.sources), where: predicate)
        var out: [ResultSeries] = []
        for m in keys.keys.sorted() {
            let list = Self.page(keys[m]!.sorted(), limit: s.limit, offset: s.offset)
            if list.isEmpty { continue }
            out.append(ResultSeries(name: m, columns: ["tagKey"], values: list.map { [.string($0)] }))
        }
        // InfluxDB 1.6.7 parses SLIMIT and SOFFSET here and applies neither (measured).
        return out
    }

    func showTagValues(_ s: ShowTagValuesStatement, _ options: QueryOptions) throws -> [ResultSeries] {
        let db = try requireDatabase(s.database, options)
        let match = try Self.keyMatcher(s.key)
        let (predicate, range) = try indexCondition(s.condition, options, for: .tagValues)
        if let range, try !anyShardGroup(db, overlapping: range) { return [] }
        let lists = try store.sortedTagValues(database: db, filter: try measurementFilter(s.sources), where: predicate,
                                              keyMatches: match)
        var out: [ResultSeries] = []
        for (m, tags) in lists {
            let list = Self.page(tags, limit: s.limit, offset: s.offset)
            if list.isEmpty { continue }
            out.append(ResultSeries(name: m, columns: ["key", "value"], values: list.map { [.string($0.key), .string($0.value)] }))
        }
        return out
    }

    func showFieldKeys(_ s: ShowFieldKeysStatement, _ options: QueryOptions) throws -> [ResultSeries] {
        let db = try requireDatabase(Self.fromDatabase(s.sources) ?? s.database, options)
        // The fields of one policy: the one FROM names, the `rp` parameter's, or the default.
        let policy = try existingPolicy(try fromPolicy(s.sources, database: db) ?? options.retentionPolicy, database: db).name
        var out: [ResultSeries] = []
        for m in try store.measurements(database: db, filter: try measurementFilter(s.sources)) {
            let keys = Self.page(try store.fieldKeys(database: db, policy: policy, measurement: m), limit: s.limit, offset: s.offset)
            if keys.isEmpty { continue }
            out.append(ResultSeries(name: m, columns: ["fieldKey", "fieldType"], values: keys.map { [.string($0.name), .string($0.type.description)] }))
        }
        return out
    }

    func showSeries(_ s: ShowSeriesStatement, _ options: QueryOptions) throws -> [ResultSeries] {
        let db = try requireDatabase(Self.fromDatabase(s.sources) ?? s.database, options)
        // InfluxDB 1.6 reads the series through the default policy's shards: it must exist, and
        // so must a policy FROM names.
        _ = try existingPolicy(nil, database: db)
        let named = try fromPolicy(s.sources, database: db)
        let (predicate, range) = try indexCondition(s.condition, options, for: .series)
        var series = try store.series(database: db, filter: try measurementFilter(s.sources), where: predicate)
        if let range {
            // With a time range it reads the shards of that one policy (measured).
            let policy = try existingPolicy(named, database: db)
            let inRange = try seriesWithPoints(db, series, policy: policy.name, in: Self.shardSpan(range, policy))
            series = series.filter { inRange.contains($0.id) }
        }
        // InfluxDB's index lists series by measurement, then tag by tag (key, value) as bytes (a
        // value with a space comes before one with a digit, although its key escapes the space);
        // the shards read for a time range list them by their escaped keys (measured).
        if range == nil { series.sort { Self.seriesOrder($0.key, $1.key) } }
        let keys = Self.page(series.map(\.key.description), limit: s.limit, offset: s.offset)
        if keys.isEmpty { return [] }
        return [ResultSeries(name: "", columns: ["key"], values: keys.map { [.string($0)] })]
    }

    /// InfluxDB's series key order: measurement, then each tag's key and value, compared as
    /// bytes, a shorter tag list first when one is the other's start.
    static func seriesOrder(_ a: SeriesKey, _ b: SeriesKey) -> Bool {
        func less(_ x: String, _ y: String) -> Bool? {
            x == y ? nil : x.utf8.lexicographicallyPrecedes(y.utf8)
        }
        if let r = less(a.measurement, b.measurement) { return r }
        for (x, y) in zip(a.tags, b.tags) {
            if let r = less(x.key, y.key) { return r }
            if let r = less(x.value, y.value) { return r }
        }
        return a.tags.count < b.tags.count
    }

    func showStats(_ module: String?) -> [ResultSeries] {
        var groups = stats()
        for p in providers.withLock({ $0 }) { groups += p.stats() }
        return groups.filter { module == nil || $0.name == module }.map { g in
            ResultSeries(name: g.name, tags: g.tags, columns: g.values.map(\.name), values: [g.values.map { v in
                v.value == v.value.rounded() && abs(v.value) < 9e18 ? .integer(Int64(v.value)) : .float(v.value)
            }])
        }
    }

    func deleteSeries(_ s: DeleteSeriesStatement, _ options: QueryOptions, dropping: Bool) throws {
        let db = try requireDatabase(nil, options)
        let filter = try measurementFilter(s.sources)
        var range = TimeRange.all
        var predicate = TagPredicate.always
        var rowFilter: Expr?
        if let c = s.condition {
            if dropping && Self.mentionsTime(c) { throw QueryError("DROP SERIES doesn't support time in WHERE clause") }
            var fields: Set<String> = []
            let measurements = Set(try store.series(database: db, filter: filter, where: .always).map(\.key.measurement))
            for m in measurements.sorted() { fields.formUnion(try store.fieldKeys(database: db, measurement: m).map(\.name)) }
            let condition = try Condition(c, fields: fields, now: options.now)
            // InfluxDB rejects fields per shard; a collectlite database answers as its first shard.
            if !condition.filterFields.isEmpty { throw QueryError("shard 1: fields not supported in WHERE clause during deletion") }
            range = TimeRange(min: condition.min, max: condition.max)
            predicate = condition.tags
            rowFilter = condition.rowFilter
        }
        let ids = try store.series(database: db, filter: filter, where: predicate).filter { entry in
            // Tag-to-tag comparisons (`host = host`) are decided per series, by tag keys.
            try rowFilter.map { try Self.indexMatches($0, entry.key) } ?? true
        }.map(\.id)
        if dropping {
            try store.dropSeries(database: db, ids: ids)
        } else {
            try store.deleteSamples(database: db, series: ids, range: range)
            try dropEmptySeries(database: db, ids: ids)
        }
    }
}
