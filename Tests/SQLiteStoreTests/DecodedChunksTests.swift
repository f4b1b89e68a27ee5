import ChunkEncoding
import Testing
import TestSupport
@testable import SQLiteStore
import TimeSeries

/// `DecodedChunks` answers exactly what decoding the chunk answers, and never for other bytes.
@Suite struct DecodedChunksTests {
    typealias Rng = SeededGenerator

    static func floatChunk(_ rng: inout Rng, count: Int) -> (row: ChunkRow, times: [Int64], values: [Double]) {
        var t = Int64.random(in: 0...1_000, using: &rng)
        var times: [Int64] = [], values: [Double] = []
        for _ in 0..<count {
            t += Int64.random(in: 1...20, using: &rng)
            times.append(t)
            values.append(Bool.random(using: &rng) ? Double(Int.random(in: -1000...1000, using: &rng)) : Double.random(in: -1e9...1e9, using: &rng))
        }
        let data = ChunkCodec.encode(kind: .float, times: times, values: values.map { .float($0) })
        return (ChunkRow(minTime: times.first ?? 0, maxTime: times.last ?? 0, seq: 1, data: data, count: count), times, values)
    }

    /// What the read path appends without a cache.
    static func direct(_ row: ChunkRow, _ from: Int64, _ end: Int64) throws -> ([Int64], [Double]) {
        var t: [Int64] = [], v: [Double] = []
        _ = try ChunkCodec.appendFloats(row.data, from: from, through: end, times: &t, values: &v, reference: row.reference)
        return (t, v)
    }

    @Test func answersAreTheDecodedRange() throws {
        var rng = Rng(seed: 5)
        let cache = DecodedChunks(minimumSamples: 1)
        var rows: [ChunkRow] = []
        for id in 1...40 {
            var (row, _, _) = Self.floatChunk(&rng, count: Int.random(in: 1...300, using: &rng))
            row.id = Int64(id)
            rows.append(row)
        }
        for _ in 0..<2_000 {
            let row = rows.randomElement(using: &rng)!
            let from = [Int64.min, row.minTime, row.minTime + Int64.random(in: -30...3_000, using: &rng)].randomElement(using: &rng)!
            let end = [Int64.max, row.maxTime, from + Int64.random(in: 0...3_000, using: &rng)].randomElement(using: &rng)!
            var t: [Int64] = [-1], v: [Double] = [-1]
            #expect(cache.appendFloats(row, from: from, through: end, times: &t, values: &v))
            let (dt, dv) = try Self.direct(row, from, end)
            #expect(t == [-1] + dt)
            #expect(v.map(\.bitPattern) == [Double(-1).bitPattern] + dv.map(\.bitPattern))
        }
        #expect(cache.samples == rows.reduce(0) { $0 + $1.count })
    }

    @Test func aRewrittenRowIsDecodedAgain() throws {
        var rng = Rng(seed: 9)
        let cache = DecodedChunks()
        var (first, _, _) = Self.floatChunk(&rng, count: 80)
        var (second, times, values) = Self.floatChunk(&rng, count: 90)
        first.id = 7
        second.id = 7  // the same row id, other bytes: packed, or deleted and the id reused
        var t: [Int64] = [], v: [Double] = []
        #expect(cache.appendFloats(first, from: .min, through: .max, times: &t, values: &v))
        #expect(t.count == 80)
        t = []
        v = []
        #expect(cache.appendFloats(second, from: .min, through: .max, times: &t, values: &v))
        #expect(t == times)
        #expect(v == values)
        #expect(cache.lookup(first) == nil)
    }

    @Test func clocksAndBytesMustBeTheSame() {
        let a: [Int64] = [1, 2, 3], b: [Int64] = [1, 2, 4]
        #expect(DecodedChunks.same(a, a))
        #expect(DecodedChunks.same(a, Array([1, 2, 3])))
        #expect(!DecodedChunks.same(a, b))
        #expect(!DecodedChunks.same(a, nil))
        #expect(!DecodedChunks.same(nil, a))
        #expect(DecodedChunks.same(nil as [Int64]?, nil))
        #expect(!DecodedChunks.same(a, [1, 2]))
        #expect(DecodedChunks.same([UInt8]([1, 2]), [1, 2]))
        #expect(!DecodedChunks.same([UInt8]([1, 2]), [1, 3]))
        #expect(!DecodedChunks.same([UInt8]([1, 2]), [1]))
    }

