import Foundation
import Testing
import TimeSeries
@testable import SQLiteStore
import TestSupport

/// Random operation sequences against the store and `MemoryStore`: every answer must be identical.
@Suite struct ModelTests {
    static let database = "db"
    static let fields = ["value", "count", "text"]
    static let keys: [SeriesKey] = [
        SeriesKey(measurement: "cpu_value", tags: [Tag("host", "a"), Tag("type", "cpu")]),
        SeriesKey(measurement: "cpu_value", tags: [Tag("host", "b"), Tag("type", "cpu")]),
        SeriesKey(measurement: "cpu_value", tags: [Tag("host", "c")]),
        SeriesKey(measurement: "load", tags: [Tag("host", "a")]),
        SeriesKey(measurement: "load", tags: []),
        SeriesKey(measurement: "notes", tags: [Tag("host", "a,b=c d")]),
    ]

    final class Harness {
        let directory = TemporaryDirectory()
        var store: SQLiteStore
        let model = MemoryStore()
        var rng: SeededGenerator
        var now: Int64 = 1_000
        let options: SQLiteStore.Options
        /// Refs kept across steps (as the collectd receiver keeps them), per store, so appends
        /// by refs of dropped series are checked against the model too.
        var modelRefs: [String: FieldRef] = [:]
        var storeRefs: [String: FieldRef] = [:]

        init(seed: UInt64, chunkSize: Int) throws {
            rng = SeededGenerator(seed: seed)
            // Small byte targets make seals extend earlier chunks and compaction merge runs;
            // small windows cut chunks by time; tiny chunks share clocks too.
            options = SQLiteStore.Options(chunkSize: chunkSize, chunkBytes: [24, 64, 2048][Int(seed % 3)],
                                          chunkWindow: [21_600_000_000_000, 40, 9][Int(seed / 3 % 3)],
                                          clockMinimumSamples: [1, 8][Int(seed % 2)])
            store = try SQLiteStore(dataDirectory: directory.path, options: options)
        }

        func randomPoint() -> Point {
            let key = ModelTests.keys.randomElement(using: &rng)!
            // Times mostly advance, sometimes repeat or go back into sealed ranges.
            let time: Int64 = Int.random(in: 0..<4, using: &rng) == 0 ? Int64.random(in: 0...now, using: &rng) : now
            now += Int64.random(in: 0...3, using: &rng)
            var fields: [Field] = []
            switch key.measurement {
            case "notes":
                fields.append(Field("text", .string(["", "x", "hello world", "ü"].randomElement(using: &rng)!)))
            case "load":
                fields.append(Field("value", .float(Double(Int.random(in: -5...5, using: &rng)) / 4)))
                if Bool.random(using: &rng) { fields.append(Field("count", .integer(Int64.random(in: -3...Int64.max, using: &rng)))) }
            default:
                let conflicting = Int.random(in: 0..<40, using: &rng) == 0
                fields.append(Field("value", conflicting ? .integer(1) : .float(Double(Int.random(in: 0...1000, using: &rng)))))
            }
            return Point(key: key, fields: fields, time: time)
        }

        func appendByRefs(_ points: [Point], _ target: some SeriesStore, _ cache: inout [String: FieldRef]) throws {
            var batch = ColumnBatch()
            for point in points {
                for field in point.fields {
                    let name = "\(point.key)#\(field.name)"
                    if cache[name] == nil {
                        guard case .refs(let refs) = try target.resolve(database: ModelTests.database, key: point.key, fields: [FieldSpec(field.name, .float)]) else { continue }
                        cache[name] = refs[0]
                    }
                    batch.append(cache[name]!, time: point.time, value: field.value)
                }
            }
            let result = try target.append(batch)
            #expect(result.appended + result.dropped == batch.count)
        }

