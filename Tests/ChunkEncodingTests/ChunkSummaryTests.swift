import Testing
@testable import ChunkEncoding
import TestSupport

/// A chunk summary holds the first, next-to-last and last value, the body's (all but the last
/// sample's) extremes exactly (bits included) and the tail's distance, and reads back only what
/// it wrote.
struct ChunkSummaryTests {
    static func floats(_ values: [Double]) -> (times: [Int64], values: [ChunkValue]) {
        (values.indices.map { Int64($0) * 10 }, values.map { .float($0) })
    }

    @Test func summaryOfValues() throws {
        let c = Self.floats([3, -1.5, 7, 7, 2, -9])
        let s = try #require(ChunkSummary(times: c.times, values: c.values))
        #expect(s == ChunkSummary(first: 3, bodyLast: 2, last: -9, bodyMin: -1.5, bodyMax: 7, tailGap: 10))
        #expect(s.min == -9 && s.max == 7)
        let one = Self.floats([1])
        #expect(ChunkSummary(times: one.times, values: one.values) == nil)
        let nan = Self.floats([1, .nan, 2])
        #expect(ChunkSummary(times: nan.times, values: nan.values) == nil)
        #expect(ChunkSummary(times: [0, 1], values: [.integer(1), .integer(2)]) == nil)
        #expect(ChunkSummary(times: [0, 0], values: [.float(1), .float(2)]) == nil)
        let two = Self.floats([4, 5])
        #expect(ChunkSummary(times: two.times, values: two.values) == ChunkSummary(first: 4, bodyLast: 4, last: 5, bodyMin: 4, bodyMax: 4, tailGap: 10))
    }

    /// Of equal values the first in time order is kept, as a pass that replaces only on a strict
    /// comparison keeps it: 0.0 before -0.0 stays 0.0, in the body and against the tail.
    @Test func firstOfEqualValuesKeepsItsBits() throws {
        let c = Self.floats([0.0, -0.0, 1, -0.0])
        let s = try #require(ChunkSummary(times: c.times, values: c.values))
        #expect(s.bodyMin.sign == .plus && s.min.sign == .plus)
        let d = Self.floats([-0.0, 0.0, 0.0])
        let t = try #require(ChunkSummary(times: d.times, values: d.values))
        #expect(t.bodyMax.sign == .minus && t.max.sign == .minus && t.last.sign == .plus)
        #expect(try ChunkSummary(decoding: t.encoded) == t)
        #expect(try ChunkSummary(decoding: t.encoded).first.sign == .minus)
    }

    @Test func roundTripsAndPicksTheShortForm() throws {
        let whole = ChunkSummary(first: 5, bodyLast: 7, last: 1_000_000, bodyMin: -3, bodyMax: 9, tailGap: 10_000_000_000)
        #expect(whole.encoded.first! & 0x01 != 0)
        #expect(whole.encoded.count < 16)
        // A counter's summary: one large number, four small differences, the gap in ms.
        let counter = ChunkSummary(first: 4_000_000_000, bodyLast: 4_000_360_000, last: 4_000_361_000,
                                   bodyMin: 4_000_000_000, bodyMax: 4_000_360_000, tailGap: 10_000_000_000)
        #expect(counter.encoded == [0x07, 0x80, 0xA0, 0xD9, 0xE6, 0x1D, 0x80, 0xF9, 0x2B, 0xD0, 0x0F, 0, 0, 0x90, 0x4E])
        #expect(try ChunkSummary(decoding: counter.encoded) == counter)
        // Differences are used only when shorter; an odd gap stays in ns.
        let spread = ChunkSummary(first: 0, bodyLast: 0, last: 0,
                                  bodyMin: -9_007_199_254_740_992, bodyMax: 9_007_199_254_740_992, tailGap: 1_500_001)
        #expect(spread.encoded.first == 0x01)
        #expect(try ChunkSummary(decoding: spread.encoded) == spread)
        #expect(try ChunkSummary(decoding: whole.encoded) == whole)
        let fractional = ChunkSummary(first: 0.25, bodyLast: 1, last: 2, bodyMin: 0.25, bodyMax: 1, tailGap: 1)
        #expect(fractional.encoded.count == 42)
        #expect(try ChunkSummary(decoding: fractional.encoded) == fractional)
        let extreme = ChunkSummary(first: -.infinity, bodyLast: 9_007_199_254_740_994, last: 1,
                                   bodyMin: -.infinity, bodyMax: .greatestFiniteMagnitude, tailGap: Int64.max)
        #expect(try ChunkSummary(decoding: extreme.encoded) == extreme)
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<500 {
            let values = (0..<Int.random(in: 2...20, using: &rng)).map { _ -> Double in
                Bool.random(using: &rng) ? Double(Int.random(in: -1_000...1_000, using: &rng)) : Double.random(in: -1e6...1e6, using: &rng)
            }
            let c = Self.floats(values)
            let s = try #require(ChunkSummary(times: c.times, values: c.values))
            #expect(try ChunkSummary(decoding: s.encoded) == s)
            #expect(s.min == values.min() && s.max == values.max() && s.last == values.last && s.bodyLast == values[values.count - 2])
        }
    }

    @Test func rejectsWhatItCannotHaveWritten() {
        let good = ChunkSummary(first: 1, bodyLast: 2, last: 3, bodyMin: 1, bodyMax: 2, tailGap: 5).encoded
        // Bad flags, truncated, trailing bytes, a zero gap, bodyMin above bodyMax.
        for bad: [UInt8] in [[], [0x02] + good.dropFirst(), [0x08] + good.dropFirst(), Array(good.dropLast()), good + [0],
                             Array(good.dropLast()) + [0], [0x01, 2, 4, 6, 6, 2, 5],
                             // Relative: bodyMax below bodyLast; a gap in ms that overflows.
                             [0x03, 2, 2, 2, 0, 1, 5], [0x05, 2, 4, 6, 2, 4, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]] {
            #expect(throws: ChunkError.self) { try ChunkSummary(decoding: bad) }
        }
        let doubles: [Double] = [.nan, 1, 1, 1, 1]
        var nan: [UInt8] = [0]
        for v in doubles { for k in 0..<8 { nan.append(UInt8(truncatingIfNeeded: v.bitPattern >> UInt64(k * 8))) } }
        nan.append(1)
        #expect(throws: ChunkError.self) { try ChunkSummary(decoding: nan) }
    }

    /// Found by the chunk fuzzer: a chunk whose last two times lie more than Int64.max apart
    /// trapped on the tail gap. It has no summary (it is decoded), as with a NaN.
    @Test func noSummaryForATailGapBeyondInt64() {
        let values: [ChunkValue] = [.float(1), .float(2), .float(3)]
        #expect(ChunkSummary(times: [-3, Int64.min + 1, Int64.max - 1].sorted(), values: values) == nil)
        #expect(ChunkSummary(times: [Int64.min, -1, Int64.max], values: values) == nil)
        let near = ChunkSummary(times: [Int64.min, 0, Int64.max], values: values)
        #expect(near?.tailGap == Int64.max)
        #expect(near.map { (try? ChunkSummary(decoding: $0.encoded)) == $0 } == true)
    }
}
