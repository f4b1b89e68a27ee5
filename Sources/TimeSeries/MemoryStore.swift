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

    struct RefIdentity: Hashable {
        var database: String
        var key: SeriesKey
        var field: String
        var type: FieldType
    }

    struct State {
        var databases: [String: Database] = [:]
        var nextID: UInt64 = 1
        var refs: [RefIdentity] = []
        var refSlots: [RefIdentity: UInt32] = [:]
        var generation: UInt64 = 0
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
        state.withLock { s in
            s.databases[name] = nil
            s.generation &+= 1
        }
    }

    public var appendGeneration: UInt64 { state.withLock { $0.generation } }

    public func resolve(database: String, key: SeriesKey, fields: [FieldSpec]) throws -> FieldResolution {
        guard !database.isEmpty else { throw SeriesStoreError.invalidName(database) }
        return state.withLock { s in
            var db = s.databases[database] ?? Database()
            var types = db.fieldTypes[key.measurement] ?? [:]
            if let conflict = FieldSpec.conflict(fields, measurement: key.measurement, existingType: { types[$0] }) {
                return .conflict(conflict)
            }
            for field in fields { types[field.name] = field.type }
            db.fieldTypes[key.measurement] = types
            if db.seriesIDs[key] == nil {
                db.seriesIDs[key] = s.nextID
                db.keys[s.nextID] = key
                s.nextID += 1
            }
            s.databases[database] = db
            var refs: [FieldRef] = []
            for field in fields {
                let identity = RefIdentity(database: database, key: key, field: field.name, type: field.type)
                if let slot = s.refSlots[identity] {
                    refs.append(FieldRef(database: 0, slot: slot))
                } else {
                    let slot = UInt32(s.refs.count)
                    s.refs.append(identity)
                    s.refSlots[identity] = slot
                    refs.append(FieldRef(database: 0, slot: slot))
                }
            }
            return .refs(refs)
        }
    }

    public func append(_ batch: ColumnBatch) throws -> AppendResult {
        state.withLock { s in
            var dropped = 0
            for row in 0..<batch.count {
                let identity = s.refs[Int(batch.refs[row].slot)]
                var db = s.databases[identity.database] ?? Database()
                // The measurement was dropped and recreated with another type for this field.
                if let existing = db.fieldTypes[identity.key.measurement]?[identity.field], existing != identity.type {
                    dropped += 1
                    continue
                }
                // A dropped series (or measurement) comes back, as a new write would bring it.
                let id: UInt64
                if let existing = db.seriesIDs[identity.key] {
                    id = existing
                } else {
                    id = s.nextID
                    s.nextID += 1
                    db.seriesIDs[identity.key] = id
                    db.keys[id] = identity.key
                }
                db.fieldTypes[identity.key.measurement, default: [:]][identity.field] = identity.type
                let time = batch.times[row]
                let sample = Sample(time: time, value: batch.value(at: row, as: identity.type))
                var samples = db.data[id, default: [:]][identity.field, default: []]
                let index = Self.lowerBound(samples, time)
                if index < samples.count && samples[index].time == time {
                    samples[index] = sample
                } else {
                    samples.insert(sample, at: index)
                }
                db.data[id, default: [:]][identity.field] = samples
                s.databases[identity.database] = db
            }
            return AppendResult(appended: batch.count - dropped, dropped: dropped)
        }
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
            s.generation &+= 1
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
            s.generation &+= 1
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
