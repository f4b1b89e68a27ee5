import Foundation
import Testing
@testable import SQLiteStore
import TestSupport
import TimeSeries

/// Shared clocks (schema 4): series written with the same timestamps store them once in
/// `times`, chunks code theirs against it, and a clock goes with the last chunk using it.
struct ClockTests {
    static let base: Int64 = 1_796_040_000_000_000_000

    /// 720 samples at 10 s with a few ms of jitter (collectd's read loop), ms precision.
    static func readTimes(seed: UInt64, phase: Int64 = 0) -> [Int64] {
        var rng = SeededGenerator(seed: seed)
        return (0..<720).map { i in base + phase + Int64(i) * 10_000_000_000 + Int64.random(in: 0...4, using: &rng) * 1_000_000 }
    }

    static func write(_ store: SQLiteStore, _ key: SeriesKey, _ times: [Int64], value: (Int) -> Double) throws {
        try store.write(times.enumerated().map { i, t in Point(key: key, fields: [Field("value", .float(value(i)))], time: t) }, database: "db")
    }

    static func samples(_ store: SQLiteStore, _ key: SeriesKey) throws -> [Sample] {
        guard let id = try seriesID(store, "db", key) else { return [] }
        return try store.samples(database: "db", series: id, field: "value")
    }

    static func clocks(_ directory: TemporaryDirectory) throws -> (clocks: Int64, references: [Int64?]) {
        let connection = try SQLiteConnection(path: directory.path + "/db.sqlite", readOnly: true)
        defer { connection.close() }
        let clocks = try connection.scalar("SELECT count(*) FROM times") ?? -1
        // Every clock counts exactly the chunk rows that reference it, and none is unused.
        #expect(try connection.scalar("SELECT count(*) FROM times WHERE refs != (SELECT count(*) FROM chunks WHERE times_id = times.id) OR refs < 1") == 0)
        let select = try connection.prepare("SELECT times_id FROM chunks ORDER BY series_id")
        var references: [Int64?] = []
        while try select.step() { references.append(select.isNull(0) ? nil : select.int64(0)) }
        select.reset()
        return (clocks, references)
    }

