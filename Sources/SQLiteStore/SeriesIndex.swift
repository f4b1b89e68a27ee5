import TimeSeries

/// A field key with the store's id for it.
struct FieldInfo: Sendable, Hashable {
    var id: Int64
    var type: FieldType
    /// The retention policy (its id in `policies`) whose samples the field holds: each policy
    /// has its own field ids, so its chunks and heads are its own.
    var policy: Int64 = 1
}

/// A published copy of a database's series index, handed to readers as one reference: the
/// index's eleven reference-counted fields were retained and released with every copy of it, a
/// dozen copies a query.
final class IndexSnapshot: Sendable {
    let index: SeriesIndex

    init(_ index: SeriesIndex) {
        self.index = index
    }
}

/// The series index of one database: series ids and keys, and field ids and types per measurement.
/// A value type: readers take a snapshot (`IndexSnapshot`) and query it without locks.
struct SeriesIndex: Sendable {
    /// Series keys by id and ids by key.
    var table = SeriesTable()
    /// measurement → its series ids (so a query naming measurements visits only theirs).
    var byMeasurement: [String: Set<Int64>] = [:]
    /// Tag postings: measurement → tag key → tag value → the ids of the series carrying it
    /// (unordered). SHOW TAG KEYS / TAG VALUES answer from them, a regex is evaluated once per
    /// distinct value, and a WHERE on tags becomes set operations on id lists.
    private(set) var postings: [String: [String: [String: [Int64]]]] = [:]
    /// Each tag key's values in order, filled by SHOW TAG VALUES; replaced whenever the
    /// postings change, so a snapshot's cache always matches its postings.
    private(set) var sortedValues = SortedTagValues()
    /// policy id → measurement → field name → field.
    var fields: [Int64: [String: [String: FieldInfo]]] = [:]
    /// The database's retention policies, and each one's id (ids are never reused).
    var policies = RetentionPolicies()
    var policyIDs: [String: Int64] = [:]
    var continuousQueries = ContinuousQueries()
    var nextSeriesID: Int64 = 1
    var nextFieldID: Int64 = 1
    var nextPolicyID: Int64 = 1

