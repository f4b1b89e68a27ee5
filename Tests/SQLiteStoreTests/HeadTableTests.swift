import Foundation
import Testing
@testable import SQLiteStore
import TestSupport
import TimeSeries

@Suite struct HeadTableTests {
    @Test func slotsAcrossSegmentsKeepTheirHeads() {
        var table = HeadTable()
        let n = HeadTable.segmentSize * 2 + 7
        for i in 0..<n {
            table.append(HeadSeries(key: HeadKey(series: Int64(i), field: 1), type: .float, baseSeq: 0))
        }
        #expect(table.count == n)
        // Mutation in place through the subscript, in every segment.
        for slot in [0, HeadTable.segmentSize - 1, HeadTable.segmentSize, n - 1] {
            table[slot].insert(time: Int64(slot), value: .float(Double(slot)))
        }
        #expect(table.indices == 0..<n)
        #expect(table.map(\.key.series) == (0..<n).map(Int64.init))
        #expect(table.filter { !$0.isEmpty }.map(\.key.series) == [0, Int64(HeadTable.segmentSize - 1), Int64(HeadTable.segmentSize), Int64(n - 1)])
        #expect(table[HeadTable.segmentSize].samples().map(\.time) == [Int64(HeadTable.segmentSize)])
    }

    /// The key lookup finds every live head through growth, and a forgotten one no more; a head
    /// opened again for a forgotten key gets a new slot.
    @Test func findsLiveHeadsByKey() {
        var table = HeadTable()
        var live: [HeadKey: Int] = [:]
        for i in 0..<5_000 {
            let key = HeadKey(series: Int64(i / 3), field: Int64(i % 3 + 1))
            live[key] = table.append(HeadSeries(key: key, type: .float, baseSeq: 0))
        }
        for (key, slot) in live { #expect(table.slot(of: key) == slot) }
        #expect(table.slot(of: HeadKey(series: 99_999, field: 1)) == nil)
        var forgotten: [HeadKey] = []
        for (key, slot) in live where key.series % 7 == 0 {
            table.forget(slot)
            forgotten.append(key)
        }
        for key in forgotten {
            #expect(table.slot(of: key) == nil)
            live[key] = nil
        }
        for (key, slot) in live { #expect(table.slot(of: key) == slot) }
        // Reopened after forgetting, and many more heads (the table grows past its removed places).
        for key in forgotten { live[key] = table.append(HeadSeries(key: key, type: .float, baseSeq: 0)) }
        for i in 5_000..<20_000 {
            let key = HeadKey(series: Int64(i / 3), field: Int64(i % 3 + 1))
            live[key] = table.append(HeadSeries(key: key, type: .float, baseSeq: 0))
        }
        for (key, slot) in live { #expect(table.slot(of: key) == slot) }
        #expect(table.count == 20_000 + forgotten.count)
    }
}

/// A head's appender keeps its buffer across seals for the next chunk, but not one a burst grew
/// far beyond a chunk's size (a bulk `/write` of one series' samples kept 64 KiB per series field).
struct HeadStorageTests {
    static func storage(_ store: SQLiteStore) -> [Int] {
        store.openDatabases().flatMap { db in
            db.head.withLock { h in h.heads.indices.map { h.heads[$0].ordered.storageBytes } }
        }
    }

    @Test func aBurstsBufferIsGivenBackAtItsSealAndASmallOneKept() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path)
        let burst = SeriesKey(measurement: "m", tags: [Tag("host", "burst")])
        let steady = SeriesKey(measurement: "m", tags: [Tag("host", "steady")])
        var rng = SeededGenerator(seed: 3)
        func points(_ key: SeriesKey, _ range: Range<Int>) -> [Point] {
            range.map { Point(key: key, fields: [Field("v", .float(Double.random(in: 0...1e6, using: &rng)))], time: Int64($0) * 10_000_000_000) }
        }
        // 5 000 random doubles between two flushes: about 40 KiB of bits in one head. 700 in the
        // other: under `chunkBytes`, so that head is sealed only by the clean stop.
        try store.write(points(burst, 0..<5_000) + points(steady, 0..<700), database: "db")
        let before = Self.storage(store)
        #expect(before.max()! > 2 * HeadSeries.keptStorageBytes)
        try store.flush()
        let after = Self.storage(store)
        #expect(after.allSatisfy { $0 <= HeadSeries.keptStorageBytes }, "\(before) → \(after)")
        #expect(after.contains { $0 > 0 }, "the steady head keeps its buffer")
        try store.close()
        // Nothing was lost.
        let reopened = try SQLiteStore(dataDirectory: directory.path)
        let ids = try reopened.series(database: "db", filter: .all, where: .always).map(\.id)
        #expect(try ids.map { try reopened.samples(database: "db", series: $0, field: "v").count }.sorted() == [700, 5_000])
        try reopened.close()
    }
}

/// A flush that finds no head due remembers it; the next one skips the look only while no head
/// changed and none can have come of age.
@Suite struct IdleFlushTests {
    @Test func generationMovesWithEveryChange() {
        var table = HeadTable()
        #expect(HeadTable().generation != table.generation, "each table starts an epoch of its own")
        var seen: Set<UInt64> = [table.generation]
        func changed(_ table: HeadTable) -> Bool { seen.insert(table.generation).inserted }
        let slot = table.append(HeadSeries(key: HeadKey(series: 1, field: 1), type: .float, baseSeq: 0))
        #expect(changed(table))
        table[slot].insert(time: 1, value: .float(1))
        #expect(changed(table))
        table.modify(slot) { $0.refSlot = 3 }
        #expect(changed(table))
        table.forget(slot)
        #expect(changed(table))
        // Reads change nothing.
        let before = table.generation
        _ = table[slot].count
        _ = table.slot(of: HeadKey(series: 1, field: 1))
        table.forEachHead { _, head in _ = head.pointee.count }
        #expect(table.generation == before)
    }

