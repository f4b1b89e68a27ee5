import Synchronization

/// A `SeriesStore` in plain sorted arrays: the reference model for store tests and the
/// backing store for query-engine tests. Not built for speed.
public final class MemoryStore: SeriesStore {
    struct Database {
        var seriesIDs: [SeriesKey: UInt64] = [:]
        var keys: [UInt64: SeriesKey] = [:]
        var policies = RetentionPolicies.initial()
        /// Each policy's incarnation: a policy dropped and created again is a new one, and refs
        /// of the old one stay dropped (as refs of a dropped database do).
        var policyIDs: [String: UInt64] = [:]
        var continuousQueries = ContinuousQueries()
        /// policy → measurement → field → type.
        var fieldTypes: [String: [String: [String: FieldType]]] = [:]
        /// policy → series id → field → samples sorted by time, unique times.
        var data: [String: [UInt64: [String: [Sample]]]] = [:]
    }

    struct RefIdentity: Hashable {
        var database: String
        var policy: String
        var policyID: UInt64
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
        var nextPolicyID: UInt64 = 1

        /// Gives every policy of `db` without one its incarnation number.
        mutating func numberPolicies(_ db: inout Database) {
            for policy in db.policies.policies where db.policyIDs[policy.name] == nil {
                db.policyIDs[policy.name] = nextPolicyID
                nextPolicyID += 1
            }
        }
    }

    private let state = Mutex(State())
    /// How long `autogen` keeps samples in databases this store creates (0: forever).
    private let defaultRetention: Int64

    public init(defaultRetention: Int64 = 0) {
        self.defaultRetention = defaultRetention
    }

    public func databases() throws -> [String] {
        state.withLock { $0.databases.keys.sorted() }
    }

    public func createDatabase(_ name: String) throws {
        guard !name.isEmpty else { throw SeriesStoreError.invalidName(name) }
        state.withLock { s in
            if s.databases[name] == nil { s.databases[name] = newDatabase() }
        }
    }

    private func newDatabase() -> Database {
        var db = Database()
        db.policies = .initial(duration: defaultRetention)
        return db
    }

    public func dropDatabase(_ name: String) throws {
        state.withLock { s in
            s.databases[name] = nil
            s.generation &+= 1
        }
    }

    public func retentionPolicies(database: String) throws -> RetentionPolicies {
        try withDatabase(database) { $0.policies }
    }

    public func updateRetentionPolicies(database: String, createDatabase: Bool,
                                        _ change: (inout RetentionPolicies) throws -> Void) throws {
        guard !database.isEmpty else { throw SeriesStoreError.invalidName(database) }
        try state.withLock { s in
            let created = s.databases[database] == nil
            guard !created || createDatabase else { throw SeriesStoreError.databaseNotFound(database) }
            var db = s.databases[database] ?? Database()
            var policies = created ? RetentionPolicies() : db.policies
            try change(&policies)
            if created && policies.policies.isEmpty { policies = .initial(duration: defaultRetention) }
            let removed = db.policies.policies.map(\.name).filter { policies.policy(named: $0) == nil }
            // Only the policy's samples go: its series stay listed, as in InfluxDB 1.6's index.
            for name in removed {
                db.policyIDs[name] = nil
                db.data[name] = nil
                db.fieldTypes[name] = nil
            }
            if !removed.isEmpty || policies.defaultName != db.policies.defaultName { s.generation &+= 1 }
            db.policies = policies
            s.numberPolicies(&db)
            s.databases[database] = db
        }
    }

    public func continuousQueries(database: String) throws -> ContinuousQueries {
        try withDatabase(database) { $0.continuousQueries }
    }

    public func updateContinuousQueries(database: String, _ change: (inout ContinuousQueries) throws -> Void) throws {
        try state.withLock { s in
            guard var db = s.databases[database] else { throw SeriesStoreError.databaseNotFound(database) }
            try change(&db.continuousQueries)
            s.databases[database] = db
        }
    }

    public var appendGeneration: UInt64 { state.withLock { $0.generation } }

    public func resolve(database: String, policy: String?, key: SeriesKey, fields: [FieldSpec]) throws -> FieldResolution {
        guard !database.isEmpty else { throw SeriesStoreError.invalidName(database) }
        return try state.withLock { s in
            var db = s.databases[database] ?? newDatabase()
            let rp = try db.policies.require(policy).name
            s.numberPolicies(&db)
            let policyID = db.policyIDs[rp] ?? 0
            var types = db.fieldTypes[rp]?[key.measurement] ?? [:]
            if let conflict = FieldSpec.conflict(fields, measurement: key.measurement, existingType: { types[$0] }) {
                return .conflict(conflict)
            }
            for field in fields { types[field.name] = field.type }
            db.fieldTypes[rp, default: [:]][key.measurement] = types
            if db.seriesIDs[key] == nil {
                db.seriesIDs[key] = s.nextID
                db.keys[s.nextID] = key
                s.nextID += 1
            }
            s.databases[database] = db
            var refs: [FieldRef] = []
            for field in fields {
                let identity = RefIdentity(database: database, policy: rp, policyID: policyID, key: key, field: field.name, type: field.type)
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
                let created = s.databases[identity.database] == nil
                if created { s.databases[identity.database] = newDatabase() }
                // In place: a copy of the database or of the samples per row made an append of
                // n points O(n²) (a subquery's 300 000 filled rows took minutes).
                let sample = Sample(time: batch.times[row], value: batch.value(at: row, as: identity.type))
                if !Self.append(sample, identity, to: &s.databases[identity.database]!, nextID: &s.nextID) {
                    dropped += 1
                    if created { s.databases[identity.database] = nil }
                }
            }
            return AppendResult(appended: batch.count - dropped, dropped: dropped)
        }
    }