    /// Loads the index from the `series` (and, from schema 9, `strings`, unless the caller has
    /// read it) and `fields` tables.
    static func load(_ connection: SQLiteConnection, strings: [Int64: String]? = nil) throws(SQLiteStoreError) -> SeriesIndex {
        var index = SeriesIndex()
        let catalog = (try connection.scalar("PRAGMA user_version") ?? 0) >= SeriesCatalog.version
        if catalog {
            let names: [Int64: String]
            if let strings { names = strings } else { names = try SeriesCatalog.strings(connection) }
            try SeriesCatalog.loadRows(connection, strings: names) { id, key in index.add(id: id, key: key) }
        } else {
            let series = try connection.prepare("SELECT id, measurement, tags FROM series")
            defer { series.reset() }
            while try series.step() {
                let id = series.int64(0)
                guard let tags = TagCoding.decode(series.blob(2)) else {
                    throw .corruptData(file: connection.path, reason: "series \(id) has an undecodable tag set")
                }
                index.add(id: id, key: SeriesKey(measurement: series.text(1), sortedTags: tags))
            }
        }
        // Files before schema 3 have one policy, autogen, with id 1 (readers do not migrate).
        let hasPolicies = (try connection.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'policies'") ?? 0) > 0
        let fields = try connection.prepare("SELECT id, measurement, name, type, \(hasPolicies ? "policy" : "1") FROM fields")
        defer { fields.reset() }
        while try fields.step() {
            guard let type = FieldType(rawValue: UInt8(truncatingIfNeeded: fields.int64(3))) else {
                throw .corruptData(file: connection.path, reason: "field \(fields.int64(0)) has unknown type \(fields.int64(3))")
            }
            let info = FieldInfo(id: fields.int64(0), type: type, policy: fields.int64(4))
            index.fields[info.policy, default: [:]][fields.text(1), default: [:]][fields.text(2)] = info
        }
        if hasPolicies {
            let rows = try connection.prepare("SELECT id, name, duration, shard_duration, replication, is_default FROM policies ORDER BY position")
            defer { rows.reset() }
            var list: [RetentionPolicy] = []
            var defaultName = ""
            while try rows.step() {
                let policy = RetentionPolicy(name: rows.text(1), duration: rows.int64(2), shardGroupDuration: rows.int64(3),
                                             replication: Int(rows.int64(4)))
                list.append(policy)
                index.policyIDs[policy.name] = rows.int64(0)
                if rows.int64(5) != 0 { defaultName = policy.name }
            }
            index.policies = RetentionPolicies(policies: list, defaultName: defaultName)
            index.nextPolicyID = (try connection.scalar("SELECT max(id) FROM policies") ?? 0) + 1
            if (try connection.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'continuous_queries'") ?? 0) > 0 {
                let cqs = try connection.prepare("SELECT name, query, last_run FROM continuous_queries ORDER BY position")
                defer { cqs.reset() }
                var queries: [ContinuousQueryDefinition] = []
                while try cqs.step() {
                    queries.append(ContinuousQueryDefinition(name: cqs.text(0), query: cqs.text(1), lastRun: cqs.isNull(2) ? nil : cqs.int64(2)))
                }
                index.continuousQueries = ContinuousQueries(queries)
            }
        } else {
            index.policies = .initial()
            index.policyIDs = ["autogen": 1]
            index.nextPolicyID = 2
        }
        index.nextSeriesID = catalog
            ? try connection.scalar("SELECT value FROM meta WHERE key = 'next_series'") ?? 1
            : (try connection.scalar("SELECT seq FROM sqlite_sequence WHERE name = 'series'") ?? 0) + 1
        index.nextFieldID = (try connection.scalar("SELECT max(id) FROM fields") ?? 0) + 1
        return index
    }

    func series(_ filter: MeasurementFilter, _ predicate: TagPredicate) -> [SeriesEntry] {
        // SeriesKey's order is its text form: build each text once instead of per comparison.
        unorderedSeries(filter, predicate).map { ($0.key.description, $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Adds a series to every map of the index; returns the key as stored, whose measurement and
    /// tag values share their storage with the same strings of the measurement's other series
    /// (a host name longer than 15 bytes was held once per series: 5 MB at 2 000 hosts).
    @discardableResult
    mutating func add(id: Int64, key: SeriesKey) -> SeriesKey {
        let stored = interned(key)
        table.insert(id: id, key: stored)
        byMeasurement[stored.measurement, default: []].insert(id)
        sortedValues = SortedTagValues()
        for tag in stored.tags {
            postings[stored.measurement, default: [:]][tag.key, default: [:]][tag.value, default: []].append(id)
        }
        return stored
    }

    /// `key` with its strings replaced by the equal ones the postings already hold.
    private func interned(_ key: SeriesKey) -> SeriesKey {
        guard let at = byMeasurement.index(forKey: key.measurement), let byKey = postings[key.measurement] else { return key }
        var tags = key.tags
        for i in tags.indices {
            guard let keyAt = byKey.index(forKey: tags[i].key) else { continue }
            let byValue = byKey.values[keyAt]
            let value = byValue.index(forKey: tags[i].value).map { byValue.keys[$0] } ?? tags[i].value
            tags[i] = Tag(byKey.keys[keyAt], value)
        }
        return SeriesKey(measurement: byMeasurement.keys[at], sortedTags: tags)
    }

    /// Removes a series from every map of the index.
    mutating func remove(id: Int64) {
        guard let key = table.remove(id: id) else { return }
        byMeasurement[key.measurement]?.remove(id)
        if byMeasurement[key.measurement]?.isEmpty == true { byMeasurement[key.measurement] = nil }
        sortedValues = SortedTagValues()
        for tag in key.tags {
            postings[key.measurement]?[tag.key]?[tag.value]?.removeAll { $0 == id }
            if postings[key.measurement]?[tag.key]?[tag.value]?.isEmpty == true { postings[key.measurement]?[tag.key]?[tag.value] = nil }
            if postings[key.measurement]?[tag.key]?.isEmpty == true { postings[key.measurement]?[tag.key] = nil }
        }
        if postings[key.measurement]?.isEmpty == true { postings[key.measurement] = nil }
    }

    /// The series ids of measurement `m` for which `predicate` holds, from the postings: nil
    /// means every series of `m`. A missing tag counts as the empty value, as InfluxDB has it.
    func select(_ m: String, _ predicate: TagPredicate) -> Set<Int64>? {
        let all = byMeasurement[m] ?? []
        let tags = postings[m] ?? [:]
        func carrying(_ key: String) -> Set<Int64> {
            var out = Set<Int64>()
            for ids in (tags[key] ?? [:]).values { out.formUnion(ids) }
            return out
        }
        switch predicate {
        case .always:
            return nil
        case .never:
            return []
        case .equal(let k, let v):
            return v.isEmpty ? all.subtracting(carrying(k)) : Set(tags[k]?[v] ?? [])
        case .notEqual(let k, let v):
            return all.subtracting(v.isEmpty ? all.subtracting(carrying(k)) : Set(tags[k]?[v] ?? []))
        case .matches(let k, let re), .notMatches(let k, let re):
            var matched = Set<Int64>()
            // Indices, not (value, ids) pairs: a value that does not match costs no retain of its ids.
            if let byValue = tags[k] {
                let values = sortedValues.matching(m, k, re.pattern) {
                    let match = re.matcher
                    return byValue.keys.filter(match)
                }
                for value in values { matched.formUnion(byValue[value] ?? []) }
            }
            if re.matches("") { matched.formUnion(all.subtracting(carrying(k))) }
            if case .notMatches = predicate { return all.subtracting(matched) }
            return matched
        case .and(let a, let b):
            // One side selects a few series (a host's) and the other only compares tag values:
            // those few are checked one by one, instead of building the set of every series of
            // the measurement that carries the other side's value (every host's if_octets).
            // An AND is symmetric: the side that may be checked one by one goes second.
            let (first, rest) = b.comparesValuesOnly ? (a, b) : (b, a)
            let selected = select(m, first)
            if rest.comparesValuesOnly, let few = selected, few.count <= Self.checkedOneByOne {
                let table = self.table
                return few.filter { id in table[id].map(rest.evaluate) ?? false }
            }
            switch (selected, select(m, rest)) {
            case (nil, let y): return y
            case (let x, nil): return x
            case (let x?, let y?): return x.intersection(y)
            }
        case .or(let a, let b):
            switch (select(m, a), select(m, b)) {
            case (nil, _), (_, nil): return nil
            case (let x?, let y?): return x.union(y)
            }
        }
    }

    /// The most series an AND checks one by one against a side that `comparesValuesOnly`.
    static let checkedOneByOne = 64

    /// Measurements of the index that `filter` selects (from the per-measurement lists, not the series).
    func measurements(_ filter: MeasurementFilter) -> [String] {
        // The closures capture the one dictionary they read, not the whole index.
        let present = byMeasurement
        if case .names(let names) = filter { return Set(names).filter { present[$0] != nil }.sorted() }
        return present.keys.filter { filter.matches($0) }.sorted()
    }

    /// Per measurement, the (key, value) tags of the series `predicate` selects whose key
    /// `keyMatches` (`sortedTagValues` as sets).
    func tagValues(_ filter: MeasurementFilter, _ predicate: TagPredicate, keyMatches: (String) -> Bool) -> [String: Set<Tag>] {
        Dictionary(uniqueKeysWithValues: sortedTagValues(filter, predicate, keyMatches: keyMatches).map { ($0.measurement, Set($0.tags)) })
    }

    /// Per measurement, the tag keys of the series `predicate` selects.
    func tagKeys(_ filter: MeasurementFilter, _ predicate: TagPredicate) -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for m in measurements(filter) {
            let selected = select(m, predicate)
            if selected?.isEmpty == true { continue }
            var found = Set<String>()
            for (key, values) in postings[m] ?? [:] {
                if let selected, !values.values.contains(where: { ids in ids.contains { selected.contains($0) } }) { continue }
                found.insert(key)
            }
            out[m] = found
        }
        return out
    }

    /// The series of the measurements `filter` selects for which `predicate` holds, in no
    /// particular order: the postings pick them, so a query on one host of a fleet never visits
    /// the others.
    func unorderedSeries(_ filter: MeasurementFilter, _ predicate: TagPredicate) -> [SeriesEntry] {
        var out: [SeriesEntry] = []
        for m in measurements(filter) {
            for id in select(m, predicate) ?? byMeasurement[m] ?? [] {
                if let key = table[id] { out.append(SeriesEntry(id: UInt64(id), key: key)) }
            }
        }
        return out
    }

    /// The fields of `measurement` in one policy, or (nil) in any policy of the database (a
    /// name typed differently in two policies is listed with the first policy's type).
    func fieldKeys(_ measurement: String, policy: Int64?) -> [FieldKey] {
        var out: [String: FieldType] = [:]
        let ids = policy.map { [$0] } ?? policies.policies.compactMap { policyIDs[$0.name] }
        for id in ids {
            for (name, info) in fields[id]?[measurement] ?? [:] where out[name] == nil { out[name] = info.type }
        }
        return out.map { FieldKey(name: $0.key, type: $0.value) }.sorted { $0.name < $1.name }
    }

    /// The field id of `field` on series `id` in `policy`, when both exist.
    func fieldID(series id: Int64, field: String, policy: Int64) -> FieldInfo? {
        guard let key = table[id] else { return nil }
        return fields[policy]?[key.measurement]?[field]
    }

    /// The id of the policy `name` names (nil or empty: the default policy), or InfluxDB's
    /// "retention policy not found".
    func policyID(_ name: String?) throws(SeriesStoreError) -> Int64 {
        let policy = try policies.require(name)
        guard let id = policyIDs[policy.name] else { throw .retentionPolicyNotFound(policy.name) }
        return id
    }

    /// Every field of any policy, by id.
    var allFields: [Int64: FieldInfo] {
        var out: [Int64: FieldInfo] = [:]
        for byMeasurement in fields.values {
            for byName in byMeasurement.values {
                for info in byName.values { out[info.id] = info }
            }
        }
        return out
    }
}

/// The canonical binary form of a sorted tag set stored in `series.tags` up to schema 8:
/// per tag, varint key length, key bytes, varint value length, value bytes.
enum TagCoding {
    static func encode(_ tags: [Tag]) -> [UInt8] {
        var out: [UInt8] = []
        for tag in tags {
            Varint.write(UInt64(tag.key.utf8.count), to: &out)
            out.append(contentsOf: tag.key.utf8)
            Varint.write(UInt64(tag.value.utf8.count), to: &out)
            out.append(contentsOf: tag.value.utf8)
        }
        return out
    }

    static func decode(_ bytes: [UInt8]) -> [Tag]? {
        var reader = ByteReader(bytes[...])
        var tags: [Tag] = []
        while !reader.isAtEnd {
            guard let key = reader.readString(), let value = reader.readString() else { return nil }
            tags.append(Tag(key, value))
        }
        return tags
    }
}
