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

    @Test("a damaged chunk keeps what came before and appends equally many times and values")
    func damagedChunks() throws {
        var rng = SeededGenerator(seed: 7_100)
        for round in 0..<2_000 {
            let shape = TimeShape.allCases[round % TimeShape.allCases.count]
            let count = Int.random(in: 1...200, using: &rng)
            var chunk = ChunkCodec.encode(kind: .float, times: shape.times(count: count, using: &rng),
                                          values: ValueFactory.values(.float, count: count, using: &rng))
            if Bool.random(using: &rng) {
                chunk.removeLast(Int.random(in: 1...min(8, chunk.count), using: &rng))
            } else {
                chunk[Int.random(in: 0..<chunk.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
            }
            var times: [Int64] = [-1], values: [Double] = [-1]
            let appended = try? ChunkCodec.appendFloats(chunk, from: .min, through: .max, times: &times, values: &values)
            #expect(times.first == -1 && values.first == -1 && times.count == values.count)
            // What the fast path accepts whole, the general decoder gives back the same.
            if appended == true, let decoded = try? ChunkCodec.decode(chunk) {
                #expect(Array(times.dropFirst()) == decoded.times)
            }
        }
    }
}

/// The loop for chunks whose times are their reference's (`decodeExactIntegers`) gives what the
/// general decoder gives, whole and damaged.
struct ExactReferenceFloatsTests {
    @Test func asTheGeneralDecoderWholeAndDamaged() throws {
        var rng = SeededGenerator(seed: 7_300)
        var checked = 0
        for round in 0..<1_500 {
            let count = Int.random(in: 1...300, using: &rng)
            var t: Int64 = 1_700_000_000_000_000_000
            let times = (0..<count).map { _ in
                t += 10_000_000_000 + Int64.random(in: 0...10, using: &rng) * 1_000_000
                return t
            }
            // Integral values (counters, gauges in whole units) and decimal ones (two places).
            let decimals = round % 3 == 0
            var level = Double(Int.random(in: 0...1_000_000, using: &rng))
            let values: [ChunkValue] = (0..<count).map { _ in
                level += Double(Int.random(in: 0...5_000, using: &rng))
                return .float(decimals ? (level / 100).rounded(.towardZero) / 100 + Double(Int.random(in: 0...99, using: &rng)) / 100 : level)
            }
            let reference = TimeReference(id: 1, times: times)
            var chunk = ChunkCodec.encode(kind: .float, times: times, values: values, reference: reference)
            let expected = try ChunkCodec.decode(chunk, reference: times)
            var gotTimes: [Int64] = [-1], gotValues: [Double] = [-1]
            #expect(try ChunkCodec.appendFloats(chunk, from: .min, through: .max, times: &gotTimes, values: &gotValues, reference: times))
            #expect(gotTimes == [-1] + expected.times)
            #expect(gotValues.dropFirst().map(ChunkValue.float) == expected.values)
            checked += 1
            // Damaged: a cut body or flipped bits; what came before stays, times and values agree.
            if round % 2 == 0 {
                chunk.removeLast(Int.random(in: 1...Swift.min(chunk.count - 1, 40), using: &rng))
            } else {
                let at = Int.random(in: chunk.count / 2..<chunk.count, using: &rng)
                chunk[at] ^= UInt8.random(in: 1...255, using: &rng)
            }
            var damagedTimes: [Int64] = [-1], damagedValues: [Double] = [-1]
            do {
                _ = try ChunkCodec.appendFloats(chunk, from: .min, through: .max, times: &damagedTimes, values: &damagedValues, reference: times)
            } catch {}
            #expect(damagedTimes.count == damagedValues.count && damagedTimes.first == -1 && damagedValues.first == -1)
            let generalTimes: [Int64]
            do { generalTimes = try ChunkCodec.decode(chunk, reference: times).times } catch { generalTimes = [] }
            if !generalTimes.isEmpty { #expect(Array(damagedTimes.dropFirst()) == generalTimes) }
        }
        #expect(checked == 1_500)
    }
}