    /// One sample into `db`; false when its policy or field type no longer matches.
    private static func append(_ sample: Sample, _ identity: RefIdentity, to db: inout Database, nextID: inout UInt64) -> Bool {
        // The policy was dropped, or the measurement was dropped and recreated with another
        // type for this field.
        guard db.policyIDs[identity.policy] == identity.policyID else { return false }
        if let existing = db.fieldTypes[identity.policy]?[identity.key.measurement]?[identity.field], existing != identity.type {
            return false
        }
        // A dropped series (or measurement) comes back, as a new write would bring it.
        let id: UInt64
        if let existing = db.seriesIDs[identity.key] {
            id = existing
        } else {
            id = nextID
            nextID += 1
            db.seriesIDs[identity.key] = id
            db.keys[id] = identity.key
        }
        db.fieldTypes[identity.policy, default: [:]][identity.key.measurement, default: [:]][identity.field] = identity.type
        var samples = db.data[identity.policy]?[id]?.removeValue(forKey: identity.field) ?? []
        let index = lowerBound(samples, sample.time)
        if index < samples.count && samples[index].time == sample.time {
            samples[index] = sample
        } else {
            samples.insert(sample, at: index)
        }
        db.data[identity.policy, default: [:]][id, default: [:]][identity.field] = samples
        return true
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

    public func fieldKeys(database: String, policy: String?, measurement: String) throws -> [FieldKey] {
        try withDatabase(database) { db in
            var out: [String: FieldType] = [:]
            let names = policy.map { [$0] } ?? db.policies.policies.map(\.name)
            for name in names {
                for (field, type) in db.fieldTypes[name]?[measurement] ?? [:] where out[field] == nil { out[field] = type }
            }
            return out.map { FieldKey(name: $0.key, type: $0.value) }.sorted { $0.name < $1.name }
        }
    }

    public func scan(database: String, policy: String?, series: UInt64, field: String, range: TimeRange, descending: Bool) throws -> any SampleCursor {
        let samples = try withDatabase(database) { db throws in
            let rp = try db.policies.require(policy).name
            return (db.data[rp]?[series]?[field] ?? []).filter { range.contains($0.time) }
        }
        return ArrayCursor(samples: descending ? samples.reversed() : samples)
    }

    public func dropMeasurement(database: String, name: String) throws {
        state.withLock { s in
            guard var db = s.databases[database] else { return }
            for (id, key) in db.keys where key.measurement == name {
                db.keys[id] = nil
                db.seriesIDs[key] = nil
                for policy in db.data.keys { db.data[policy]?[id] = nil }
            }
            for policy in db.fieldTypes.keys { db.fieldTypes[policy]?[name] = nil }
            s.databases[database] = db
            s.generation &+= 1
        }
    }

    public func dropSeries(database: String, ids: [UInt64]) throws {
        state.withLock { s in
            guard var db = s.databases[database] else { return }
            for id in ids {
                if let key = db.keys.removeValue(forKey: id) { db.seriesIDs[key] = nil }
                for policy in db.data.keys { db.data[policy]?[id] = nil }
            }
            s.databases[database] = db
            s.generation &+= 1
        }
    }

    public func deleteSamples(database: String, series ids: [UInt64], range: TimeRange) throws {
        state.withLock { s in
            guard var db = s.databases[database] else { return }
            for policy in db.data.keys {
                for id in ids {
                    guard var fields = db.data[policy]?[id] else { continue }
                    for (name, samples) in fields {
                        fields[name] = samples.filter { !range.contains($0.time) }
                    }
                    db.data[policy]?[id] = fields
                }
            }
            s.databases[database] = db
        }
    }

    /// Deletes samples older than `now` minus their policy's duration (policies of duration 0 keep all).
    public func applyRetention(now: Int64) {
        state.withLock { s in
            for (name, var db) in s.databases {
                for policy in db.policies.policies {
                    guard let cutoff = policy.oldestKept(now: now), var series = db.data[policy.name] else { continue }
                    for (id, fields) in series {
                        series[id] = fields.mapValues { $0.filter { $0.time >= cutoff } }
                    }
                    db.data[policy.name] = series
                }
                s.databases[name] = db
            }
        }
    }

    private func withDatabase<T>(_ name: String, _ body: (Database) throws -> T) throws -> T {
        // Copy-on-write makes this snapshot cheap; the work happens outside the lock.
        let db: Database? = state.withLock { $0.databases[name] }
        guard let db else { throw SeriesStoreError.databaseNotFound(name) }
        return try body(db)
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

    public var pointsAhead: Int { samples.count - index }
}
