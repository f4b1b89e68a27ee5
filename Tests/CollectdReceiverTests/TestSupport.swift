import Dispatch
import TimeSeries

#if canImport(Glibc)
import Glibc
#endif

func writeFile(_ path: String, _ text: String) throws {
    guard let file = fopen(path, "w") else { throw SeriesStoreError.storage("cannot write \(path)") }
    defer { fclose(file) }
    fputs(text, file)
}

/// A store whose writes wait until `open()`, to fill the ingest queue.
final class SlowStore: SeriesStore {
    let inner = MemoryStore()
    private let gate = DispatchSemaphore(value: 0)

    func open() { gate.signal() }

    func databases() throws -> [String] { try inner.databases() }
    func createDatabase(_ name: String) throws { try inner.createDatabase(name) }
    func dropDatabase(_ name: String) throws { try inner.dropDatabase(name) }
    func write(_ points: [Point], database: String, policy: String?) throws {
        gate.wait()
        gate.signal()
        try inner.write(points, database: database, policy: policy)
    }
    func measurements(database: String, filter: MeasurementFilter) throws -> [String] { try inner.measurements(database: database, filter: filter) }
    func series(database: String, filter: MeasurementFilter, where predicate: TagPredicate) throws -> [SeriesEntry] {
        try inner.series(database: database, filter: filter, where: predicate)
    }
    func fieldKeys(database: String, policy: String?, measurement: String) throws -> [FieldKey] {
        try inner.fieldKeys(database: database, policy: policy, measurement: measurement)
    }
    func retentionPolicies(database: String) throws -> RetentionPolicies { try inner.retentionPolicies(database: database) }
    func updateRetentionPolicies(database: String, createDatabase: Bool, _ change: (inout RetentionPolicies) throws -> Void) throws {
        try inner.updateRetentionPolicies(database: database, createDatabase: createDatabase, change)
    }
    func continuousQueries(database: String) throws -> ContinuousQueries { try inner.continuousQueries(database: database) }
    func updateContinuousQueries(database: String, _ change: (inout ContinuousQueries) throws -> Void) throws {
        try inner.updateContinuousQueries(database: database, change)
    }
    func scan(database: String, policy: String?, series: UInt64, field: String, range: TimeRange, descending: Bool) throws -> any SampleCursor {
        try inner.scan(database: database, policy: policy, series: series, field: field, range: range, descending: descending)
    }
    var appendGeneration: UInt64 { inner.appendGeneration }
    func resolve(database: String, policy: String?, key: SeriesKey, fields: [FieldSpec]) throws -> FieldResolution {
        try inner.resolve(database: database, policy: policy, key: key, fields: fields)
    }
    func append(_ batch: ColumnBatch) throws -> AppendResult {
        gate.wait()
        gate.signal()
        return try inner.append(batch)
    }
    func dropMeasurement(database: String, name: String) throws { try inner.dropMeasurement(database: database, name: name) }
    func dropSeries(database: String, ids: [UInt64]) throws { try inner.dropSeries(database: database, ids: ids) }
    func deleteSamples(database: String, series ids: [UInt64], range: TimeRange) throws {
        try inner.deleteSamples(database: database, series: ids, range: range)
    }
}
