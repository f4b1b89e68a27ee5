import Foundation
import Testing
import TestSupport
@testable import SQLiteStore
import TimeSeries

/// Schema 9 stores series rows as string ids (`SeriesCatalog`). `Fixtures/schema8.sqlite` is
/// `schema5.sqlite` opened as a server by the last schema-8 build (bf8aa8d), which wrote 40 points
/// of `temp,host=q,sensor=inlet value=20+0.5i` at base + 4 000 s + 10 s steps and of
/// `gone8,host=w`, then dropped `gone8` (id 10): the series id sequence is ahead of every id.
struct SchemaNineTests {
    static let fixture8 = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/schema8.sqlite").path
    let versions = SchemaVersionTests()
    let temp = SeriesKey(measurement: "temp", tags: [Tag("host", "q"), Tag("sensor", "inlet")])

    func expectTemp(_ store: SQLiteStore, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let id = try #require(try seriesID(store, "fixture", temp), sourceLocation: sourceLocation)
        let expected = (0..<40).map { Sample(time: SchemaVersionTests.base + 4_000_000_000_000 + Int64($0) * 10_000_000_000, value: .float(20 + Double($0) * 0.5)) }
        #expect(try store.samples(database: "fixture", series: id, field: "value") == expected, sourceLocation: sourceLocation)
        #expect(try seriesID(store, "fixture", SeriesKey(measurement: "gone8", tags: [Tag("host", "w")])) == nil, sourceLocation: sourceLocation)
    }

    @Test("a schema-8 file reads unchanged from a read-only process; the writer rewrites its series rows as string ids, keeping ids and the id sequence")
    func schemaEightReadsAndMigrates() throws {
        let directory = try versions.copy(Self.fixture8)
        defer { directory.cleanup() }
        let file = directory.path + "/fixture.sqlite"
        try versions.expectReadOnlyReadsUnchanged(directory, also: ["shared", "temp"]) { reader in try expectTemp(reader) }

        let store = try SQLiteStore(dataDirectory: directory.path)
        try versions.expectFixtureData(store, also: ["shared", "temp"])
        try expectTemp(store)
        // A new series (with a new tag value and a known one) gets the id after the dropped one.
        let fresh = SeriesKey(measurement: "temp", tags: [Tag("host", "q"), Tag("sensor", "outlet")])
        try store.write([Point(key: fresh, fields: [Field("value", .float(7.25))], time: SchemaVersionTests.base)], database: "fixture")
        #expect(try seriesID(store, "fixture", fresh) == 11)
        try store.close()

        let connection = try SQLiteConnection(path: file, readOnly: true)
        #expect(try connection.scalar("PRAGMA user_version") == Int64(Schema.version))
        #expect(try connection.scalar("SELECT value FROM meta WHERE key = 'next_series'") == 12)
        #expect(try connection.scalar("SELECT count(*) FROM sqlite_sequence WHERE name = 'series'") == 0)
        #expect(try connection.scalar("SELECT count(*) FROM pragma_table_info('series')") == 2)
        // Schema 12: a clean stop leaves no log or sealed table.
        #expect(try connection.scalar("SELECT count(*) FROM sqlite_master WHERE name IN ('log', 'sealed')") == 0)
        #expect(try connection.scalar("SELECT count(*) FROM series") == 9)
        #expect(try connection.scalar("SELECT max(length(key)) FROM series") ?? 99 <= 7)
        // Each string once: "temp", "host", "q", "sensor", "inlet" and "outlet" among them.
        #expect(try connection.scalar("SELECT count(*) - count(DISTINCT text) FROM strings") == 0)
        #expect(try connection.scalar("SELECT count(*) FROM strings WHERE text IN ('temp', 'host', 'q', 'sensor', 'inlet', 'outlet')") == 6)
        connection.close()

        let reopened = try SQLiteStore(dataDirectory: directory.path, readOnly: true)
        try versions.expectFixtureData(reopened, also: ["shared", "temp"])
        try expectTemp(reopened)
        let id = try #require(try seriesID(reopened, "fixture", fresh))
        #expect(try reopened.samples(database: "fixture", series: id, field: "value") == [Sample(time: SchemaVersionTests.base, value: .float(7.25))])
        #expect(try reopened.series(database: "fixture", filter: .names(["temp"]), where: .always).map(\.key) == [temp, fresh])
        try reopened.close()

        // The writer reopens the migrated file: strings are reused, ids continue.
        let again = try SQLiteStore(dataDirectory: directory.path)
        let third = SeriesKey(measurement: "temp", tags: [Tag("host", "r"), Tag("sensor", "inlet")])
        try again.write([Point(key: third, fields: [Field("value", .float(1))], time: SchemaVersionTests.base)], database: "fixture")
        #expect(try seriesID(again, "fixture", third) == 12)
        try again.close()
        let check = try SQLiteConnection(path: file, readOnly: true)
        #expect(try check.scalar("SELECT count(*) FROM strings WHERE text IN ('temp', 'host', 'r', 'sensor', 'inlet')") == 5)
        #expect(try check.scalar("SELECT count(*) - count(DISTINCT text) FROM strings") == 0)
        check.close()
    }
}
