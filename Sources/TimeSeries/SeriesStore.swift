/// An inclusive time range in nanoseconds since the epoch.
public struct TimeRange: Sendable, Hashable {
    public var min: Int64
    public var max: Int64

    public init(min: Int64, max: Int64) {
        self.min = min
        self.max = max
    }

    public static let all = TimeRange(min: Int64.min, max: Int64.max)

    public func contains(_ t: Int64) -> Bool { t >= min && t <= max }
    public var isEmpty: Bool { min > max }
}

/// A series as the index knows it: a store-assigned id (stable for the life of the series) and its key.
public struct SeriesEntry: Sendable, Hashable {
    public var id: UInt64
    public var key: SeriesKey

    public init(id: UInt64, key: SeriesKey) {
        self.id = id
        self.key = key
    }
}

/// A field key of a measurement with its type.
public struct FieldKey: Sendable, Hashable {
    public var name: String
    public var type: FieldType

    public init(name: String, type: FieldType) {
        self.name = name
        self.type = type
    }
}

/// Streams samples of one series field in time order, without materialising them all.
public protocol SampleCursor {
    /// The next sample, or nil at the end.
    mutating func next() throws -> Sample?

    /// Appends the samples ahead to `times` and `values` for as long as they are floats,
    /// without building a `Sample` each (the read path's float fast path). Returns true when
    /// the cursor is exhausted; false when the next sample is not a float (or the cursor has no
    /// fast path), which `next()` then returns.
    mutating func appendFloats(times: inout [Int64], values: inout [Double]) throws -> Bool

    /// `appendFloats`, except that a sealed chunk `request` covers may be appended as one entry
    /// standing for all its samples under `request.aggregate`: count appends the chunk's first
    /// time with its sample count in `weights`; first and last append the chunk's first or last
    /// sample; min and max the chunk's first time with its smallest or largest value (the first
    /// of equal values in time order). With count, `weights` gets one weight per entry (1 for a
    /// sample) and otherwise stays untouched. Returns whether the cursor is exhausted, how many
    /// samples the appended entries stand for, and how many chunks were appended as one entry.
    mutating func appendFloats(times: inout [Int64], values: inout [Double], weights: inout [Int],
                               summarizing request: SummaryRequest) throws -> (done: Bool, samples: Int, chunks: Int)

    /// About how many samples in range lie ahead, known without decoding anything (a sealed
    /// chunk partly in range counts in proportion to the overlap of its time span); 0 when the
    /// cursor cannot tell. Lets a run that must stay small give up before it decodes.
    var pointsAhead: Int { get }
}

extension SampleCursor {
    public mutating func appendFloats(times: inout [Int64], values: inout [Double]) throws -> Bool { false }

    public var pointsAhead: Int { 0 }

    public mutating func appendFloats(times: inout [Int64], values: inout [Double], weights: inout [Int],
                                      summarizing request: SummaryRequest) throws -> (done: Bool, samples: Int, chunks: Int) {
        let before = times.count
        let done = try appendFloats(times: &times, values: &values)
        if request.aggregate == .count { weights.append(contentsOf: repeatElement(1, count: times.count - before)) }
        return (done, times.count - before, 0)
    }
}

/// One aggregate over time buckets that a scan may answer per sealed chunk without decoding it
/// (`SampleCursor.appendFloats(times:values:weights:summarizing:)`): a chunk qualifies when its
/// samples lie within `lower...upper` and in one bucket, and nothing else holds samples of its span.
public struct SummaryRequest: Sendable {
    public enum Aggregate: Sendable, Hashable { case count, min, max, first, last }

    public var aggregate: Aggregate
    public var lower: Int64
    public var upper: Int64
    /// The bucket of a time (equal results: same bucket).
    public var bucket: @Sendable (Int64) -> Int64

    public init(aggregate: Aggregate, lower: Int64, upper: Int64, bucket: @escaping @Sendable (Int64) -> Int64) {
        self.aggregate = aggregate
        self.lower = lower
        self.upper = upper
        self.bucket = bucket
    }

    /// Whether a chunk spanning `first...last` may stand as one entry.
    public func covers(_ first: Int64, _ last: Int64) -> Bool {
        first >= lower && last <= upper && bucket(first) == bucket(last)
    }
}