    @Test("series written together share one clock; every sample reads back, from the writer and another process")
    func seriesWrittenTogetherShareAClock() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path)
        let shared = Self.readTimes(seed: 1)
        // c: one value list later in the same plugin read, 10 % of its samples 1–3 ms off.
        var rng = SeededGenerator(seed: 9)
        let nearly = shared.map { Int.random(in: 0..<10, using: &rng) == 0 ? $0 + Int64.random(in: 1...3, using: &rng) * 1_000_000 : $0 }
        let other = Self.readTimes(seed: 2, phase: 3_217_000_000)
        let keys = ["a", "b", "c", "d"].map { SeriesKey(measurement: "m", tags: [Tag("host", "h"), Tag("instance", $0)]) }
        let times = [shared, shared, nearly, other]
        for (n, key) in keys.enumerated() {
            try Self.write(store, key, times[n]) { Double(($0 * (n + 3)) % 17) / 4 }
        }
        try store.checkpoint()
        for (n, key) in keys.enumerated() {
            #expect(try Self.samples(store, key).map(\.time) == times[n])
        }
        try store.close()

        let (clocks, references) = try Self.clocks(directory)
        #expect(clocks == 2)
        #expect(references.count == 4)
        #expect(references[0] != nil && references[0] == references[1] && references[1] == references[2])
        #expect(references[3] != nil && references[3] != references[0])

        for readOnly in [true, false] {
            let reopened = try SQLiteStore(dataDirectory: directory.path, readOnly: readOnly)
            for (n, key) in keys.enumerated() {
                let got = try Self.samples(reopened, key)
                #expect(got.map(\.time) == times[n])
                #expect(got.map(\.value) == (0..<720).map { .float(Double(($0 * (n + 3)) % 17) / 4) })
            }
            try reopened.close()
        }
    }

    @Test("a clock is deleted with the last chunk using it (drop, delete, compaction), and answers stay the same")
    func clocksGoWithTheirLastChunk() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        // Windows of one hour: the 2-hour data is cut into chunks at the same samples for every series.
        let store = try SQLiteStore(dataDirectory: directory.path, options: .init(chunkWindow: 3_600_000_000_000))
        let shared = Self.readTimes(seed: 3)
        let keys = (0..<3).map { SeriesKey(measurement: "m", tags: [Tag("instance", "\($0)")]) }
        // Written in four parts with a seal after each (as age-limit seals do): chunks are
        // extended and replaced, and the replaced ones' clocks must go.
        for part in 0..<4 {
            for (n, key) in keys.enumerated() {
                try Self.write(store, key, Array(shared[(part * 180)..<((part + 1) * 180)])) { Double($0 + n) }
            }
            try store.checkpoint()
        }
        try store.compact()
        var state = try Self.clocks(directory)
        // Each series: one chunk per window; all three share the clocks of those windows.
        #expect(Set(state.references.compactMap { $0 }).count == Int(state.clocks))
        #expect(state.references.count == 3 * Int(state.clocks))
        #expect(state.clocks >= 2 && state.clocks <= 3)

        let first = try #require(try seriesID(store, "db", keys[0]))
        try store.dropSeries(database: "db", ids: [first])
        state = try Self.clocks(directory)
        #expect(Set(state.references.compactMap { $0 }).count == Int(state.clocks))

        // Deleting a time range rewrites the chunks of the remaining series.
        let ids = try [keys[1], keys[2]].map { try #require(try seriesID(store, "db", $0)) }
        let cut = TimeRange(min: shared[100], max: shared[499])
        try store.deleteSamples(database: "db", series: ids, range: cut)
        state = try Self.clocks(directory)
        #expect(Set(state.references.compactMap { $0 }).count == Int(state.clocks))
        for (n, key) in keys.enumerated().dropFirst() {
            let kept = shared.enumerated().filter { !cut.contains($0.element) }
            #expect(try Self.samples(store, key) == kept.map { Sample(time: $0.element, value: .float(Double($0.offset % 180 + n))) })
        }
        try store.dropSeries(database: "db", ids: ids)
        #expect(try Self.clocks(directory).clocks == 0)
        try store.close()
    }

    @Test("decoded clocks are kept across scans, and a clock id used again after a drop reads the new times")
    func decodedClocksFollowReusedIDs() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path)
        let first = SeriesKey(measurement: "m", tags: [Tag("instance", "a")])
        let times = Self.readTimes(seed: 5)
        try Self.write(store, first, times) { Double($0) }
        try store.checkpoint()
        // Two scans: the second takes the decoded clock from the cache.
        #expect(try Self.samples(store, first).map(\.time) == times)
        #expect(try Self.samples(store, first).map(\.time) == times)
        let before = try Self.clocks(directory).references
        try store.dropSeries(database: "db", ids: [try #require(try seriesID(store, "db", first))])
        #expect(try Self.clocks(directory).clocks == 0)

        // The next clock gets the same id (the table's largest rowid is gone) with other times.
        let second = SeriesKey(measurement: "m", tags: [Tag("instance", "b")])
        let later = Self.readTimes(seed: 6, phase: 1_234_000_000)
        try Self.write(store, second, later) { Double(-$0) }
        try store.checkpoint()
        #expect(try Self.clocks(directory).references == before)
        #expect(try Self.samples(store, second) == later.enumerated().map { Sample(time: $0.element, value: .float(Double(-$0.offset))) })
        try store.close()
    }

    static func chunkRows(_ directory: TemporaryDirectory) throws -> Int64 {
        let connection = try SQLiteConnection(path: directory.path + "/db.sqlite", readOnly: true)
        defer { connection.close() }
        return try connection.scalar("SELECT count(*) FROM chunks") ?? -1
    }

    @Test("a seal whose last sample closes the window extends the window's chunk; compaction merges what an earlier process left in pieces")
    func closingSealsJoinTheirWindowsChunk() throws {
        let hour: Int64 = 3_600_000_000_000
        // 720 samples at 10 s from an hour boundary: window 0 holds samples 0–359, sample 360
        // closes it, window 1 holds 360–719.
        let times = Self.readTimes(seed: 5)
        let key = SeriesKey(measurement: "m", tags: [Tag("host", "h")])
        let value: (Int) -> Double = { Double($0 % 23) / 8 }
        // Seals after sample 99 (as the age limit makes them), after the closing sample 360, and at the end.
        let parts = [0..<100, 100..<361, 361..<720]

        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        var store = try SQLiteStore(dataDirectory: directory.path, options: .init(chunkWindow: hour))
        for part in parts {
            try store.write(part.map { Point(key: key, fields: [Field("value", .float(value($0)))], time: times[$0]) }, database: "db")
            try store.checkpoint()
        }
        try store.close()
        // One chunk per window: the closing seal joined window 0's chunk.
        #expect(try Self.chunkRows(directory) == 2)

        // An earlier process left window 0 in pieces (chunks too small to extend); compaction
        // merges them, the closing piece included.
        let pieces = TemporaryDirectory()
        defer { pieces.cleanup() }
        store = try SQLiteStore(dataDirectory: pieces.path, options: .init(chunkBytes: 100, chunkWindow: hour))
        for part in parts {
            try store.write(part.map { Point(key: key, fields: [Field("value", .float(value($0)))], time: times[$0]) }, database: "db")
            try store.checkpoint()
        }
        try store.close()
        let before = try Self.chunkRows(pieces)
        #expect(before > 2)
        store = try SQLiteStore(dataDirectory: pieces.path, options: .init(chunkWindow: hour))
        #expect(try Self.samples(store, key).map(\.time) == times)  // opens the file
        try store.compact()
        #expect(try Self.samples(store, key).map(\.time) == times)
        #expect(try Self.samples(store, key).map(\.value) == (0..<720).map { .float(value($0)) })
        try store.close()
        let after = try Self.chunkRows(pieces)
        #expect(after == 2, "\(before) → \(after)")
        _ = try Self.clocks(pieces)
    }

    @Test("a series that starts in the last quarter of a window is cut at the end of the next one, and series written with it share its clock")
    func lateStartsJoinTheNextWindow() throws {
        let hour: Int64 = 3_600_000_000_000
        // 720 samples at 10 s starting 10 min (inside the last quarter, 15 min) or 30 min before
        // an hour boundary; with a seal after every 100 samples, as the age limit makes them.
        for (phase, rows) in [(Int64(-600), Int64(2)), (-1_800, 3)] {
            let times = Self.readTimes(seed: 9, phase: phase * 1_000_000_000)
            let keys = ["a", "b"].map { SeriesKey(measurement: "m", tags: [Tag("host", $0)]) }
            let directory = TemporaryDirectory()
            defer { directory.cleanup() }
            let store = try SQLiteStore(dataDirectory: directory.path, options: .init(chunkWindow: hour))
            for part in stride(from: 0, to: 720, by: 100).map({ $0..<min(720, $0 + 100) }) {
                for key in keys {
                    try store.write(part.map { Point(key: key, fields: [Field("value", .float(Double($0 % 7)))], time: times[$0]) }, database: "db")
                }
                try store.checkpoint()
            }
            for key in keys { #expect(try Self.samples(store, key).map(\.time) == times) }
            try store.close()
            #expect(try Self.chunkRows(directory) == 2 * rows, "phase \(phase) s")
            let (clocks, references) = try Self.clocks(directory)
            #expect(clocks == rows && references.allSatisfy { $0 != nil }, "phase \(phase) s")
        }
    }
}
