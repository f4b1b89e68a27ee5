import Foundation
import Testing
import TestSupport
@testable import SQLiteStore
import TimeSeries

/// Files written by earlier formats keep opening and reading: `Fixtures/schema1.sqlite` was
/// written by the release before schema 2 (collectlite 8460422: chunk rows with min_time and
/// count, UNIQUE series and fields, version-1 chunks only). It holds database "fixture": 300
/// samples at 10 s from 1 700 000 000 s of `load,host=a value=<two decimals>,count=<i>i` (one
/// value later overwritten with 9.99), `cpu_value,host=a,type_instance=idle value=1000+97i`,
/// `note,host=a text="s<i%3>",ok=<i odd>`; series `gone,host=z` was dropped (id 4), so the
/// series id sequence is ahead of every remaining id.
struct SchemaVersionTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/schema1.sqlite").path
    static let base: Int64 = 1_700_000_000_000_000_000

    /// `Fixtures/schema3.sqlite` holds the same data, written through /write by the last
    /// schema-3 build (4f68348, before shared clocks), plus a second policy `week`.
    static let fixture3 = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/schema3.sqlite").path

    /// `Fixtures/schema4.sqlite` holds the same data, written through /write by the last
    /// schema-4 build (9931650, before constant chunks), plus a policy `week` with one point.
    static let fixture4 = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/schema4.sqlite").path

    /// `Fixtures/schema5.sqlite` is `schema4.sqlite` opened by the last schema-5 build (1a35f5f)
    /// as a server, which wrote 50 points each of `shared,host=x|y|z` (z flat) at base + 3 000 s
    /// + 10 s steps over /write: clock 1 is used by five old chunks, clock 2 by the three new ones.
    static let fixture5 = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/schema5.sqlite").path

    /// A copy of the fixture in a fresh data directory.
    func copy(_ fixture: String = Self.fixture) throws -> TemporaryDirectory {
        let directory = TemporaryDirectory()
        try FileManager.default.copyItem(atPath: fixture, toPath: directory.path + "/fixture.sqlite")
        return directory
    }

    func expectFixtureData(_ store: SQLiteStore, also more: [String] = [], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let loadKey = SeriesKey(measurement: "load", tags: [Tag("host", "a")])
        let cpuKey = SeriesKey(measurement: "cpu_value", tags: [Tag("host", "a"), Tag("type_instance", "idle")])
        let noteKey = SeriesKey(measurement: "note", tags: [Tag("host", "a")])
        #expect(try store.measurements(database: "fixture", filter: .all) == (["cpu_value", "load", "note"] + more).sorted(), sourceLocation: sourceLocation)
        let load = try #require(try seriesID(store, "fixture", loadKey))
        let values = try store.samples(database: "fixture", series: load, field: "value")
        #expect(values.count == 300, sourceLocation: sourceLocation)
        for (i, sample) in values.enumerated() {
            #expect(sample.time == Self.base + Int64(i) * 10_000_000_000, sourceLocation: sourceLocation)
            #expect(sample.value == .float(i == 50 ? 9.99 : Double((i * 37) % 400) / 100), sourceLocation: sourceLocation)
        }
        #expect(try store.samples(database: "fixture", series: load, field: "count").map(\.value) == (0..<300).map { .integer(Int64($0)) },
                sourceLocation: sourceLocation)
        let cpu = try #require(try seriesID(store, "fixture", cpuKey))
        #expect(try store.samples(database: "fixture", series: cpu, field: "value").map(\.value) == (0..<300).map { .float(Double(1000 + $0 * 97)) },
                sourceLocation: sourceLocation)
        let note = try #require(try seriesID(store, "fixture", noteKey))
        #expect(try store.samples(database: "fixture", series: note, field: "text").map(\.value) == (0..<300).map { .string("s\($0 % 3)") },
                sourceLocation: sourceLocation)
        #expect(try store.samples(database: "fixture", series: note, field: "ok").map(\.value) == (0..<300).map { .boolean($0 % 2 == 1) },
                sourceLocation: sourceLocation)
    }

    /// A read-only process reads the fixture data (and whatever `more` checks) and leaves the
    /// file byte for byte as it was.
    func expectReadOnlyReadsUnchanged(_ directory: TemporaryDirectory, also measurements: [String] = [],
                                      _ more: (SQLiteStore) throws -> Void = { _ in },
                                      sourceLocation: SourceLocation = #_sourceLocation) throws {
        let file = URL(fileURLWithPath: directory.path + "/fixture.sqlite")
        let before = try Data(contentsOf: file)
        let reader = try SQLiteStore(dataDirectory: directory.path, readOnly: true)
        try expectFixtureData(reader, also: measurements, sourceLocation: sourceLocation)
        try more(reader)
        try reader.close()
        #expect(try Data(contentsOf: file) == before, sourceLocation: sourceLocation)
    }

    @Test("a schema-1 file reads from a read-only process without being changed")
    func readOnlyReadsSchemaOne() throws {
        let directory = try copy()
        defer { directory.cleanup() }
        try expectReadOnlyReadsUnchanged(directory)
    }

    @Test("the writer migrates a schema-1 file to schema 2, keeping every value and the series id sequence")
    func writerMigratesSchemaOne() throws {
        let directory = try copy()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path)
        try expectFixtureData(store)
        // A new series gets an id after the dropped one (4), never a reused one.
        let key = SeriesKey(measurement: "fresh", tags: [Tag("host", "b")])
        try store.write([Point(key: key, fields: [Field("value", .float(0.25))], time: Self.base)], database: "fixture")
        #expect(try seriesID(store, "fixture", key) == 5)
        // New data on old series, sealed and compacted into the migrated chunk rows.
        let loadKey = SeriesKey(measurement: "load", tags: [Tag("host", "a")])
        try store.write([Point(key: loadKey, fields: [Field("value", .float(1.5))], time: Self.base + 300 * 10_000_000_000)], database: "fixture")
        try store.checkpoint()
        try store.compact()
        try store.close()

        let connection = try SQLiteConnection(path: directory.path + "/fixture.sqlite", readOnly: true)
        #expect(try connection.scalar("PRAGMA user_version") == Int64(Schema.version))
        #expect(try connection.scalar("SELECT count(*) FROM pragma_table_info('chunks') WHERE name IN ('min_time', 'count')") == 0)
        #expect(try connection.scalar("SELECT count(*) FROM sqlite_master WHERE name LIKE 'sqlite_autoindex_series%'") == 0)
        connection.close()

        let reopened = try SQLiteStore(dataDirectory: directory.path, readOnly: true)
        let load = try #require(try seriesID(reopened, "fixture", loadKey))
        let values = try reopened.samples(database: "fixture", series: load, field: "value")
        #expect(values.count == 301)
        #expect(values.last == Sample(time: Self.base + 300 * 10_000_000_000, value: .float(1.5)))
        #expect(values[50].value == .float(9.99))
        try reopened.close()
    }

    @Test("a schema-3 file reads from a read-only process unchanged; the writer migrates it to the current schema and shares clocks")
    func schemaThreeReadsAndMigrates() throws {
        let directory = try copy(Self.fixture3)
        defer { directory.cleanup() }
        let file = directory.path + "/fixture.sqlite"
        try expectReadOnlyReadsUnchanged(directory)

        let store = try SQLiteStore(dataDirectory: directory.path)
        try expectFixtureData(store)
        #expect(try store.retentionPolicies(database: "fixture").policies.map(\.name) == ["autogen", "week"])
        // Two new series with the same timestamps after the old data: one clock.
        let keys = ["x", "y"].map { SeriesKey(measurement: "fresh", tags: [Tag("host", $0)]) }
        let times = (0..<50).map { Self.base + 3_000 * 1_000_000_000 + Int64($0) * 10_000_000_000 }
        for (n, key) in keys.enumerated() {
            try store.write(times.map { Point(key: key, fields: [Field("value", .float(Double(n) + 0.5))], time: $0) }, database: "fixture")
        }
        try store.close()
        let connection = try SQLiteConnection(path: file, readOnly: true)
        #expect(try connection.scalar("PRAGMA user_version") == Int64(Schema.version))
        #expect(try connection.scalar("SELECT count(*) FROM times") == 1)
        #expect(try connection.scalar("SELECT count(DISTINCT times_id) FROM chunks WHERE times_id IS NOT NULL") == 1)
        connection.close()
        let reopened = try SQLiteStore(dataDirectory: directory.path, readOnly: true)
        #expect(try reopened.measurements(database: "fixture", filter: .all) == ["cpu_value", "fresh", "load", "note"])
        for (n, key) in keys.enumerated() {
            let id = try #require(try seriesID(reopened, "fixture", key))
            #expect(try reopened.samples(database: "fixture", series: id, field: "value") == times.map { Sample(time: $0, value: .float(Double(n) + 0.5)) })
        }
        try reopened.close()
    }

    @Test("a schema-4 file reads from a read-only process unchanged; the writer migrates it to the current schema and stores constants in order 3")
    func schemaFourReadsAndMigrates() throws {
        let directory = try copy(Self.fixture4)
        defer { directory.cleanup() }
        let file = directory.path + "/fixture.sqlite"
        try expectReadOnlyReadsUnchanged(directory) { (reader: SQLiteStore) throws in
            #expect(try reader.retentionPolicies(database: "fixture").policies.map(\.name) == ["autogen", "week"])
        }

        let store = try SQLiteStore(dataDirectory: directory.path)
        try expectFixtureData(store)
        // A flat series and a varying one with the same timestamps after the old data.
        let flat = SeriesKey(measurement: "swap", tags: [Tag("host", "a")])
        let moving = SeriesKey(measurement: "swap", tags: [Tag("host", "b")])
        let times = (0..<50).map { Self.base + 3_000 * 1_000_000_000 + Int64($0) * 10_000_000_000 }
        try store.write(times.map { Point(key: flat, fields: [Field("value", .float(0))], time: $0) }, database: "fixture")
        try store.write(times.enumerated().map { Point(key: moving, fields: [Field("value", .float(Double($0.offset)))], time: $0.element) },
                        database: "fixture")
        let flatID = try #require(try seriesID(store, "fixture", flat))
        try store.close()
        let connection = try SQLiteConnection(path: file, readOnly: true)
        #expect(try connection.scalar("PRAGMA user_version") == Int64(Schema.version))
        // The flat series' chunk codes its value once: version 3, exact clock, integer order 3.
        #expect(try connection.scalar("SELECT hex(substr(data, 1, 1)) || hex(substr(data, 4, 1)) = '0370' FROM chunks WHERE series_id = \(flatID)") == 1)
        connection.close()
        let reopened = try SQLiteStore(dataDirectory: directory.path, readOnly: true)
        #expect(try reopened.measurements(database: "fixture", filter: .all) == ["cpu_value", "load", "note", "swap"])
        let flatSeries = try #require(try seriesID(reopened, "fixture", flat))
        let movingSeries = try #require(try seriesID(reopened, "fixture", moving))
        #expect(try reopened.samples(database: "fixture", series: flatSeries, field: "value") == times.map { Sample(time: $0, value: .float(0)) })
        #expect(try reopened.samples(database: "fixture", series: movingSeries, field: "value")
                == times.enumerated().map { Sample(time: $0.element, value: .float(Double($0.offset))) })
        try reopened.close()
    }

    @Test("a schema-5 file reads unchanged from a read-only process; the writer counts each clock's references and drops chunks_by_times")
    func schemaFiveReadsAndMigrates() throws {
        let directory = try copy(Self.fixture5)
        defer { directory.cleanup() }
        let file = directory.path + "/fixture.sqlite"
        let keys = ["x", "y", "z"].map { SeriesKey(measurement: "shared", tags: [Tag("host", $0)]) }
        let times = (0..<50).map { Self.base + 3_000 * 1_000_000_000 + Int64($0) * 10_000_000_000 }
        func expectShared(_ store: SQLiteStore, _ hosts: Range<Int>, sourceLocation: SourceLocation = #_sourceLocation) throws {
            for n in hosts {
                let id = try #require(try seriesID(store, "fixture", keys[n]), sourceLocation: sourceLocation)
                let expected = times.enumerated().map { Sample(time: $0.element, value: .float(n == 2 ? 0 : Double(n) + Double($0.offset) * 0.25)) }
                #expect(try store.samples(database: "fixture", series: id, field: "value") == expected, sourceLocation: sourceLocation)
            }
        }
        try expectReadOnlyReadsUnchanged(directory, also: ["shared"]) { reader in try expectShared(reader, 0..<3) }

        let store = try SQLiteStore(dataDirectory: directory.path)
        try expectFixtureData(store, also: ["shared"])
        try expectShared(store, 0..<3)
        func clocks() throws -> [[Int64]] {
            let connection = try SQLiteConnection(path: file, readOnly: true)
            defer { connection.close() }
            let select = try connection.prepare(
                "SELECT id, refs, (SELECT count(*) FROM chunks WHERE times_id = times.id) FROM times ORDER BY id")
            var rows: [[Int64]] = []
            while try select.step() { rows.append([select.int64(0), select.int64(1), select.int64(2)]) }
            select.reset()
            #expect(try connection.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'chunks_by_times'") == 0)
            #expect(try connection.scalar("PRAGMA user_version") == Int64(Schema.version))
            return rows
        }
        #expect(try clocks() == [[1, 5, 5], [2, 3, 3]])
        // Dropping two of the three series using clock 2 leaves it with one reference, the
        // third takes it away.
        let ids = try keys.map { try #require(try seriesID(store, "fixture", $0)) }
        try store.dropSeries(database: "fixture", ids: [ids[0], ids[2]])
        #expect(try clocks() == [[1, 5, 5], [2, 1, 1]])
        try expectShared(store, 1..<2)
        try store.dropSeries(database: "fixture", ids: [ids[1]])
        #expect(try clocks() == [[1, 5, 5]])
        try expectFixtureData(store)
        try store.close()
    }

    @Test("a file from a newer collectlite is refused, and a foreign SQLite file is left alone")
    func newerAndForeignFiles() throws {
        let directory = try copy()
        defer { directory.cleanup() }
        let connection = try SQLiteConnection(path: directory.path + "/fixture.sqlite", readOnly: false)
        try connection.execute("PRAGMA user_version = \(Schema.version + 1)")
        connection.close()
        let store = try SQLiteStore(dataDirectory: directory.path, readOnly: true)
        #expect(throws: SQLiteStoreError.self) { try store.measurements(database: "fixture", filter: .all) }
        try store.close()
    }
}