/// Errors every store reports the same way (the HTTP shell maps them to InfluxDB's texts).
public enum SeriesStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    case databaseNotFound(String)
    /// No retention policy of that name (empty: the database has no default policy).
    case retentionPolicyNotFound(String)
    case invalidName(String)
    /// Some points were rejected; the others were stored. `reason` is InfluxDB's text.
    case partialWrite(rejected: Int, reason: String)
    case storage(String)

    public var description: String {
        switch self {
        case .databaseNotFound(let db): "database not found: \(db)"
        case .retentionPolicyNotFound(let rp): "retention policy not found: \(rp)"
        case .invalidName(let name): "invalid name: \(name)"
        case .partialWrite(let n, let reason): "partial write: \(reason) dropped=\(n)"
        case .storage(let message): message
        }
    }
}

/// A field of a series to resolve: its name and the type its values have.
public struct FieldSpec: Sendable, Hashable {
    public var name: String
    public var type: FieldType

    public init(_ name: String, _ type: FieldType) {
        self.name = name
        self.type = type
    }
}

extension FieldSpec {
    /// InfluxDB's text when the last of `fields` whose type differs from `existingType(name)`
    /// conflicts with the measurement's stored type; nil when none does.
    public static func conflict(_ fields: [FieldSpec], measurement: String, existingType: (String) -> FieldType?) -> String? {
        var message: String?
        for field in fields {
            if let existing = existingType(field.name), existing != field.type {
                message = "field type conflict: input field \"\(field.name)\" on measurement \"\(measurement)\" is type \(field.type), already exists as type \(existing)"
            }
        }
        return message
    }
}

/// What resolving a series' fields gave.
public enum FieldResolution: Sendable, Hashable {
    /// One ref per requested field, in request order.
    case refs([FieldRef])
    /// A field's type conflicts with the measurement's stored type; nothing was created.
    /// The text is InfluxDB's.
    case conflict(String)
}

/// What one `append` did.
public struct AppendResult: Sendable, Hashable {
    /// Rows stored.
    public var appended: Int
    /// Rows whose database was dropped after their refs were resolved.
    public var dropped: Int

    public init(appended: Int = 0, dropped: Int = 0) {
        self.appended = appended
        self.dropped = dropped
    }
}

/// The ingest side of a store (Prometheus' `Appender`): resolve a series once to refs, then
/// append columns by ref, with no names and no per-value objects on the hot path.
///
/// Refs stay valid while the store is open. A ref of a series or measurement dropped later
/// recreates it on the next append (as a new write of that series would); a ref of a dropped
/// database has its rows counted as dropped. `appendGeneration` changes on every drop, so ref
/// caches can start afresh.
public protocol SeriesAppender: AnyObject, Sendable {
    /// Refs for `fields` of the series `key` in retention policy `policy` (nil: the database's
    /// default), creating the database, series and fields when missing. All or nothing: a
    /// conflicting field type creates nothing. An unknown policy throws `retentionPolicyNotFound`.
    func resolve(database: String, policy: String?, key: SeriesKey, fields: [FieldSpec]) throws -> FieldResolution

    /// Appends every row; a row with the same series field and time as a stored sample replaces it.
    func append(_ batch: ColumnBatch) throws -> AppendResult

    /// Changes whenever a database, measurement, series or retention policy is dropped, and
    /// when a database's default policy changes.
    var appendGeneration: UInt64 { get }

    /// Makes everything written to `database` so far durable now, rather than at the next
    /// periodic flush: an HTTP `/write` answers only after this, as InfluxDB answers after its WAL.
    func commit(database: String) throws
}

extension SeriesAppender {
    /// A store without a log of its own has nothing to commit.
    public func commit(database: String) throws {}

    /// Refs in the database's default retention policy.
    public func resolve(database: String, key: SeriesKey, fields: [FieldSpec]) throws -> FieldResolution {
        try resolve(database: database, policy: nil, key: key, fields: fields)
    }
}