    @Test func headChunksAndOtherKindsAreNotKept() {
        var rng = Rng(seed: 1)
        let cache = DecodedChunks(minimumSamples: 1)
        let (head, _, _) = Self.floatChunk(&rng, count: 10)  // id 0: a head's chunk
        var t: [Int64] = [], v: [Double] = []
        #expect(!cache.appendFloats(head, from: .min, through: .max, times: &t, values: &v))
        var integers = ChunkRow(minTime: 1, maxTime: 2, seq: 1,
                                data: ChunkCodec.encode(kind: .integer, times: [1, 2], values: [.integer(1), .integer(2)]), count: 2)
        integers.id = 3
        #expect(!cache.appendFloats(integers, from: .min, through: .max, times: &t, values: &v))
        #expect(t.isEmpty && v.isEmpty)
        #expect(cache.samples == 0)
    }

    @Test func smallChunksAreDecodedEachTime() {
        var rng = Rng(seed: 3)
        let cache = DecodedChunks()
        var (small, _, _) = Self.floatChunk(&rng, count: cache.minimumSamples - 1)
        var (large, _, _) = Self.floatChunk(&rng, count: cache.minimumSamples)
        small.id = 1
        large.id = 2
        var t: [Int64] = [], v: [Double] = []
        #expect(!cache.appendFloats(small, from: .min, through: .max, times: &t, values: &v))
        #expect(cache.appendFloats(large, from: .min, through: .max, times: &t, values: &v))
        #expect(cache.samples == cache.minimumSamples)
    }

    @Test func staysWithinItsLimit() {
        var rng = Rng(seed: 2)
        let cache = DecodedChunks(limit: 4_000, minimumSamples: 1)
        for id in 1...200 {
            var (row, _, _) = Self.floatChunk(&rng, count: Int.random(in: 1...400, using: &rng))
            row.id = Int64(id)
            var t: [Int64] = [], v: [Double] = []
            #expect(cache.appendFloats(row, from: .min, through: .max, times: &t, values: &v))
            #expect(t.count == row.count)
            #expect(cache.samples <= 4_000)
        }
    }

    /// Through the store: a chunk read (and kept) is dropped with its series, another series'
    /// chunk takes the same row id, and a scan reads the new chunk's samples.
    @Test func aReusedChunkIDReadsTheNewChunk() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let base: Int64 = 1_700_000_000_000_000_000, step: Int64 = 10_000_000_000
        func points(_ key: SeriesKey, plus: Double) -> [Point] {
            (0..<100).map { Point(key: key, fields: [Field("value", .float(Double($0) + plus))], time: base + Int64($0) * step) }
        }
        func floats(_ store: SQLiteStore, _ id: UInt64) throws -> [Double] {
            var cursor = try store.scan(database: "db", policy: nil, series: id, field: "value", range: .all, descending: false)
            var times: [Int64] = [], values: [Double] = []
            #expect(try cursor.appendFloats(times: &times, values: &values))
            #expect(times == (0..<100).map { base + Int64($0) * step })
            return values
        }
        func chunkIDs() throws -> [Int64] {
            let connection = try SQLiteConnection(path: directory.path + "/db.sqlite", readOnly: true)
            defer { connection.close() }
            let select = try connection.prepare("SELECT id FROM chunks ORDER BY id")
            var ids: [Int64] = []
            while try select.step() { ids.append(select.int64(0)) }
            select.reset()
            return ids
        }
        let a = SeriesKey(measurement: "m", tags: [Tag("host", "a")])
        let b = SeriesKey(measurement: "m", tags: [Tag("host", "b")])
        let store = try SQLiteStore(dataDirectory: directory.path)
        defer { try? store.close() }
        try store.write(points(a, plus: 0), database: "db")
        try store.checkpoint()
        let idA = try #require(try seriesID(store, "db", a))
        #expect(try floats(store, idA) == (0..<100).map(Double.init))
        #expect(try floats(store, idA) == (0..<100).map(Double.init))  // from the cache
        let before = try chunkIDs()
        try store.dropSeries(database: "db", ids: [idA])
        try store.write(points(b, plus: 1_000), database: "db")
        try store.checkpoint()
        let idB = try #require(try seriesID(store, "db", b))
        #expect(try chunkIDs() == before, "the new chunk should take the dropped one's id")
        #expect(try floats(store, idB) == (0..<100).map { Double($0) + 1_000 })
    }
}
