import SQLiteStore
import TimeSeries

/// How many values a database holds per retention policy and measurement, counted through
/// the store's read path: every series field of every policy is scanned to its end, so every
/// chunk and log row is decoded on the way (a damaged one fails the count).
struct StoreCensus: Codable, Hashable, Sendable {
    /// `"<policy>.<measurement>"` → values (all fields together).
    var measurements: [String: Int] = [:]

    var total: Int { measurements.values.reduce(0, +) }

    /// Counts database `database` of the data directory `directory`, opened read-only.
    static func count(directory: String, database: String) throws -> StoreCensus {
        let store = try SQLiteStore(dataDirectory: directory, readOnly: true)
        defer { try? store.close() }
        return try count(store, database: database)
    }

    static func count(_ store: some SeriesStore, database: String) throws -> StoreCensus {
        var census = StoreCensus()
        var idsByMeasurement: [String: [UInt64]] = [:]
        for entry in try store.series(database: database, filter: .all, where: .always) {
            idsByMeasurement[entry.key.measurement, default: []].append(entry.id)
        }
        for policy in try store.retentionPolicies(database: database).policies.map(\.name) {
            for (measurement, ids) in idsByMeasurement {
                var values = 0
                for field in try store.fieldKeys(database: database, policy: policy, measurement: measurement) {
                    // One snapshot per field of the measurement, as a query reads it.
                    for var cursor in try store.scan(database: database, policy: policy, series: ids, field: field.name,
                                                     range: .all, descending: false) {
                        while try cursor.next() != nil { values += 1 }
                    }
                }
                if values > 0 { census.measurements[policy + "." + measurement, default: 0] += values }
            }
        }
        return census
    }

    /// Lines `  <policy>.<measurement>  <values>`, names aligned, sorted by name.
    func lines(indent: String = "  ") -> [String] {
        let width = measurements.keys.map(\.count).max() ?? 0
        return measurements.keys.sorted().map { name in
            indent + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + ImportProgress.grouped(measurements[name]!)
        }
    }
}