/// The read side of a store: what the query engine uses.
public protocol SeriesQuerier: AnyObject, Sendable {
    func databases() throws -> [String]
    /// Whether database `name` exists: every statement asks, so a store should answer without
    /// listing every database (the SQLite store listed its data directory).
    func databaseExists(_ name: String) throws -> Bool
    func measurements(database: String, filter: MeasurementFilter) throws -> [String]
    func series(database: String, filter: MeasurementFilter, where predicate: TagPredicate) throws -> [SeriesEntry]
    /// The same series in no particular order: for answers that sort what they derive (tag keys,
    /// tag values, counts), it saves building and sorting every series' key text.
    func unorderedSeries(database: String, filter: MeasurementFilter, where predicate: TagPredicate) throws -> [SeriesEntry]
    /// The fields of `measurement` with samples in retention policy `policy` (nil: in any policy).
    func fieldKeys(database: String, policy: String?, measurement: String) throws -> [FieldKey]
    /// The database's retention policies (throws `databaseNotFound` for a missing database).
    func retentionPolicies(database: String) throws -> RetentionPolicies
    /// A number that moves whenever what a query plan reads from the store may have changed:
    /// databases, retention policies, measurements, series, tags and fields (not samples). Read
    /// before a plan is made, it says whether a plan kept from then still holds. nil: the store
    /// keeps no such number and plans are made anew (the default).
    var catalogVersion: UInt64? { get }
    /// Per measurement, the tags (key and value) whose key `keyMatches` among the series
    /// `predicate` selects: SHOW TAG VALUES. A store with a tag postings index answers without
    /// visiting the series.
    func tagValues(database: String, filter: MeasurementFilter, where predicate: TagPredicate,
                   keyMatches: (String) -> Bool) throws -> [String: Set<Tag>]
    /// `tagValues` as SHOW TAG VALUES lists it: measurements in order, each one's tags by key and
    /// then value (plain string order). A store may keep the order from one query to the next.
    func sortedTagValues(database: String, filter: MeasurementFilter, where predicate: TagPredicate,
                         keyMatches: (String) -> Bool) throws -> [(measurement: String, tags: [Tag])]
    /// Per measurement, the tag keys of the series `predicate` selects: SHOW TAG KEYS.
    func tagKeys(database: String, filter: MeasurementFilter, where predicate: TagPredicate) throws -> [String: Set<String>]

    /// Samples of one series field in retention policy `policy` (nil: the default one) inside
    /// `range`, ascending (or descending) by time.
    func scan(database: String, policy: String?, series: UInt64, field: String, range: TimeRange, descending: Bool) throws -> any SampleCursor
    /// One cursor per series (same order) over the same field and range, read in one snapshot
    /// where the store can: a query over many series pays for one read transaction, not one each.
    func scan(database: String, policy: String?, series: [UInt64], field: String, range: TimeRange, descending: Bool) throws -> [any SampleCursor]
}

extension SeriesQuerier {
    public func databaseExists(_ name: String) throws -> Bool {
        try databases().contains(name)
    }

    /// The fields of `measurement` in any retention policy.
    public func fieldKeys(database: String, measurement: String) throws -> [FieldKey] {
        try fieldKeys(database: database, policy: nil, measurement: measurement)
    }

    /// Samples in the default retention policy.
    public func scan(database: String, series: UInt64, field: String, range: TimeRange, descending: Bool) throws -> any SampleCursor {
        try scan(database: database, policy: nil, series: series, field: field, range: range, descending: descending)
    }

    public func scan(database: String, series: [UInt64], field: String, range: TimeRange, descending: Bool) throws -> [any SampleCursor] {
        try scan(database: database, policy: nil, series: series, field: field, range: range, descending: descending)
    }

    public func unorderedSeries(database: String, filter: MeasurementFilter, where predicate: TagPredicate) throws -> [SeriesEntry] {
        try series(database: database, filter: filter, where: predicate)
    }

    public func scan(database: String, policy: String?, series: [UInt64], field: String, range: TimeRange, descending: Bool) throws -> [any SampleCursor] {
        try series.map { try scan(database: database, policy: policy, series: $0, field: field, range: range, descending: descending) }
    }

