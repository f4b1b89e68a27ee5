import Testing
@testable import ChunkEncoding
import TestSupport

/// The float fast path against the general decoder: same times and value bits, any range.
struct AppendFloatsTests {
    @Test("appendFloats equals decode filtered by range", arguments: TimeShape.allCases)
    func matchesDecode(shape: TimeShape) throws {
        var rng = SeededGenerator(seed: 7_000 + UInt64(TimeShape.allCases.firstIndex(of: shape)!))
        for _ in 0..<40 {
            let count = [1, 2, Int.random(in: 1...300, using: &rng)].randomElement(using: &rng)!
            let times = shape.times(count: count, using: &rng)
            let values = ValueFactory.values(.float, count: count, using: &rng)
            let chunk = ChunkCodec.encode(kind: .float, times: times, values: values)
            let lo = times[Int.random(in: 0..<count, using: &rng)] - Int64.random(in: -1...1, using: &rng)
            let hi = Bool.random(using: &rng) ? Int64.max : times[Int.random(in: 0..<count, using: &rng)]
            var gotTimes: [Int64] = [-1]
            var gotValues: [Double] = [-1]
            #expect(try ChunkCodec.appendFloats(chunk, from: lo, through: hi, times: &gotTimes, values: &gotValues))
            let decoded = try ChunkCodec.decode(chunk)
            let keep = decoded.times.indices.filter { decoded.times[$0] >= lo && decoded.times[$0] <= hi }
            #expect(gotTimes == [-1] + keep.map { decoded.times[$0] })
            #expect(gotValues.map(\.bitPattern) == [(-1.0).bitPattern] + keep.map { i -> UInt64 in
                guard case .float(let v) = decoded.values[i] else { return 0 }
                return v.bitPattern
            })
        }
    }

    @Test("a chunk of another kind appends nothing")
    func otherKind() throws {
        let chunk = ChunkCodec.encode(kind: .integer, times: [1, 2], values: [.integer(1), .integer(2)])
        var times: [Int64] = []
        var values: [Double] = []
        #expect(try !ChunkCodec.appendFloats(chunk, from: .min, through: .max, times: &times, values: &values))
        #expect(times.isEmpty && values.isEmpty)
    }
}
