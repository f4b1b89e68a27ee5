import Foundation
import SQLiteStore
import TimeSeries

/// What a finished run left in the data directory, read back through the store read-only.
struct StoredData {
    /// (series text, field, time) → value, over every database file.
    var samples: [String: [String: [Sample]]] = [:]

    init(dataDirectory: String, database: String = "collectd") throws {
        let store = try SQLiteStore(dataDirectory: dataDirectory, options: SQLiteStore.Options(), readOnly: true)
        defer { try? store.close() }
        guard try store.databases().contains(database) else { return }
        for entry in try store.series(database: database, filter: .all, where: .always) {
            for field in try store.fieldKeys(database: database, measurement: entry.key.measurement) {
                let list = try store.samples(database: database, series: entry.id, field: field.name)
                if !list.isEmpty { samples[entry.key.description, default: [:]][field.name] = list }
            }
        }
    }

    var count: Int { samples.values.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.count } } }

    /// Series texts whose measurement is `measurement`.
    func series(of measurement: String) -> [String] {
        samples.keys.filter { $0 == measurement || $0.hasPrefix(measurement + ",") }.sorted()
    }

    func contains(series: String, field: String = "value", time: Int64) -> Bool {
        samples[series]?[field]?.contains { $0.time == time } ?? false
    }
}

/// A fresh directory under /tmp, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init(_ label: String) throws {
        path = NSTemporaryDirectory() + "collectlite-e2e-\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

enum Environment {
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
    static let collectd = "/usr/sbin/collectd"
}
