import TimeSeries

/// A field key with the store's id for it.
struct FieldInfo: Sendable, Hashable {
    var id: Int64
    var type: FieldType
}

/// The series index of one database: series ids and keys, and field ids and types per measurement.
/// A value type: readers take a copy (copy-on-write) and query it without locks.
struct SeriesIndex: Sendable {
    var ids: [HashedSeriesKey: Int64] = [:]
    var keys: [Int64: SeriesKey] = [:]
    /// measurement → its series ids (so a query naming measurements visits only theirs).
    var byMeasurement: [String: Set<Int64>] = [:]
    /// measurement → field name → field.
    var fields: [String: [String: FieldInfo]] = [:]
    var nextSeriesID: Int64 = 1
    var nextFieldID: Int64 = 1

    /// Loads the index from the `series` and `fields` tables.
    static func load(_ connection: SQLiteConnection) throws(SQLiteStoreError) -> SeriesIndex {
        var index = SeriesIndex()
        let series = try connection.prepare("SELECT id, measurement, tags FROM series")
        defer { series.reset() }
        while try series.step() {
            let id = series.int64(0)
            guard let tags = TagCoding.decode(series.blob(2)) else {
                throw .corruptData(file: connection.path, reason: "series \(id) has an undecodable tag set")
            }
            let key = SeriesKey(measurement: series.text(1), sortedTags: tags)
            index.ids[HashedSeriesKey(key)] = id
            index.keys[id] = key
            index.byMeasurement[key.measurement, default: []].insert(id)
        }
        let fields = try connection.prepare("SELECT id, measurement, name, type FROM fields")
        defer { fields.reset() }
        while try fields.step() {
            guard let type = FieldType(rawValue: UInt8(truncatingIfNeeded: fields.int64(3))) else {
                throw .corruptData(file: connection.path, reason: "field \(fields.int64(0)) has unknown type \(fields.int64(3))")
            }
            index.fields[fields.text(1), default: [:]][fields.text(2)] = FieldInfo(id: fields.int64(0), type: type)
        }
        index.nextSeriesID = (try connection.scalar("SELECT seq FROM sqlite_sequence WHERE name = 'series'") ?? 0) + 1
        index.nextFieldID = (try connection.scalar("SELECT max(id) FROM fields") ?? 0) + 1
        return index
    }

    func measurements(_ filter: MeasurementFilter) -> [String] {
        Set(keys.values.map(\.measurement)).filter { filter.matches($0) }.sorted()
    }

    func series(_ filter: MeasurementFilter, _ predicate: TagPredicate) -> [SeriesEntry] {
        // SeriesKey's order is its text form: build each text once instead of per comparison.
        unorderedSeries(filter, predicate).map { ($0.key.description, $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    func unorderedSeries(_ filter: MeasurementFilter, _ predicate: TagPredicate) -> [SeriesEntry] {
        guard case .names(let names) = filter else {
            return keys.compactMap { id, key in
                filter.matches(key.measurement) && predicate.evaluate(key) ? SeriesEntry(id: UInt64(id), key: key) : nil
            }
        }
        var out: [SeriesEntry] = []
        for name in Set(names) {
            for id in byMeasurement[name] ?? [] {
                if let key = keys[id], predicate.evaluate(key) { out.append(SeriesEntry(id: UInt64(id), key: key)) }
            }
        }
        return out
    }

    func fieldKeys(_ measurement: String) -> [FieldKey] {
        (fields[measurement] ?? [:]).map { FieldKey(name: $0.key, type: $0.value.type) }.sorted { $0.name < $1.name }
    }

    /// The field id of `field` on series `id`, when both exist.
    func fieldID(series id: Int64, field: String) -> FieldInfo? {
        guard let key = keys[id] else { return nil }
        return fields[key.measurement]?[field]
    }
}

/// A series key with its hash computed once. Swift's dictionary compares keys at every probe;
/// comparing the stored hashes first makes a probe cost an integer compare instead of a walk
/// over tag strings, and a resize rehashes integers.
struct HashedSeriesKey: Hashable, Sendable {
    let hash: Int
    let key: SeriesKey

    init(_ key: SeriesKey) {
        self.key = key
        hash = key.hashValue
    }

    static func == (a: HashedSeriesKey, b: HashedSeriesKey) -> Bool {
        a.hash == b.hash && a.key == b.key
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(hash)
    }
}

/// The canonical binary form of a sorted tag set stored in `series.tags`:
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
