import Testing
@testable import SQLiteStore
import TestSupport
import TimeSeries

/// A batched scan (one snapshot for many series) answers exactly as one scan per series, for
/// heads, sealed chunks, late samples, unknown series and fields, writer and read-only stores.
struct ScanBatchTests {
    @Test(arguments: [false, true])
    func batchEqualsSingleScans(readOnly: Bool) throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        var rng = SeededGenerator(seed: readOnly ? 2 : 1)
        let store = try SQLiteStore(dataDirectory: directory.path, options: .init(chunkSize: 16, chunkBytes: 64))
        let keys = (0..<40).map { SeriesKey(measurement: "m", tags: [Tag("host", "h\($0)")]) }
        for round in 0..<6 {
            var points: [Point] = []
            for key in keys where Bool.random(using: &rng) {
                for _ in 0..<Int.random(in: 1...12, using: &rng) {
                    // Mostly advancing times, some late ones.
                    let time = Int64(round * 100) + Int64.random(in: -50...99, using: &rng)
                    points.append(Point(key: key, fields: [Field("v", .float(Double(Int.random(in: 0...9, using: &rng))))], time: time))
                }
            }
            try store.write(points, database: "db")
            try store.flush()
            if round == 3 { try store.compact() }
        }
        let reader = readOnly ? try SQLiteStore(dataDirectory: directory.path, readOnly: true) : store
        let ids = try reader.series(database: "db", filter: .all, where: .always).map(\.id) + [999_999]
        for range in [TimeRange.all, TimeRange(min: 120, max: 333), TimeRange(min: 10, max: 5)] {
            for field in ["v", "missing"] {
                let batched = try reader.scan(database: "db", series: ids, field: field, range: range, descending: false)
                #expect(batched.count == ids.count)
                for (id, cursor) in zip(ids, batched) {
                    var cursor = cursor
                    var got: [Sample] = []
                    while let s = try cursor.next() { got.append(s) }
                    #expect(got == (try reader.samples(database: "db", series: id, field: field, range: range)), "series \(id) \(field) \(range)")
                }
            }
        }
        if readOnly { try reader.close() }
        try store.close()
    }
}

/// What a cursor says lies ahead before it decodes anything (`pointsAhead`, which lets an inline
/// query give up early): exact for chunks wholly in range and for the head, in proportion to the
/// overlap for a chunk partly in range, and falling as the cursor reads.
struct PointsAheadTests {
    @Test func estimatesFromChunkHeadersAndTheHead() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path, options: .init(chunkSize: 100))
        let key = SeriesKey(measurement: "m", tags: [Tag("host", "a")])
        // 1 000 evenly spaced samples sealed in chunks of 100, then 50 in the head.
        try store.write((0..<1_000).map { Point(key: key, fields: [Field("v", .float(Double($0)))], time: Int64($0) * 10) }, database: "db")
        try store.flush()
        try store.write((1_000..<1_050).map { Point(key: key, fields: [Field("v", .float(Double($0)))], time: Int64($0) * 10) }, database: "db")
        let id = try #require(try store.series(database: "db", filter: .all, where: .always).first?.id)
        for (range, actual) in [(TimeRange.all, 1_050), (TimeRange(min: 0, max: 9_990), 1_000), (TimeRange(min: 2_000, max: 2_990), 100),
                                (TimeRange(min: 2_505, max: 10_240), 774), (TimeRange(min: 20_000, max: 30_000), 0)] {
            var cursor = try store.scan(database: "db", series: id, field: "v", range: range, descending: false)
            // Evenly spaced samples: only rounding at the (at most two) chunks the range cuts.
            #expect(abs(cursor.pointsAhead - actual) <= 2, "\(range): \(cursor.pointsAhead)")
            var read = 0
            while try cursor.next() != nil {
                read += 1
                #expect(abs(cursor.pointsAhead - (actual - read)) <= 2, "\(range) after \(read)")
            }
            #expect(read == actual)
            #expect(cursor.pointsAhead == 0)
        }
        try store.close()
    }
}

/// A flush that seals more heads than one batch of copies (`sealBatch`) seals every one of them.
struct SealBatchTests {
    @Test func flushSealsMoreHeadsThanOneBatch() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path, options: .init(chunkWindow: 100))
        let n = 2_500
        var points: [Point] = []
        for i in 0..<n {
            for t in [10, 20, 150] as [Int64] {
                points.append(Point(key: SeriesKey(measurement: "m", tags: [Tag("host", "h\(i)")]), fields: [Field("v", .float(Double(i) + Double(t)))], time: t))
            }
        }
        try store.write(points, database: "db")
        try store.flush()
        let stats = Dictionary(uniqueKeysWithValues: store.stats().flatMap(\.values).map { ($0.name, $0.value) })
        #expect(stats["head_samples"] == 0)
        #expect(stats["chunks"] == Double(n))
        let entries = try store.series(database: "db", filter: .all, where: .always)
        #expect(entries.count == n)
        for entry in entries {
            let i = Double(entry.key.tags[0].value.dropFirst())!
            #expect(try store.samples(database: "db", series: entry.id, field: "v").map(\.value) == [.float(i + 10), .float(i + 20), .float(i + 150)])
        }
        try store.close()
    }
}

/// A scan whose range starts after everything sealed reads the head only (no chunk rows); it must
/// answer as a read-only store, which always reads chunks, does.
struct HeadOnlyScanTests {
    @Test func rangesAfterTheNewestSealAnswerAlike() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path, options: .init(chunkWindow: 100))
        let key = SeriesKey(measurement: "m", tags: [Tag("host", "a")])
        let sealed = (0..<30).map { Point(key: key, fields: [Field("v", .float(Double($0)))], time: Int64($0) * 10) }
        try store.write(sealed, database: "db")
        try store.flush()  // seals [0, 290] per window
        // Committed to the log but left in the head (a flush would seal them: they span windows).
        let open = [Point(key: key, fields: [Field("v", .float(-1))], time: 295), Point(key: key, fields: [Field("v", .float(-2))], time: 5)]
        try store.write(open, database: "db")
        try store.commit(database: "db")
        #expect(store.stats().flatMap(\.values).first { $0.name == "head_samples" }?.value == 2)
        let reader = try SQLiteStore(dataDirectory: directory.path, readOnly: true)
        let id = try #require(try store.series(database: "db", filter: .all, where: .always).first?.id)
        for range in [TimeRange(min: 291, max: 400), TimeRange(min: 295, max: 295), TimeRange(min: 200, max: 400),
                      TimeRange(min: 0, max: 400), TimeRange(min: 5, max: 5), TimeRange(min: 296, max: 1_000)] {
            let writer = try store.samples(database: "db", series: id, field: "v", range: range)
            #expect(writer == (try reader.samples(database: "db", series: id, field: "v", range: range)), "\(range)")
        }
        #expect(try store.samples(database: "db", series: id, field: "v", range: TimeRange(min: 291, max: 400)).map(\.time) == [295])
        #expect(try store.samples(database: "db", series: id, field: "v", range: TimeRange(min: 0, max: 10)).map(\.time) == [0, 5, 10])
        try reader.close()
        try store.close()
    }
}