        func both(_ body: (any SeriesStore) throws -> Void) throws {
            var errors: [String] = []
            for s in [model, store] as [any SeriesStore] {
                do { try body(s) } catch { errors.append("\(error)") }
            }
            #expect(errors.count != 1, "only one store failed: \(errors)")
            if errors.count == 2 { #expect(errors[0] == errors[1]) }
        }

        func step() throws -> String {
            let roll = Int.random(in: 0..<100, using: &rng)
            switch roll {
            case 0..<35:
                let points = (0..<Int.random(in: 1...12, using: &rng)).map { _ in randomPoint() }
                try both { try $0.write(points, database: ModelTests.database) }
                return "write \(points.count)"
            case 35..<38:
                // The same kind of points into a second policy (created when missing).
                let points = (0..<Int.random(in: 1...12, using: &rng)).map { _ in randomPoint() }
                try both { s in
                    try s.createDatabase(ModelTests.database)
                    try s.updateRetentionPolicies(database: ModelTests.database, createDatabase: false) {
                        try $0.create(RetentionPolicy(name: "rp1"), makeDefault: false)
                    }
                    try s.write(points, database: ModelTests.database, policy: "rp1")
                }
                return "write rp1 \(points.count)"
            case 38..<40:
                // Drop the second policy, or make it (or autogen) the default.
                let action = Int.random(in: 0..<3, using: &rng)
                try both { s in
                    try s.updateRetentionPolicies(database: ModelTests.database, createDatabase: false) { policies in
                        switch action {
                        case 0:
                            if policies.defaultName == "rp1" {
                                try policies.alter("autogen", duration: nil, shardGroupDuration: nil, replication: nil, makeDefault: true)
                            }
                            policies.drop("rp1")
                        default:
                            let name = action == 1 ? "rp1" : "autogen"
                            if policies.policy(named: name) != nil {
                                try policies.alter(name, duration: nil, shardGroupDuration: nil, replication: nil, makeDefault: true)
                            }
                        }
                    }
                }
                // The default may have changed, sending new refs elsewhere: ref caches start
                // afresh, as the receiver's does when the append generation moves.
                modelRefs = [:]
                storeRefs = [:]
                return ["drop rp1", "default rp1", "default autogen"][action]
            case 40..<55:
                // Float values only, appended by cached refs (resolved once, reused after drops).
                let points = (0..<Int.random(in: 1...12, using: &rng)).map { _ in randomPoint() }.filter {
                    $0.key.measurement != "notes" && $0.fields.allSatisfy { $0.value.type == .float }
                }
                try appendByRefs(points, model, &modelRefs)
                try appendByRefs(points, store, &storeRefs)
                return "append by refs \(points.count)"
            case 55..<70:
                try store.flush()
                return "flush"
            case 70..<74:
                try store.checkpoint()
                return "checkpoint"
            case 74..<78:
                try store.close()
                store = try SQLiteStore(dataDirectory: directory.path, options: options)
                storeRefs = [:]  // refs belong to one open store
                return "reopen"
            case 78..<83:
                // A crash right after a flush: the log is replayed at open.
                try store.flush()
                store = try SQLiteStore(dataDirectory: directory.path, options: options)
                storeRefs = [:]
                return "crash-reopen"
            case 83..<86:
                // Retention of one policy: times here are small, so the policy keeps an hour and
                // "now" is an hour past the cutoff.
                let cutoff = Int64.random(in: 0...now, using: &rng)
                let policy = (try? model.retentionPolicies(database: ModelTests.database))?.policies.randomElement(using: &rng)?.name ?? "autogen"
                try both { s in
                    try s.updateRetentionPolicies(database: ModelTests.database, createDatabase: false) {
                        try $0.alter(policy, duration: RetentionPolicy.hour, shardGroupDuration: RetentionPolicy.hour, replication: nil, makeDefault: false)
                    }
                }
                try store.applyRetention(now: cutoff + RetentionPolicy.hour)
                model.applyRetention(now: cutoff + RetentionPolicy.hour)
                return "retention \(policy) \(cutoff)"
            case 86..<89:
                let key = ModelTests.keys.randomElement(using: &rng)!
                let lo = Int64.random(in: 0...now, using: &rng)
                let range = TimeRange(min: lo, max: lo + Int64.random(in: 0...20, using: &rng))
                try both { s in
                    if let id = try seriesID(s, ModelTests.database, key) {
                        try s.deleteSamples(database: ModelTests.database, series: [id], range: range)
                    }
                }
                return "delete \(key) \(range)"
            case 89..<92:
                let key = ModelTests.keys.randomElement(using: &rng)!
                try both { s in
                    if let id = try seriesID(s, ModelTests.database, key) { try s.dropSeries(database: ModelTests.database, ids: [id]) }
                }
                return "drop series \(key)"
            case 92..<94:
                let name = ["load", "notes", "cpu_value"].randomElement(using: &rng)!
                try both { try $0.dropMeasurement(database: ModelTests.database, name: name) }
                return "drop measurement \(name)"
            case 94..<97:
                let keys = Int.random(in: 1...3, using: &rng)
                try store.compactStep(keys: keys)
                return "compact step \(keys)"
            default:
                try store.compact()
                return "compact"
            }
        }
    }

