import Testing
@testable import ChunkEncoding
import TestSupport

/// Time sequences ("clocks", `ChunkCodec.encodeTimes`): timestamps alone.
struct TimeSequenceTests {
    @Test("every time shape round-trips", arguments: TimeShape.allCases)
    func roundTrip(shape: TimeShape) throws {
        var rng = SeededGenerator(seed: 5_000 + UInt64(TimeShape.allCases.firstIndex(of: shape)!))
        for round in 0..<40 {
            let count = [0, 1, 2, 3, Int.random(in: 4...500, using: &rng)][round % 5]
            let times = shape.times(count: count, using: &rng)
            let bytes = ChunkCodec.encodeTimes(times)
            #expect(try ChunkCodec.decodeTimes(bytes) == times)
            // Version 4 (Exp-Golomb codes) only with two times or more.
            #expect((bytes[0] == 3 || (bytes[0] == 4 && count >= 2)) && bytes[1] == 0)
        }
    }

    @Test("a clock costs what the timestamps of a chunk cost")
    func size() throws {
        var rng = SeededGenerator(seed: 5_100)
        let times = TimeShape.collectdMilliseconds.times(count: 360, using: &rng)
        let clock = ChunkCodec.encodeTimes(times)
        // A boolean chunk of the same times: one bit per value more, one byte less header (no
        // codec byte); the clock's Exp-Golomb codes when smaller than the chunk's buckets.
        let booleans = ChunkCodec.encode(kind: .boolean, times: times, values: times.map { _ in .boolean(false) })
        #expect((booleans.count - clock.count) * 8 - 360 >= -16)
        #expect(clock.count * 8 <= 8 * 20 + ChunkCodec.clockTimeBits(times) + 7)
        // And the grid when it is smaller: a jittery clock whose jitter does not accumulate (the
        // first sample on time, so the mean interval is whole).
        let grid = (0..<360).map { Int64($0) * 10_000_000_000 + ($0 == 0 ? 0 : Int64.random(in: 0..<14, using: &rng) * 1_000_000) }
        let gridClock = ChunkCodec.encodeTimes(grid)
        #expect(gridClock[3] & 0x40 != 0)
        #expect(gridClock.count * 8 <= 8 * 12 + ChunkCodec.ownTimeBits(grid) + 7)
        #expect(try ChunkCodec.decodeTimes(gridClock) == grid)
    }

    @Test("a clock that wanders by a millisecond or two per read codes its deltas from the median interval")
    func wanderingClock() throws {
        var rng = SeededGenerator(seed: 5_150)
        for count in [2, 3, 720] {
            // A plugin read's clock: 10 s steps that are 1–2 ms longer or shorter four times in ten.
            var t: Int64 = 1_796_039_956_688_000_000
            let times = (0..<count).map { i -> Int64 in
                if i > 0 {
                    let step = [0, 0, 0, 0, 0, 0, 1, -1, 2, -2][Int.random(in: 0..<10, using: &rng)]
                    t += 10_000_000_000 + Int64(step) * 1_000_000
                }
                return t
            }
            let clock = ChunkCodec.encodeTimes(times)
            #expect(try ChunkCodec.decodeTimes(clock) == times)
            guard count == 720 else { continue }
            #expect(clock[0] == 4 && clock[3] & 0x40 != 0 && clock[4] & ChunkLayout.sequenceDeltas != 0)
            // About two bits per time: a code of one bit for the six in ten equal steps.
            #expect(clock.count * 8 <= 8 * 24 + 720 * 5 / 2)
            #expect(clock.count * 8 <= 8 * 20 + ChunkCodec.clockTimeBits(times) + 7)
            let layout = try clock.withUnsafeBytes { raw in try ChunkLayout(parsing: raw, timesOnly: true) }
            #expect(layout.timeDeltas && layout.gridInterval == 10_000)
        }
        // Times out of order and wrapping deltas round-trip too.
        for times: [Int64] in [[5, 3, 9, 1, 7, 2, 8], [Int64.min, Int64.max, 0, Int64.min + 1, Int64.max - 1]] {
            #expect(try ChunkCodec.decodeTimes(ChunkCodec.encodeTimes(times)) == times)
        }
    }

