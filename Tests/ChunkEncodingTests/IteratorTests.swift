import Testing
@testable import ChunkEncoding
import TestSupport

struct IteratorTests {
    static let times: [Int64] = (0..<120).map { Int64($0) * 10_000_000_000 + 1_700_000_000_000_000_000 }
    static let chunk = ChunkCodec.encode(
        kind: .integer, times: times, values: times.indices.map { .integer(Int64($0) * 3) })

    @Test("seek lands on the first sample at or after the time", arguments: [
        (Int64.min, 0), (times[0], 0), (times[0] + 1, 1), (times[57], 57), (times[57] - 1, 57), (times[119], 119),
    ])
    func seek(target: Int64, expectedIndex: Int) throws {
        var iterator = try ChunkIterator(Self.chunk)
        try iterator.seek(to: target)
        let sample = try #require(try iterator.next())
        #expect(sample.time == Self.times[expectedIndex])
        #expect(sample.value == .integer(Int64(expectedIndex) * 3))
        let following = try iterator.next()
        #expect(following?.time == (expectedIndex + 1 < Self.times.count ? Self.times[expectedIndex + 1] : nil))
    }

    @Test("seek past the end exhausts the iterator")
    func seekPastEnd() throws {
        var iterator = try ChunkIterator(Self.chunk)
        try iterator.seek(to: Self.times[119] + 1)
        #expect(try iterator.next() == nil)
    }

    @Test("seek backwards restarts, forwards continues")
    func seekBothWays() throws {
        var iterator = try ChunkIterator(Self.chunk)
        try iterator.seek(to: Self.times[90])
        #expect(try iterator.next()?.time == Self.times[90])
        try iterator.seek(to: Self.times[10])
        #expect(try iterator.next()?.time == Self.times[10])
        try iterator.seek(to: Self.times[10])
        #expect(try iterator.next()?.time == Self.times[10])
        try iterator.seek(to: Self.times[11])
        try iterator.seek(to: Self.times[12])
        #expect(try iterator.next()?.time == Self.times[12])
    }

    @Test("seek in a chunk with equal timestamps finds the first of them")
    func seekEqual() throws {
        let times: [Int64] = [5, 7, 7, 7, 9]
        let bytes = ChunkCodec.encode(kind: .boolean, times: times, values: [.boolean(false), .boolean(true), .boolean(false), .boolean(true), .boolean(true)])
        var iterator = try ChunkIterator(bytes)
        try iterator.seek(to: 6)
        #expect(try iterator.next()! == (7, .boolean(true)))
        #expect(try iterator.next()! == (7, .boolean(false)))
    }

    @Test("header is readable from a raw buffer and matches the iterator")
    func headerFromRawBuffer() throws {
        let header = try Self.chunk.withUnsafeBytes { raw throws(ChunkError) in try ChunkHeader.read(raw) }
        #expect(header == ChunkHeader(version: 1, kind: .integer, count: 120, minTime: Self.times[0], maxTime: Self.times[119]))
        #expect(try ChunkIterator(Self.chunk).header == header)
    }

    @Test("collectd-like millisecond timestamps cost under 5 bits each")
    func timestampCost() {
        var rng = SeededGenerator(seed: 42)
        // This jitter's tail is heavier than collectd's (≈ 12 % of samples ≥ 1 ms late).
        let times = TimeShape.collectdMilliseconds.times(count: 120, using: &rng)
        let bytes = ChunkCodec.encode(kind: .boolean, times: times, values: times.map { _ in .boolean(true) })
        let headerBits = 15 * 8
        #expect(bytes.count * 8 - headerBits - 120 < 120 * 5)

        // A perfectly regular series: one bit per timestamp after the first delta.
        let regular = (0..<120).map { Int64($0) * 10_000_000_000 + 1_700_000_000_000_000_000 }
        let regularBytes = ChunkCodec.encode(kind: .boolean, times: regular, values: regular.map { _ in .boolean(true) })
        #expect(regularBytes.count * 8 - headerBits - 120 <= 119 + 16)
    }
}
