import Foundation
import Testing
import TestSupport
import TimeSeries
@testable import SQLiteStore

@Suite struct FaultTests {
    static func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    @Test func garbageFileIsRefusedByNameAndLeftIntact() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let path = directory.path + "/bad.sqlite"
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        _ = FileManager.default.createFile(atPath: path, contents: garbage)
        for readOnly in [false, true] {
            let store = try SQLiteStore(dataDirectory: directory.path, readOnly: readOnly)
            #expect {
                try store.measurements(database: "bad", filter: .all)
            } throws: { error in
                guard case SQLiteStoreError.foreignFile(let file, _) = error else { return false }
                return file == path && "\(error)".contains(path)
            }
        }
        #expect(Self.bytes(path) == garbage)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func foreignSQLiteFileIsRefusedAndLeftIntact() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let path = directory.path + "/other.sqlite"
        let other = try SQLiteConnection(path: path, readOnly: false)
        try other.execute("CREATE TABLE t(x); INSERT INTO t VALUES (1)")
        other.close()
        let before = Self.bytes(path)
        let store = try SQLiteStore(dataDirectory: directory.path)
        #expect(throws: SQLiteStoreError.self) {
            try store.write([Point(measurement: "m", fields: [Field("v", .float(1))], time: 1)], database: "other")
        }
        #expect(Self.bytes(path) == before)
    }

    @Test func newerSchemaVersionIsRefused() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path)
        try store.createDatabase("db")
        try store.close()
        let connection = try SQLiteConnection(path: directory.path + "/db.sqlite", readOnly: false)
        try connection.execute("PRAGMA user_version = 99")
        connection.close()
        let reopened = try SQLiteStore(dataDirectory: directory.path)
        #expect(throws: SQLiteStoreError.unsupportedVersion(file: directory.path + "/db.sqlite", version: 99)) {
            try reopened.measurements(database: "db", filter: .all)
        }
    }

    @Test func readOnlyStoreRefusesChanges() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let writer = try SQLiteStore(dataDirectory: directory.path)
        try writer.write([Point(measurement: "m", fields: [Field("v", .float(1))], time: 1)], database: "db")
        try writer.flush()
        let reader = try SQLiteStore(dataDirectory: directory.path, readOnly: true)
        #expect(throws: SQLiteStoreError.readOnlyStore(directory: directory.path)) {
            try reader.write([Point(measurement: "m", fields: [Field("v", .float(2))], time: 2)], database: "db")
        }
        #expect(throws: SQLiteStoreError.readOnlyStore(directory: directory.path)) {
            try reader.dropMeasurement(database: "db", name: "m")
        }
        #expect(try reader.measurements(database: "db", filter: .all) == ["m"])
        #expect(throws: SeriesStoreError.databaseNotFound("none")) { try reader.measurements(database: "none", filter: .all) }
        try writer.close()
    }

    @Test(arguments: ["", ".hidden", "a/b", "x\0y"])
    func unsafeDatabaseNamesAreRejected(name: String) throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path)
        #expect(throws: SeriesStoreError.invalidName(name)) { try store.createDatabase(name) }
    }

    @Test func statsCountSeriesChunksAndHead() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path, options: .init(chunkSize: 4))
        let key = SeriesKey(measurement: "m", tags: [Tag("host", "a")])
        try store.write((0..<10).map { Point(key: key, fields: [Field("v", .float(Double($0)))], time: Int64($0)) }, database: "db")
        try store.flush()
        try store.write([Point(key: key, fields: [Field("v", .float(0))], time: 100)], database: "db")
        let group = try #require(store.stats().first)
        let values = Dictionary(uniqueKeysWithValues: group.values.map { ($0.name, $0.value) })
        #expect(group.tags == [Tag("database", "db")])
        #expect(values["series"] == 1)
        #expect(values["chunks"] == 1)
        #expect(values["head_samples"] == 1)
        #expect(values["log_rows"] == 0)
        #expect(values["samples_written_total"] == 11)
        #expect((values["file_bytes"] ?? 0) > 0)
        try store.close()
    }

    @Test func dropDatabaseRemovesTheFile() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path)
        try store.createDatabase("a")
        try store.createDatabase("b")
        #expect(try store.databases() == ["a", "b"])
        try store.dropDatabase("a")
        #expect(try store.databases() == ["b"])
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/a.sqlite"))
        try store.close()
    }

    /// The listing of database files is kept while the directory is unchanged, and a file another
    /// process adds or removes is seen at once.
    @Test func databaseFilesFromAnotherProcessAreSeenThroughTheKeptListing() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path)
        func touch(_ name: String) { FileManager.default.createFile(atPath: directory.path + "/" + name, contents: Data()) }
        func age() throws {
            // As if the directory last changed a minute ago: its listing may be kept.
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -60)], ofItemAtPath: directory.path)
        }
        touch("a.sqlite")
        try age()
        #expect(try store.databases() == ["a"])
        #expect(try store.databases() == ["a"])
        touch("b.sqlite")
        #expect(try store.databases() == ["a", "b"])
        try age()
        #expect(try store.databases() == ["a", "b"])
        try FileManager.default.removeItem(atPath: directory.path + "/a.sqlite")
        #expect(try store.databases() == ["b"])
        try age()
        touch("c.sqlite")
        try age()
        #expect(try store.databases() == ["b", "c"])
        try store.close()
    }
}

@Suite struct LifecycleTests {
    @Test func closedStoreRefusesWorkAndCloseSealsEverything() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path)
        try store.write([Point(measurement: "m", fields: [Field("v", .float(1))], time: 1)], database: "db")
        try store.close()
        #expect(throws: SQLiteStoreError.closed(directory: directory.path)) {
            try store.write([Point(measurement: "m", fields: [Field("v", .float(2))], time: 2)], database: "db")
        }
        let check = try SQLiteConnection(path: directory.path + "/db.sqlite", readOnly: true)
        // Nothing left to replay: a clean stop drops the empty log and sealed tables.
        #expect(try check.scalar("SELECT count(*) FROM sqlite_master WHERE name IN ('log', 'sealed')") == 0)
        #expect(try check.scalar("SELECT count(*) FROM chunks") == 1)
        check.close()
    }
}

extension LifecycleTests {
    @Test func readOnlyStatsReportTheFile() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path, options: .init(chunkSize: 2))
        let key = SeriesKey(measurement: "m", tags: [])
        try store.write((0..<5).map { Point(key: key, fields: [Field("v", .float(Double($0)))], time: Int64($0)) }, database: "db")
        try store.flush()
        try store.write([Point(key: key, fields: [Field("v", .float(9))], time: 9)], database: "db")
        try store.flush()
        let reader = try SQLiteStore(dataDirectory: directory.path, readOnly: true)
        _ = try reader.measurements(database: "db", filter: .all)
        let values = Dictionary(uniqueKeysWithValues: try #require(reader.stats().first).values.map { ($0.name, $0.value) })
        #expect(values["series"] == 1)
        #expect(values["chunks"] == 1)
        #expect(values["log_rows"] == 1)
        try store.close()
    }
}
