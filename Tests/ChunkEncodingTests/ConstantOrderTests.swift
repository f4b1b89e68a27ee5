import Testing
@testable import ChunkEncoding
import TestSupport

/// Integer order 3: a chunk whose values are all the same codes the first and nothing after it.
@Suite("constant chunks (integer order 3)")
struct ConstantOrderTests {
    static let start: Int64 = 1_796_040_000_000_000_000

    static func times(_ n: Int, jitter: Bool = false, using rng: inout SeededGenerator) -> [Int64] {
        (0..<n).map { start + Int64($0) * 10_000_000_000 + (jitter ? Int64.random(in: 0..<4, using: &rng) * 1_000_000 : 0) }
    }

    static let constants: [(ChunkValueKind, ChunkValue)] = [
        (.integer, .integer(0)), (.integer, .integer(-7)), (.integer, .integer(Int64.max)), (.integer, .integer(Int64.min)),
        (.unsigned, .unsigned(UInt64.max)), (.unsigned, .unsigned(3)),
        (.float, .float(0)), (.float, .float(256)), (.float, .float(0.52)), (.float, .float(1.5)), (.float, .float(-3e15)),
        (.float, .float(1.0 / 3.0)),
    ]

    @Test("a constant series seals to order 3 and costs no value bits after the first", arguments: 0..<constants.count)
    func sealsToConstant(index: Int) throws {
        let (kind, value) = Self.constants[index]
        var rng = SeededGenerator(seed: UInt64(index) + 1)
        let times = Self.times(360, using: &rng)
        let values = [ChunkValue](repeating: value, count: times.count)
        var streamed = ChunkAppender(kind: kind)
        for i in times.indices { streamed.append(time: times[i], values[i]) }
        let best = streamed.optimized().finish()
        let decoded = try ChunkCodec.decode(best)
        #expect(decoded.times == times)
        #expect(decoded.values.map(\.utf8Bytes) == values.map(\.utf8Bytes))
        if case .float(let v) = value, v == 1.0 / 3.0 {
            // Not integer-coded: XOR floats code each repeat in one bit, as before.
            #expect(best[3] >> 4 & 3 != 3)
            return
        }
        #expect(best[0] == 2 && best[3] >> 4 & 3 == 3)
        // On a grid, times cost a bit each; the values nothing but the first.
        #expect(best.count <= 32 + (times.count + 7) / 8 + 1)

        // Against an exact reference the body is the first value alone.
        let reference = TimeReference(id: 9, times: times)
        let referenced = ChunkCodec.encode(kind: kind, times: times, values: values, reference: reference)
        #expect(referenced[3] >> 4 & 3 == 3 && referenced[3] & 0x40 != 0)
        #expect(referenced.count <= 32)  // header with a bias varint of up to 10 bytes
        try expectReferenceRoundTrip(kind: kind, times: times, values: values, reference: reference)
    }

    @Test("the reference bounds the count of a constant coded against it exactly")
    func referenceBoundsCount() throws {
        var rng = SeededGenerator(seed: 5)
        let times = Self.times(1_000, using: &rng)
        let values = [ChunkValue](repeating: .integer(4), count: times.count)
        let bytes = ChunkCodec.encode(kind: .integer, times: times, values: values, reference: TimeReference(id: 1, times: times))
        #expect(bytes.count < 20)
        #expect(throws: ChunkError.missingReference) { try ChunkCodec.decode(bytes) }
        #expect(throws: ChunkError.corrupt(reason: "reference shorter than the chunk")) {
            try ChunkCodec.decode(bytes, reference: Array(times.prefix(999)))
        }
        #expect(throws: ChunkError.corrupt(reason: "reference shorter than the chunk")) {
            _ = try ChunkIterator(bytes, reference: Array(times.prefix(10)))
        }
        #expect(try ChunkCodec.decode(bytes, reference: times).values == values)
        var iterator = try ChunkIterator(bytes, reference: times)
        try iterator.seek(to: times[777])
        #expect(try iterator.next()?.time == times[777])
        // Without the exact reference a constant still pays a bit per timestamp at least.
        var header = bytes
        header[3] &= ~0x40
        #expect(throws: ChunkError.corrupt(reason: "count exceeds body size")) { try ChunkCodec.decode(header, reference: times) }
    }

    @Test("carried into the next chunk, order 3 streams a constant and leaves it at the first other value",
          arguments: [ChunkValueKind.integer, .unsigned, .float])
    func carriedConstant(kind: ChunkValueKind) throws {
        var rng = SeededGenerator(seed: 31)
        let constant: ChunkValue = switch kind {
        case .integer: .integer(12)
        case .unsigned: .unsigned(12)
        default: .float(12)
        }
        var appender = ChunkAppender(kind: kind)
        let first = Self.times(100, jitter: true, using: &rng)
        for t in first { appender.append(time: t, constant) }
        let chosen = appender.optimized()
        #expect(chosen.options.valueOrder == 3)
        for round in 0..<60 {
            appender.reset(carrying: chosen.options)
            let times = Self.times(Int.random(in: 1...200, using: &rng), jitter: round % 2 == 0, using: &rng)
            var values = [ChunkValue](repeating: constant, count: times.count)
            // Change the value at a random sample (or never): another integer, a finer decimal
            // scale, a binary scale, a value no scale makes exact.
            if round % 5 != 0 {
                let at = Int.random(in: 0..<times.count, using: &rng)
                let other: ChunkValue = switch (kind, round % 4) {
                case (.integer, _): .integer(Int64.random(in: -5...5, using: &rng))
                case (.unsigned, _): .unsigned(UInt64.random(in: 0...40, using: &rng))
                case (_, 0): .float(12.25)
                case (_, 1): .float(0.1)
                case (_, 2): .float(.nan)
                default: .float(13)
                }
                for i in at..<times.count where Bool.random(using: &rng) || i == at { values[i] = other }
            }
            for i in times.indices { appender.append(time: times[i], values[i]) }
            let bytes = appender.finish()
            let decoded = try ChunkCodec.decode(bytes)
            #expect(decoded.times == times)
            #expect(decoded.values.map(\.utf8Bytes) == values.map(\.utf8Bytes))
            let optimized = try ChunkCodec.decode(appender.optimized().finish())
            #expect(optimized.values.map(\.utf8Bytes) == values.map(\.utf8Bytes))
            if values.allSatisfy({ $0 == constant }) { #expect(bytes[3] >> 4 & 3 == 3) }
        }
    }

    @Test("runs of a constant among varying values round-trip under every order the optimizer picks")
    func mixedRuns() throws {
        var rng = SeededGenerator(seed: 808)
        for _ in 0..<300 {
            let n = Int.random(in: 1...400, using: &rng)
            let times = Self.times(n, jitter: true, using: &rng)
            var v = Int64.random(in: -1000...1000, using: &rng)
            let changes = Int.random(in: 0...3, using: &rng)
            var values: [ChunkValue] = []
            for _ in 0..<n {
                if changes > 0, Int.random(in: 0..<(n / changes + 1), using: &rng) == 0 { v += Int64.random(in: -3...3, using: &rng) }
                values.append(.integer(v))
            }
            var appender = ChunkAppender(kind: .integer)
            for i in times.indices { appender.append(time: times[i], values[i]) }
            let best = appender.optimized().finish()
            #expect(try ChunkCodec.decode(best).values == values)
            try expectReferenceRoundTrip(kind: .integer, times: times, values: values, reference: TimeReference(id: 2, times: times))
        }
    }
}