    @Test("clocks and chunks are not mistaken for each other")
    func distinct() throws {
        let times: [Int64] = [1_000_000, 2_000_000, 3_000_000]
        let clock = ChunkCodec.encodeTimes(times)
        #expect(throws: ChunkError.corrupt(reason: "unknown value kind")) { try ChunkCodec.decode(clock) }
        #expect(throws: ChunkError.corrupt(reason: "unknown value kind")) { try ChunkHeader.read(clock) }
        let chunk = ChunkCodec.encode(kind: .boolean, times: times, values: times.map { _ in .boolean(false) })
        #expect(throws: ChunkError.corrupt(reason: "not a time sequence")) { try ChunkCodec.decodeTimes(chunk) }
        let referenced = ChunkCodec.encode(kind: .boolean, times: times, values: times.map { _ in .boolean(false) },
                                           reference: TimeReference(id: 1, times: times))
        #expect(throws: ChunkError.corrupt(reason: "not a time sequence")) { try ChunkCodec.decodeTimes(referenced) }
        #expect(ChunkCodec.encodeTimes([]) == [3, 0, 0, 0x20, 0])
    }

    @Test("bad clock headers are rejected", arguments: [
        ([5, 0, 0, 0x20, 0], ChunkError.unsupportedVersion),
        ([4, 1, 0, 0x20, 0], .corrupt(reason: "not a time sequence")),
        ([4, 0, 0, 0x20, 63, 2, 0, 2, 0xFF], .corrupt(reason: "time order out of range")),
        ([4, 0, 0, 0x20, 0xBF, 2, 0, 2, 0xFF], .corrupt(reason: "time order out of range")),
        ([4, 0, 0, 0x20, 0x80, 2, 0, 2, 0xFF], .corrupt(reason: "time deltas without an interval")),
        ([3, 0, 0x20, 0x20, 1, 0, 0], .corrupt(reason: "integral flag on a non-float chunk")),
        ([3, 0, 0, 0x10, 1, 0, 0], .corrupt(reason: "integer order on a chunk without integers")),
        ([3, 0, 0, 0x21, 1, 0, 0], .corrupt(reason: "decimal scale on a non-integral chunk")),
        ([3, 0, 0, 0xA0, 1, 0, 0], .corrupt(reason: "raw floats on a non-float chunk")),
        ([3, 0, 0, 0x20, 3, 0, 0], .corrupt(reason: "count exceeds body size")),
        ([3, 0, 0, 0x20, 1, 0, 0, 0], .corrupt(reason: "bytes after the last sample")),
        ([3, 0, 0, 0x20, 2, 0, 2, 0xFF], .corrupt(reason: "timestamp out of range")),
    ] as [([UInt8], ChunkError)])
    func badHeaders(bytes: [UInt8], error: ChunkError) {
        #expect(throws: error) { try ChunkCodec.decodeTimes(bytes) }
    }

    @Test("every strict prefix and random damage throw or decode within the header's range")
    func damage() throws {
        var rng = SeededGenerator(seed: 5_200)
        for shape in TimeShape.allCases {
            let clock = ChunkCodec.encodeTimes(shape.times(count: 80, using: &rng))
            for length in 0..<clock.count {
                #expect(throws: ChunkError.self) { try ChunkCodec.decodeTimes(Array(clock.prefix(length))) }
            }
            for _ in 0..<200 {
                var damaged = clock
                let i = Int.random(in: 0..<damaged.count, using: &rng)
                damaged[i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
                if let times = try? ChunkCodec.decodeTimes(damaged) {
                    let layout = try damaged.withUnsafeBytes { raw in try ChunkLayout(parsing: raw, timesOnly: true) }
                    #expect(times.count == layout.header.count)
                    #expect(times.allSatisfy { $0 >= layout.header.minTime && $0 <= layout.header.maxTime })
                }
            }
        }
    }
}
