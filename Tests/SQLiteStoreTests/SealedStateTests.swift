import Foundation
import Testing
import TestSupport
@testable import SQLiteStore
import TimeSeries

/// Schema 11: `sealed` keeps log sequence numbers only, and the newest sealed time of a series
/// field is looked up in `chunks_by_series` when first needed. Schema 12: a clean stop drops the
/// (then empty) `log` and `sealed` tables and the writer creates them again at open.
struct SealedStateTests {
    static let base: Int64 = 1_700_000_000_000_000_000
    static let step: Int64 = 10_000_000_000

    func points(_ key: SeriesKey, _ range: Range<Int>, offset: Int64 = 0) -> [Point] {
        range.map { Point(key: key, fields: [Field("value", .float(Double($0)))], time: Self.base + Int64($0) * Self.step + offset) }
    }

    func count(_ directory: TemporaryDirectory, _ sql: String) throws -> Int64 {
        let connection = try SQLiteConnection(path: directory.path + "/db.sqlite", readOnly: true)
        defer { connection.close() }
        return try connection.scalar(sql) ?? -1
    }

    @Test("a clean stop leaves no log or sealed table; after reopening, scans read the chunks and a late sample is still found overlapping and merged")
    func cleanStopForgetsSealedState() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let a = SeriesKey(measurement: "m", tags: [Tag("host", "a")])
        let b = SeriesKey(measurement: "m", tags: [Tag("host", "b")])
        var store = try SQLiteStore(dataDirectory: directory.path)
        try store.write(points(a, 0..<100) + points(b, 0..<100), database: "db")
        try store.checkpoint()
        #expect(try count(directory, "SELECT count(*) FROM sealed") == 2)
        #expect(try count(directory, "SELECT count(*) FROM pragma_table_info('sealed') WHERE name = 'max_time'") == 0)
        try store.close()
        #expect(try count(directory, "SELECT count(*) FROM sqlite_master WHERE name IN ('log', 'sealed')") == 0)
        // A read-only process reads the stopped file (no log, no sealed table).
        let early = try SQLiteStore(dataDirectory: directory.path, readOnly: true)
        #expect(try seriesID(early, "db", a).map { try early.samples(database: "db", series: $0, field: "value").count } == 100)
        try early.close()

        // Reopened: nothing is known about a, so its scan reads (and learns) its chunk; b is
        // not scanned before its late sample, so the seal looks its chunk up.
        store = try SQLiteStore(dataDirectory: directory.path)
        let idA = try #require(try seriesID(store, "db", a))
        let idB = try #require(try seriesID(store, "db", b))
        #expect(try store.samples(database: "db", series: idA, field: "value").count == 100)
        for key in [a, b] {
            try store.write(points(key, 50..<51, offset: 5_000_000_000) + points(key, 100..<101), database: "db")
        }
        try store.checkpoint()
        // Each series field now has its old chunk and an overlapping one.
        #expect(try count(directory, "SELECT count(*) FROM chunks") == 4)
        #expect(try count(directory, "SELECT count(*) FROM sealed") == 2)
        try store.compact()
        #expect(try count(directory, "SELECT count(*) FROM chunks") == 2)
        var expected = (0..<101).map { Sample(time: Self.base + Int64($0) * Self.step, value: .float(Double($0))) }
        expected.insert(Sample(time: Self.base + 50 * Self.step + 5_000_000_000, value: .float(50)), at: 51)
        for id in [idA, idB] { #expect(try store.samples(database: "db", series: id, field: "value") == expected) }
        try store.close()

        // A read-only process reads the same after the stop.
        let reader = try SQLiteStore(dataDirectory: directory.path, readOnly: true)
        for id in [idA, idB] { #expect(try reader.samples(database: "db", series: id, field: "value") == expected) }
        try reader.close()
    }

    @Test("a scan learns that a reopened series field has nothing sealed in a later range, and still sees later seals")
    func scansLearnTheNewestSealedTime() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let a = SeriesKey(measurement: "m", tags: [Tag("host", "a")])
        var store = try SQLiteStore(dataDirectory: directory.path)
        try store.write(points(a, 0..<50), database: "db")
        try store.close()
        store = try SQLiteStore(dataDirectory: directory.path)
        defer { try? store.close() }
        let id = try #require(try seriesID(store, "db", a))
        let later = TimeRange(min: Self.base + 60 * Self.step, max: Int64.max)
        #expect(try store.samples(database: "db", series: id, field: "value", range: later).isEmpty)
        #expect(try store.samples(database: "db", series: id, field: "value").count == 50)
        // Sealed after the scan learned the old time: the new time is seen.
        try store.write(points(a, 60..<70), database: "db")
        try store.checkpoint()
        #expect(try store.samples(database: "db", series: id, field: "value", range: later).map(\.time)
                == (60..<70).map { Self.base + Int64($0) * Self.step })
    }
}
