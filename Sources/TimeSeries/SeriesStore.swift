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
}

/// Errors every store reports the same way (the HTTP shell maps them to InfluxDB's texts).
public enum SeriesStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    case databaseNotFound(String)
    case invalidName(String)
    /// Some points were rejected; the others were stored. `reason` is InfluxDB's text.
    case partialWrite(rejected: Int, reason: String)
    case storage(String)

    public var description: String {
        switch self {
        case .databaseNotFound(let db): "database not found: \(db)"
        case .invalidName(let name): "invalid name: \(name)"
        case .partialWrite(let n, let reason): "partial write: \(reason) dropped=\(n)"
        case .storage(let message): message
        }
    }
}

/// The storage interface the query engine and the ingest shells use.
///
/// Implementations are thread-safe: one writer and any number of readers at once.
/// A point with the same series, field and time as an earlier one replaces it.
/// Lists come back sorted (names by byte order, series by key text).
public protocol SeriesStore: AnyObject, Sendable {
    func databases() throws -> [String]
    func createDatabase(_ name: String) throws
    func dropDatabase(_ name: String) throws

    /// Stores points, creating the database when missing. Points whose field type conflicts
    /// with the measurement's existing type are rejected (`partialWrite`) and the rest kept.
    func write(_ points: [Point], database: String) throws

    func measurements(database: String, filter: MeasurementFilter) throws -> [String]
    func series(database: String, filter: MeasurementFilter, where predicate: TagPredicate) throws -> [SeriesEntry]
    func fieldKeys(database: String, measurement: String) throws -> [FieldKey]

    /// Samples of one series field inside `range`, ascending (or descending) by time.
    func scan(database: String, series: UInt64, field: String, range: TimeRange, descending: Bool) throws -> any SampleCursor

    func dropMeasurement(database: String, name: String) throws
    func dropSeries(database: String, ids: [UInt64]) throws
    /// Deletes every sample of the given series inside `range` (all fields).
    func deleteSamples(database: String, series ids: [UInt64], range: TimeRange) throws
}

extension SeriesStore {
    /// Reads a whole cursor into an array (tests and small answers only).
    public func samples(database: String, series: UInt64, field: String, range: TimeRange = .all, descending: Bool = false) throws -> [Sample] {
        var cursor = try scan(database: database, series: series, field: field, range: range, descending: descending)
        var out: [Sample] = []
        while let s = try cursor.next() { out.append(s) }
        return out
    }
}
