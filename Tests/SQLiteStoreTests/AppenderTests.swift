#if canImport(Glibc)
import Glibc
#endif
import CSQLitePool
import Foundation
import Synchronization
import Testing
import TestSupport
import TimeSeries
@testable import SQLiteStore

/// The ingest side of the store: resolve once, append columns by ref.
@Suite struct AppenderTests {
    static let key = SeriesKey(measurement: "cpu_value", tags: [Tag("host", "a"), Tag("type", "cpu")])

    static func refs(_ store: SQLiteStore, _ key: SeriesKey = key, _ fields: [FieldSpec] = [FieldSpec("value", .float)], database: String = "db") throws -> [FieldRef] {
        guard case .refs(let refs) = try store.resolve(database: database, key: key, fields: fields) else {
            Issue.record("conflict")
            return []
        }
        return refs
    }

    @Test func resolveIsStableAndAppendsLandInTheSeries() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path, options: .init(chunkSize: 4))
        let ref = try Self.refs(store)[0]
        #expect(try Self.refs(store)[0] == ref)
        var batch = ColumnBatch()
        for t in 1...10 { batch.append(ref, time: Int64(t), float: Double(t) * 1.5) }
        #expect(try store.append(batch) == AppendResult(appended: 10))
        try store.flush()
        let id = try #require(try seriesID(store, "db", Self.key))
        #expect(try store.samples(database: "db", series: id, field: "value").map(\.value) == (1...10).map { .float(Double($0) * 1.5) })
        try store.close()
    }

    /// A query opening a database while the collectd writer creates its file: each gets the
    /// one open database, and neither fails. Both made the schema at once before, and the
    /// writer's resolve failed ("table meta already exists").
    @Test func aReaderOpeningANewFileWhileItIsCreatedGetsTheSameDatabase() throws {
        for round in 0..<40 {
            let directory = TemporaryDirectory()
            defer { directory.cleanup() }
            let store = try SQLiteStore(dataDirectory: directory.path)
            let go = Atomic<Bool>(false)
            let readerError = Mutex<String?>(nil)
            let reader = Thread {
                while !go.load(ordering: .acquiring) {}
                for _ in 0..<2_000 {
                    do {
                        _ = try store.measurements(database: "db", filter: .all)
                        return
                    } catch SeriesStoreError.databaseNotFound {
                        continue
                    } catch {
                        readerError.withLock { $0 = "\(error)" }
                        return
                    }
                }
            }
            reader.start()
            go.store(true, ordering: .releasing)
            let resolved = Result { try Self.refs(store) }
            while !reader.isFinished { usleep(100) }
            #expect(throws: Never.self, "round \(round)") { try resolved.get() }
            #expect(readerError.withLock { $0 } == nil, "round \(round)")
            try store.close()
        }
    }

    @Test func aConflictCreatesNothing() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path)
        _ = try Self.refs(store, Self.key, [FieldSpec("value", .float)])
        let other = SeriesKey(measurement: "cpu_value", tags: [Tag("host", "b")])
        let result = try store.resolve(database: "db", key: other, fields: [FieldSpec("extra", .integer), FieldSpec("value", .string)])
        guard case .conflict(let text) = result else {
            Issue.record("expected a conflict, got \(result)")
            return
        }
        #expect(text == "field type conflict: input field \"value\" on measurement \"cpu_value\" is type string, already exists as type float")
        #expect(try store.series(database: "db", filter: .all, where: .always).map(\.key) == [Self.key])
        #expect(try store.fieldKeys(database: "db", measurement: "cpu_value").map(\.name) == ["value"])
        try store.close()
    }

    @Test func aRefOfADroppedSeriesBringsItBackAndGenerationMoves() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path)
        let ref = try Self.refs(store)[0]
        var batch = ColumnBatch()
        batch.append(ref, time: 1, float: 1)
        _ = try store.append(batch)
        let generation = store.appendGeneration
        let id = try #require(try seriesID(store, "db", Self.key))
        try store.dropSeries(database: "db", ids: [id])
        #expect(store.appendGeneration != generation)
        #expect(try store.series(database: "db", filter: .all, where: .always).isEmpty)
        batch.removeAll()
        batch.append(ref, time: 2, float: 2)
        #expect(try store.append(batch) == AppendResult(appended: 1))
        let revived = try #require(try seriesID(store, "db", Self.key))
        #expect(revived != id)
        #expect(try store.samples(database: "db", series: revived, field: "value") == [Sample(time: 2, value: .float(2))])
        try store.close()
    }

    /// A ref revived after a drop and a ref resolved anew lead to one head; a later drop must
    /// let go of both, so neither writes into the forgotten head.
    @Test func twoRefsOfOneRevivedSeriesFieldBothFollowTheNextDrop() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path)
        func append(_ ref: FieldRef, _ time: Int64) throws {
            var batch = ColumnBatch()
            batch.append(ref, time: time, float: Double(time))
            #expect(try store.append(batch) == AppendResult(appended: 1))
        }
        func stored() throws -> [Int64] {
            let id = try #require(try seriesID(store, "db", Self.key))
            return try store.samples(database: "db", series: id, field: "value").map(\.time)
        }
        let old = try Self.refs(store)[0]
        try append(old, 1)
        try store.dropSeries(database: "db", ids: [try #require(try seriesID(store, "db", Self.key))])
        let new = try Self.refs(store)[0]
        #expect(new != old)
        try append(old, 2)
        try append(new, 3)
        #expect(try stored() == [2, 3])
        try store.dropSeries(database: "db", ids: [try #require(try seriesID(store, "db", Self.key))])
        try append(new, 4)
        try append(old, 5)
        #expect(try stored() == [4, 5])
        try store.flush()
        #expect(try stored() == [4, 5])
        #expect(try store.series(database: "db", filter: .all, where: .always).count == 1)
        try store.close()
    }

    @Test func rowsOfADroppedDatabaseAreCountedAsDropped() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path)
        let ref = try Self.refs(store)[0]
        try store.dropDatabase("db")
        var batch = ColumnBatch()
        batch.append(ref, time: 1, float: 1)
        batch.append(ref, time: 2, float: 1)
        #expect(try store.append(batch) == AppendResult(appended: 0, dropped: 2))
        #expect(try store.databases().isEmpty)
        try store.close()
    }

    @Test func repeatedSamplesReplaceAndSealWithTheExactCount() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path, options: .init(chunkSize: 1_000))
        let ref = try Self.refs(store)[0]
        var batch = ColumnBatch()
        for t in 1...300 { batch.append(ref, time: Int64(t), float: 1) }
        // The same times again (an agent resending), newer values: each replaces the first.
        for t in 1...300 { batch.append(ref, time: Int64(t), float: 2) }
        #expect(try store.append(batch).appended == 600)
        try store.checkpoint()
        let id = try #require(try seriesID(store, "db", Self.key))
        let samples = try store.samples(database: "db", series: id, field: "value")
        #expect(samples.count == 300)
        #expect(samples.allSatisfy { $0.value == .float(2) })
        try store.close()
        // The sealed row records 300 samples, not 600.
        let reader = try SQLiteStore(dataDirectory: directory.path, readOnly: true)
        #expect(try reader.samples(database: "db", series: id, field: "value").count == 300)
        try reader.close()
    }
}