    @Test func forEachHeadVisitsEverySlotInOrder() {
        var table = HeadTable()
        let n = HeadTable.segmentSize * 2 + 5
        for i in 0..<n { table.append(HeadSeries(key: HeadKey(series: Int64(i), field: 2), type: .float, baseSeq: 0)) }
        var visited: [Int] = []
        table.forEachHead { slot, head in
            #expect(head.pointee.key.series == Int64(slot))
            visited.append(slot)
        }
        #expect(visited == Array(0..<n))
    }

    static func headCounts(_ store: SQLiteStore) -> [Int] {
        store.openDatabases().flatMap { db in db.head.withLock { h in h.heads.indices.map { h.heads[$0].count } } }
    }

    /// After idle flushes, a head that comes of age with no write since is sealed, and so is one
    /// that fills up.
    @Test func idleFlushesStillSealByAgeAndSize() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        var options = SQLiteStore.Options()
        // Long enough that a stalled CI machine does not age a head between two flushes that
        // must find it young.
        options.maxChunkAge = 3
        options.chunkSize = 100
        let store = try SQLiteStore(dataDirectory: directory.path, options: options)
        let key = SeriesKey(measurement: "m", tags: [Tag("host", "a")])
        try store.write([Point(key: key, fields: [Field("v", .float(1))], time: 1_000_000_000)], database: "db")
        try store.flush()
        try store.flush()
        try store.flush()
        #expect(Self.headCounts(store) == [1], "not due yet")
        Thread.sleep(forTimeInterval: 3.2)
        try store.flush()
        #expect(Self.headCounts(store) == [0], "sealed by age without a write since the last look")
        try store.flush()
        // Filled up between two flushes that found nothing due.
        try store.write((0..<50).map { Point(key: key, fields: [Field("v", .float(Double($0)))], time: 2_000_000_000 + Int64($0)) }, database: "db")
        try store.flush()
        try store.flush()
        #expect(Self.headCounts(store) == [50])
        try store.write((50..<100).map { Point(key: key, fields: [Field("v", .float(Double($0)))], time: 2_000_000_000 + Int64($0)) }, database: "db")
        try store.flush()
        #expect(Self.headCounts(store) == [0], "sealed at chunkSize")
        try store.close()
        let reopened = try SQLiteStore(dataDirectory: directory.path)
        let ids = try reopened.series(database: "db", filter: .all, where: .always).map(\.id)
        #expect(try reopened.samples(database: "db", series: ids[0], field: "v").count == 101)
        try reopened.close()
    }
}
