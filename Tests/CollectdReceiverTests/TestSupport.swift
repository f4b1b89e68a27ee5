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
    func write(_ points: [Point], database: String) throws {
        gate.wait()
        gate.signal()
        try inner.write(points, database: database)
    }
    func measurements(database: String, filter: MeasurementFilter) throws -> [String] { try inner.measurements(database: database, filter: filter) }
    func series(database: String, filter: MeasurementFilter, where predicate: TagPredicate) throws -> [SeriesEntry] {
        try inner.series(database: database, filter: filter, where: predicate)
    }
    func fieldKeys(database: String, measurement: String) throws -> [FieldKey] { try inner.fieldKeys(database: database, measurement: measurement) }
    func scan(database: String, series: UInt64, field: String, range: TimeRange, descending: Bool) throws -> any SampleCursor {
        try inner.scan(database: database, series: series, field: field, range: range, descending: descending)
    }
    var appendGeneration: UInt64 { inner.appendGeneration }
    func resolve(database: String, key: SeriesKey, fields: [FieldSpec]) throws -> FieldResolution {
        try inner.resolve(database: database, key: key, fields: fields)
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