    // Seed 124 once replayed log records of a dropped, never-flushed series into a new series.
    @Test(arguments: [(UInt64(1), 4), (2, 3), (3, 120), (4, 5), (5, 2), (6, 8), (7, 4), (8, 6), (124, 8)])
    func randomOperationsMatchTheModel(seed: UInt64, chunkSize: Int) throws {
        let harness = try Harness(seed: seed, chunkSize: chunkSize)
        defer { harness.directory.cleanup() }
        var history: [String] = []
        for _ in 0..<250 {
            history.append(try harness.step())
            guard (try? harness.model.databases()) == [ModelTests.database] else { continue }
            let expected = try StoreSnapshot(harness.model, database: ModelTests.database, fields: ModelTests.fields)
            let actual = try StoreSnapshot(harness.store, database: ModelTests.database, fields: ModelTests.fields)
            if actual != expected {
                Issue.record("seed \(seed) diverged after \(history.suffix(40))\nexpected:\n\(expected)\nactual:\n\(actual)")
                return
            }
            // The per-measurement series lists stay in step with the index through drops.
            for filter in [MeasurementFilter.names(["cpu_value", "load", "notes"]), .names(["load"]), .all] {
                let sorted = try harness.store.series(database: ModelTests.database, filter: filter, where: .always)
                let unordered = try harness.store.unorderedSeries(database: ModelTests.database, filter: filter, where: .always)
                if Set(sorted) != Set(unordered) || sorted.count != unordered.count {
                    Issue.record("seed \(seed): unordered series differ after \(history.suffix(8))")
                    return
                }
            }
            if history.last == "flush" || history.last == "checkpoint" {
                // Another process sees everything durable: chunks plus log rows.
                let reader = try SQLiteStore(dataDirectory: harness.directory.path, readOnly: true)
                let durable = try StoreSnapshot(reader, database: ModelTests.database, fields: ModelTests.fields)
                if durable != expected {
                    Issue.record("seed \(seed): read-only view diverged after \(history.suffix(8))\nexpected:\n\(expected)\nactual:\n\(durable)")
                    return
                }
                // Each committed clock counts exactly the chunk rows referencing it, and none is unused.
                let file = harness.directory.path + "/\(ModelTests.database).sqlite"
                if FileManager.default.fileExists(atPath: file) {
                    let connection = try SQLiteConnection(path: file, readOnly: true)
                    defer { connection.close() }
                    let wrong = try connection.scalar(
                        "SELECT count(*) FROM times WHERE refs != (SELECT count(*) FROM chunks WHERE times_id = times.id) OR refs < 1") ?? 0
                    if wrong != 0 {
                        Issue.record("seed \(seed): \(wrong) clocks with wrong reference counts after \(history.suffix(8))")
                        return
                    }
                }
            }
        }
        try harness.store.close()
    }

    @Test func rangeScansSelectInclusiveBounds() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path, options: .init(chunkSize: 10))
        let key = SeriesKey(measurement: "m", tags: [])
        try store.write((0..<95).map { Point(key: key, fields: [Field("v", .integer(Int64($0)))], time: Int64($0) * 10) }, database: "d")
        try store.flush()
        let id = try #require(try seriesID(store, "d", key))
        for (lo, hi) in [(0, 940), (15, 15), (20, 20), (95, 405), (-5, 3), (941, 2000), (500, 100)] {
            let got = try store.samples(database: "d", series: id, field: "v", range: TimeRange(min: Int64(lo), max: Int64(hi)))
            let want = (0..<95).map { Int64($0) * 10 }.filter { $0 >= lo && $0 <= hi }
            #expect(got.map(\.time) == want, "range \(lo)...\(hi)")
        }
        try store.close()
    }
}