/// A clean close leaves one file per database, also when a query had opened a reader.
@Suite struct CleanCloseTests {
    @Test func closeLeavesNoWALBehind() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path, options: .init(chunkSize: 8))
        let key = SeriesKey(measurement: "m", tags: [Tag("host", "a")])
        try store.write((0..<100).map { Point(key: key, fields: [Field("v", .float(Double($0)))], time: Int64($0)) }, database: "db")
        try store.flush()
        // A query takes a read connection from the pool (and leaves it there).
        let id = try #require(try seriesID(store, "db", key))
        #expect(try store.samples(database: "db", series: id, field: "v").count == 100)
        try store.close()
        let files = try FileManagerLite.list(directory.path)
        #expect(files == ["db.sqlite"], "\(files)")
        let reader = try SQLiteStore(dataDirectory: directory.path, readOnly: true)
        #expect(try reader.samples(database: "db", series: id, field: "v").count == 100)
        try reader.close()
    }
}

/// SQLite allocates from the store's pool: blocks it freed are kept for reuse.
@Suite struct AllocatorPoolTests {
    @Test func sqliteAllocatesFromThePool() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path, options: .init(chunkSize: 4))
        let key = SeriesKey(measurement: "m", tags: [])
        try store.write((0..<200).map { Point(key: key, fields: [Field("v", .float(Double($0)))], time: Int64($0)) }, database: "db")
        try store.flush()
        try store.close()
        #expect(SQLiteConnection.allocator == 0)  // SQLITE_OK: installed before the first connection
        #expect(csqlite_pool_free_blocks() > 0)
    }
}

/// Directory listing without Foundation (the store's tests use Glibc directly).
enum FileManagerLite {
    static func list(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
