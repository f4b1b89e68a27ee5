import Testing
@testable import ChunkEncoding
import TestSupport

/// A chunk summary holds the first, last, smallest and largest value exactly (bits included) and
/// reads back only what it wrote.
struct ChunkSummaryTests {
    @Test func summaryOfValues() throws {
        let s = try #require(ChunkSummary(values: [.float(3), .float(-1.5), .float(7), .float(7), .float(2)]))
        #expect(s == ChunkSummary(first: 3, last: 2, min: -1.5, max: 7))
        #expect(ChunkSummary(values: []) == nil)
        #expect(ChunkSummary(values: [.float(1), .float(.nan)]) == nil)
        #expect(ChunkSummary(values: [.integer(1)]) == nil)
    }

    /// Of equal values the first in time order is kept, as a pass that replaces only on a strict
    /// comparison keeps it: 0.0 before -0.0 stays 0.0.
    @Test func firstOfEqualValuesKeepsItsBits() throws {
        let s = try #require(ChunkSummary(values: [.float(0.0), .float(-0.0), .float(1)]))
        #expect(s.min.sign == .plus)
        let t = try #require(ChunkSummary(values: [.float(-0.0), .float(0.0)]))
        #expect(t.max.sign == .minus && t.min.sign == .minus && t.last.sign == .plus)
        #expect(try ChunkSummary(decoding: t.encoded) == t)
        #expect(try ChunkSummary(decoding: t.encoded).first.sign == .minus)
    }

    @Test func roundTripsAndPicksTheShortForm() throws {
        let whole = ChunkSummary(first: 5, last: 1_000_000, min: -3, max: 1_000_000)
        #expect(whole.encoded.first == 0x01)
        #expect(whole.encoded.count < 12)
        #expect(try ChunkSummary(decoding: whole.encoded) == whole)
        let fractional = ChunkSummary(first: 0.25, last: 1, min: 0.25, max: 1)
        #expect(fractional.encoded.count == 33)
        #expect(try ChunkSummary(decoding: fractional.encoded) == fractional)
        let extreme = ChunkSummary(first: -.infinity, last: 9_007_199_254_740_994, min: -.infinity, max: .greatestFiniteMagnitude)
        #expect(try ChunkSummary(decoding: extreme.encoded) == extreme)
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<500 {
            let values = (0..<Int.random(in: 1...20, using: &rng)).map { _ -> ChunkValue in
                Bool.random(using: &rng) ? .float(Double(Int.random(in: -1_000...1_000, using: &rng)))
                    : .float(Double.random(in: -1e6...1e6, using: &rng))
            }
            let s = try #require(ChunkSummary(values: values))
            #expect(try ChunkSummary(decoding: s.encoded) == s)
        }
    }

    @Test func rejectsWhatItCannotHaveWritten() {
        let good = ChunkSummary(first: 1, last: 2, min: 1, max: 2).encoded
        for bad: [UInt8] in [[], [0x02] + good.dropFirst(), Array(good.dropLast()), good + [0], [0x01, 2, 4, 6, 0]] {
            #expect(throws: ChunkError.self) { try ChunkSummary(decoding: bad) }
        }
        // min above max, or a NaN.
        var disordered = ChunkSummary(first: 1, last: 1, min: 1, max: 1).encoded
        disordered[3] = 4
        #expect(throws: ChunkError.self) { try ChunkSummary(decoding: disordered) }
        let nan = [UInt8(0)] + [Double.nan, 1, 1, 1].flatMap { v in (0..<8).map { UInt8(truncatingIfNeeded: v.bitPattern >> UInt64($0 * 8)) } }
        #expect(throws: ChunkError.self) { try ChunkSummary(decoding: nan) }
    }
}