    /// From the series themselves (the reference the postings index is tested against).
    public func tagValues(database: String, filter: MeasurementFilter, where predicate: TagPredicate,
                          keyMatches: (String) -> Bool) throws -> [String: Set<Tag>] {
        var out: [String: Set<Tag>] = [:]
        for e in try unorderedSeries(database: database, filter: filter, where: predicate) {
            for t in e.key.tags where keyMatches(t.key) { out[e.key.measurement, default: []].insert(t) }
        }
        return out
    }

    /// `tagValues`, sorted.
    public func sortedTagValues(database: String, filter: MeasurementFilter, where predicate: TagPredicate,
                                keyMatches: (String) -> Bool) throws -> [(measurement: String, tags: [Tag])] {
        let pairs = try tagValues(database: database, filter: filter, where: predicate, keyMatches: keyMatches)
        return pairs.keys.sorted().map { m in
            var byKey: [String: [String]] = [:]
            for tag in pairs[m]! { byKey[tag.key, default: []].append(tag.value) }
            return (m, byKey.keys.sorted().flatMap { key in byKey[key]!.sorted().map { Tag(key, $0) } })
        }
    }

    public func tagKeys(database: String, filter: MeasurementFilter, where predicate: TagPredicate) throws -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        for e in try unorderedSeries(database: database, filter: filter, where: predicate) {
            out[e.key.measurement, default: []].formUnion(e.key.tags.map(\.key))
        }
        return out
    }
}

/// Administration: databases, retention policies, drops and deletes.
public protocol SeriesAdmin: AnyObject, Sendable {
    /// Creates the database when missing, with `autogen` as its default retention policy.
    func createDatabase(_ name: String) throws
    /// Changes a database's retention policies in one step: `change` gets the current ones and
    /// may throw to change nothing. With `createDatabase`, a missing database is created, and
    /// `change` then gets no policies at all (a database left without policies gets `autogen`).
    /// Policies `change` removes lose their samples and fields; the series stay listed (as in
    /// InfluxDB 1.6, whose series index outlives a dropped policy's shards).
    func updateRetentionPolicies(database: String, createDatabase: Bool,
                                 _ change: (inout RetentionPolicies) throws -> Void) throws
    /// The database's continuous queries (throws `databaseNotFound` for a missing database).
    func continuousQueries(database: String) throws -> ContinuousQueries
    /// Changes a database's continuous queries in one step (they are kept with its data).
    func updateContinuousQueries(database: String, _ change: (inout ContinuousQueries) throws -> Void) throws
    func dropDatabase(_ name: String) throws
    func dropMeasurement(database: String, name: String) throws
    func dropSeries(database: String, ids: [UInt64]) throws
    /// Deletes every sample of the given series inside `range` (all fields, every policy).
    func deleteSamples(database: String, series ids: [UInt64], range: TimeRange) throws
}

/// The whole storage interface: appender, querier and admin.
///
/// Implementations are thread-safe: one writer and any number of readers at once.
/// A point with the same series, field and time as an earlier one replaces it.
/// Lists come back sorted (names by byte order, series by key text).
public protocol SeriesStore: SeriesAppender, SeriesQuerier, SeriesAdmin {
    /// Stores points, creating the database when missing. Points whose field type conflicts
    /// with the measurement's existing type are rejected (`partialWrite`) and the rest kept.
    /// The default goes through `resolve` and `append` with a per-call series cache.
    func write(_ points: [Point], database: String, policy: String?) throws
}

extension SeriesQuerier {
    public var catalogVersion: UInt64? { nil }
}

extension SeriesStore {
    /// Stores points in the database's default retention policy.
    public func write(_ points: [Point], database: String) throws {
        try write(points, database: database, policy: nil)
    }
}

extension SeriesStore {
    /// Reads a whole cursor into an array (tests and small answers only).
    public func samples(database: String, policy: String? = nil, series: UInt64, field: String, range: TimeRange = .all,
                        descending: Bool = false) throws -> [Sample] {
        var cursor = try scan(database: database, policy: policy, series: series, field: field, range: range, descending: descending)
        var out: [Sample] = []
        while let s = try cursor.next() { out.append(s) }
        return out
    }
}

extension SeriesStore {
    public func write(_ points: [Point], database: String, policy: String?) throws {
        if points.isEmpty { return try createDatabase(database) }
        var writer = PointWriter(database: database, policy: policy)
        try writer.write(points, into: self)
    }
}
