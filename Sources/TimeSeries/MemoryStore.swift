import Synchronization

/// A `SeriesStore` in plain sorted arrays: the reference model for store tests and the
/// backing store for query-engine tests. Not built for speed.
public final class MemoryStore: SeriesStore {
    struct Database {
        var seriesIDs: [SeriesKey: UInt64] = [:]
        var keys: [UInt64: SeriesKey] = [:]
        var fieldTypes: [String: [String: FieldType]] = [:]
        /// series id → field → samples sorted by time, unique times.
        var data: [UInt64: [String: [Sample]]] = [:]
    }

    struct State {
        var databases: [String: Database] = [:]
        var nextID: UInt64 = 1
    }

    private let state = Mutex(State())

    public init() {}

    public func databases() throws -> [String] {
        state.withLock { $0.databases.keys.sorted() }
    }

    public func createDatabase(_ name: String) throws {
        guard !name.isEmpty else { throw SeriesStoreError.invalidName(name) }
        state.withLock { s in
            if s.databases[name] == nil { s.databases[name] = Database() }
        }
    }

    public func dropDatabase(_ name: String) throws {
        _ = state.withLock { $0.databases.removeValue(forKey: name) }
    }

    public func write(_ points: [Point], database: String) throws {
        guard !database.isEmpty else { throw SeriesStoreError.invalidName(database) }
        var rejected = 0
        var reason = ""
        state.withLock { s in
            var db = s.databases[database] ?? Database()
            for point in points {
                var types = db.fieldTypes[point.key.measurement] ?? [:]
                var conflict: String?
                for field in point.fields {
                    if let existing = types[field.name], existing != field.value.type {
                        conflict = "field type conflict: input field \"\(field.name)\" on measurement \"\(point.key.measurement)\" is type \(field.value.type), already exists as type \(existing)"
                    }
                }
                if let conflict {
                    rejected += 1
                    reason = conflict
                    continue
                }
                for field in point.fields { types[field.name] = field.value.type }
                db.fieldTypes[point.key.measurement] = types
                let id: UInt64
                if let existing = db.seriesIDs[point.key] {
                    id = existing
                } else {
                    id = s.nextID
                    s.nextID += 1
                    db.seriesIDs[point.key] = id
                    db.keys[id] = point.key
                }
                for field in point.fields {
                    var samples = db.data[id, default: [:]][field.name, default: []]
                    let sample = Sample(time: point.time, value: field.value)
                    let index = Self.lowerBound(samples, point.time)
                    if index < samples.count && samples[index].time == point.time {
                        samples[index] = sample
                    } else {
                        samples.insert(sample, at: index)
                    }
                    db.data[id, default: [:]][field.name] = samples
                }
            }
            s.databases[database] = db
        }
        if rejected > 0 { throw SeriesStoreError.partialWrite(rejected: rejected, reason: reason) }
    }

    public func measurements(database: String, filter: MeasurementFilter) throws -> [String] {
        try withDatabase(database) { db in
            Set(db.keys.values.map(\.measurement)).filter { filter.matches($0) }.sorted()
        }
    }

    public func series(database: String, filter: MeasurementFilter, where predicate: TagPredicate) throws -> [SeriesEntry] {
        try withDatabase(database) { db in
            db.keys.compactMap { id, key in
                filter.matches(key.measurement) && predicate.evaluate(key) ? SeriesEntry(id: id, key: key) : nil
            }.sorted { $0.key < $1.key }
        }
    }

    public func fieldKeys(database: String, measurement: String) throws -> [FieldKey] {
        try withDatabase(database) { db in
            (db.fieldTypes[measurement] ?? [:]).map { FieldKey(name: $0.key, type: $0.value) }.sorted { $0.name < $1.name }
        }
    }

    public func scan(database: String, series: UInt64, field: String, range: TimeRange, descending: Bool) throws -> any SampleCursor {
        let samples = try withDatabase(database) { db in
            (db.data[series]?[field] ?? []).filter { range.contains($0.time) }
        }
        return ArrayCursor(samples: descending ? samples.reversed() : samples)
    }

    public func dropMeasurement(database: String, name: String) throws {
        state.withLock { s in
            guard var db = s.databases[database] else { return }
            for (id, key) in db.keys where key.measurement == name {
                db.keys[id] = nil
                db.seriesIDs[key] = nil
                db.data[id] = nil
            }
            db.fieldTypes[name] = nil
            s.databases[database] = db
        }
    }

    public func dropSeries(database: String, ids: [UInt64]) throws {
        state.withLock { s in
            guard var db = s.databases[database] else { return }
            for id in ids {
                if let key = db.keys.removeValue(forKey: id) { db.seriesIDs[key] = nil }
                db.data[id] = nil
            }
            s.databases[database] = db
        }
    }

    public func deleteSamples(database: String, series ids: [UInt64], range: TimeRange) throws {
        state.withLock { s in
            guard var db = s.databases[database] else { return }
            for id in ids {
                guard var fields = db.data[id] else { continue }
                for (name, samples) in fields {
                    fields[name] = samples.filter { !range.contains($0.time) }
                }
                db.data[id] = fields
            }
            s.databases[database] = db
        }
    }

    private func withDatabase<T>(_ name: String, _ body: (Database) -> T) throws -> T {
        // Copy-on-write makes this snapshot cheap; the work happens outside the lock.
        let db: Database? = state.withLock { $0.databases[name] }
        guard let db else { throw SeriesStoreError.databaseNotFound(name) }
        return body(db)
    }

    static func lowerBound(_ samples: [Sample], _ time: Int64) -> Int {
        var lo = 0
        var hi = samples.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if samples[mid].time < time { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

/// A cursor over an array of samples already in the wanted order.
public struct ArrayCursor: SampleCursor {
    private var samples: [Sample]
    private var index = 0

    public init(samples: [Sample]) {
        self.samples = samples
    }

    public mutating func next() throws -> Sample? {
        guard index < samples.count else { return nil }
        defer { index += 1 }
        return samples[index]
    }
}
