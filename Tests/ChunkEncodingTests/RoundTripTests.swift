import Testing
@testable import ChunkEncoding
import TestSupport

/// Encodes, then checks that both decoders return exactly the input and the header is right.
func expectRoundTrip(
    kind: ChunkValueKind, times: [Int64], values: [ChunkValue], sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let bytes = ChunkCodec.encode(kind: kind, times: times, values: values)
    let decoded = try ChunkCodec.decode(bytes)
    #expect(decoded.times == times, sourceLocation: sourceLocation)
    #expect(decoded.values == values, sourceLocation: sourceLocation)
    // Bytes too, since String's == would accept canonically equivalent strings.
    #expect(decoded.values.map(\.utf8Bytes) == values.map(\.utf8Bytes), sourceLocation: sourceLocation)

    let header = try ChunkHeader.read(bytes)
    #expect(header.count == times.count, sourceLocation: sourceLocation)
    #expect(header.kind == kind, sourceLocation: sourceLocation)
    #expect(header.version == 1 || header.version == 2, sourceLocation: sourceLocation)
    // The streamed (version-1 choices, decimal scales aside) encoding decodes to the same samples.
    var streamed = ChunkAppender(kind: kind)
    for i in times.indices { streamed.append(time: times[i], values[i]) }
    let plain = try ChunkCodec.decode(streamed.finish())
    #expect(plain.times == times, sourceLocation: sourceLocation)
    #expect(plain.values == values, sourceLocation: sourceLocation)
    #expect(header.minTime == (times.min() ?? 0), sourceLocation: sourceLocation)
    #expect(header.maxTime == (times.max() ?? 0), sourceLocation: sourceLocation)

    var iterator = try ChunkIterator(bytes)
    var streamedTimes: [Int64] = []
    var streamedValues: [ChunkValue] = []
    while let sample = try iterator.next() {
        streamedTimes.append(sample.time)
        streamedValues.append(sample.value)
    }
    #expect(streamedTimes == times, sourceLocation: sourceLocation)
    #expect(streamedValues == values, sourceLocation: sourceLocation)
    #expect(try iterator.next() == nil, sourceLocation: sourceLocation)
}

extension ChunkValue {
    var utf8Bytes: [UInt8] {
        if case .string(let s) = self { return Array(s.utf8) }
        return []
    }
}

struct RoundTripTests {
    static let kindsAndShapes: [(ChunkValueKind, TimeShape)] = ChunkValueKind.allCases.flatMap { kind in
        TimeShape.allCases.map { (kind, $0) }
    }

    @Test("random series round-trip bit-exactly", arguments: kindsAndShapes)
    func randomSeries(kind: ChunkValueKind, shape: TimeShape) throws {
        var rng = SeededGenerator(seed: UInt64(kind.rawValue) << 32 | UInt64(TimeShape.allCases.firstIndex(of: shape)!))
        for _ in 0..<40 {
            let count = [1, 2, 3, Int.random(in: 1...300, using: &rng)].randomElement(using: &rng)!
            let times = shape.times(count: count, using: &rng)
            let values = ValueFactory.values(kind, count: count, using: &rng)
            try expectRoundTrip(kind: kind, times: times, values: values)
        }
    }

    @Test("100 000 samples", arguments: ChunkValueKind.allCases)
    func largeChunk(kind: ChunkValueKind) throws {
        var rng = SeededGenerator(seed: 100_000 + UInt64(kind.rawValue))
        let times = TimeShape.collectdMilliseconds.times(count: 100_000, using: &rng)
        let values = ValueFactory.values(kind, count: 100_000, using: &rng)
        try expectRoundTrip(kind: kind, times: times, values: values)
    }

    @Test("empty chunk")
    func empty() throws {
        try expectRoundTrip(kind: .float, times: [], values: [])
        #expect(ChunkAppender(kind: .integer).finish() == [1, 2, 0, 0])
    }

    @Test("edge values", arguments: [
        [ChunkValue.float(-0.0), .float(0), .float(-0.0)],
        ValueFactory.specialDoubles.map(ChunkValue.float),
        [.float(.nan), .float(Double(bitPattern: 0x7FF8_0000_0000_0001)), .float(Double(bitPattern: 0xFFF0_0000_0000_0002))],
        [.integer(.min), .integer(.max), .integer(.min), .integer(0), .integer(.max)],
        [.unsigned(.max), .unsigned(0), .unsigned(UInt64(Int64.max) + 1), .unsigned(.max)],
        [.float(9_007_199_254_740_992), .float(-9_007_199_254_740_992), .float(9_007_199_254_740_992)],
        [.boolean(true), .boolean(false), .boolean(true)],
        [.string("é"), .string("e\u{301}"), .string("é"), .string(""), .string("e\u{301}")],
    ])
    func edgeValues(values: [ChunkValue]) throws {
        let times = values.indices.map { Int64($0) * 10_000_000_000 }
        try expectRoundTrip(kind: values[0].kind, times: times, values: values)
    }

    @Test("timestamps at the ends of the Int64 range")
    func extremeTimes() throws {
        let times: [Int64] = [.max, .min, .max, 0, .min, .min, .max - 1, .min + 1]
        try expectRoundTrip(kind: .integer, times: times, values: times.map(ChunkValue.integer))
        try expectRoundTrip(kind: .integer, times: [.min], values: [.integer(1)])
        try expectRoundTrip(kind: .integer, times: [.max], values: [.integer(1)])
    }

    @Test("integral doubles use the integer codec and keep their bits")
    func integralFloats() throws {
        let values = (0..<120).map { ChunkValue.float(Double(1_000_000 + $0 * 4096)) }
        let times = (0..<120).map { Int64($0) * 10_000_000_000 }
        let bytes = ChunkCodec.encode(kind: .float, times: times, values: values)
        #expect(bytes[2] & HeaderFlags.integralFloats != 0)
        try expectRoundTrip(kind: .float, times: times, values: values)

        var mixed = values
        mixed[60] = .float(-0.0)
        var mixedAppender = ChunkAppender(kind: .float)
        for i in times.indices { mixedAppender.append(time: times[i], mixed[i]) }
        #expect(mixedAppender.finish()[2] & HeaderFlags.integralFloats == 0)
        try expectRoundTrip(kind: .float, times: times, values: mixed)
    }

    @Test("floats with few decimal digits are stored as scaled integers, bit-exactly")
    func decimalFloats() throws {
        var rng = SeededGenerator(seed: 52)
        // /proc/loadavg-like values: two decimals.
        let loads = (0..<360).map { _ in ChunkValue.float(Double(Int.random(in: 0...800, using: &rng)) / 100) }
        let times = (0..<360).map { Int64($0) * 10_000_000_000 }
        let bytes = ChunkCodec.encode(kind: .float, times: times, values: loads)
        #expect(bytes[0] == 2)
        #expect(bytes[2] & HeaderFlags.integralFloats != 0)
        #expect(bytes[3] & 0x0F == 2)
        try expectRoundTrip(kind: .float, times: times, values: loads)
        // Smaller than the XOR codec would make it (forced by one non-decimal value first).
        let xor = ChunkCodec.encode(kind: .float, times: [-1] + times, values: [.float(1.0 / 3)] + loads)
        #expect(xor[0] == 1 && xor[2] & HeaderFlags.integralFloats == 0)
        #expect(bytes.count * 2 < xor.count)
    }

    @Test("Linux load averages (multiples of 1/2048) are stored on a binary scale")
    func binaryScale() throws {
        var rng = SeededGenerator(seed: 2048)
        var level = 2_000
        let loads = (0..<360).map { _ in
            level = max(0, level + Int.random(in: -30...30, using: &rng))
            return ChunkValue.float(Double(level) / 2048)
        }
        let times = (0..<360).map { Int64($0) * 10_000_000_000 }
        let bytes = ChunkCodec.encode(kind: .float, times: times, values: loads)
        #expect(bytes[0] == 2 && bytes[2] & HeaderFlags.integralFloats != 0)
        #expect(bytes[3] & 0x80 != 0 && bytes[3] & 0x0F == 11)
        try expectRoundTrip(kind: .float, times: times, values: loads)
        #expect(bytes.count * 8 < 360 * 10)  // XOR needs about 20 bits each
    }

    @Test("the decimal scale grows when a value needs more digits, and gives way to XOR", arguments: [
        [0.5, 0.25, 0.125, 3.0, -7.5],
        [1.0, 2.0, 0.1, 0.01, 0.001, 1e-15, 4.0],
        [0.52, 1.0 / 3, 0.52],
        [0.52, -0.0, 0.52],
        [0.1, 9e15, 0.1],
        [123_456_789.123, 0.001, 5e-16],
        [0.3, 0.1 + 0.2, 0.3],
        [0.84619140625, 1.9306640625, 2.0185546875, 0.5],
        [0.84619140625, 0.1, 2.0],
        [0.5, 0.1, 0.84619140625],
        [1.0 / 1024, 1.0 / 32768, 3.0, 1.0 / 65536],
        [1.5, .infinity, 1.5],
        [2.25, .nan, 2.25],
    ])
    func decimalEscalation(raw: [Double]) throws {
        let values = raw.map(ChunkValue.float)
        let times = raw.indices.map { Int64($0) * 1_000_000_000 }
        try expectRoundTrip(kind: .float, times: times, values: values)
        for split in 1..<raw.count {
            // The same values arriving after a chunk already holds a prefix.
            var appender = ChunkAppender(kind: .float)
            for i in 0..<split { appender.append(time: times[i], float: raw[i]) }
            _ = appender.finish()
            for i in split..<raw.count { appender.append(time: times[i], float: raw[i]) }
            let decoded = try ChunkCodec.decode(appender.finish())
            #expect(decoded.values == values)
        }
    }

    @Test("sealing picks the smallest codec options: integer order, time grid, raw floats", arguments: [
        ("random increments", 1), ("random levels", 0), ("noisy steady rate", 1), ("steady rate", 2), ("jittered grid", -1),
        ("random doubles", -2),
    ])
    func optimizedOptions(shape: String, expected: Int) throws {
        var rng = SeededGenerator(seed: 77)
        let n = 500
        var times = (0..<n).map { Int64($0) * 10_000_000_000 + 1_700_000_000_000_000_000 }
        var values: [ChunkValue] = []
        var kind = ChunkValueKind.integer
        var counter: Int64 = 1 << 30
        for i in 0..<n {
            switch shape {
            case "random increments":
                counter += Int64.random(in: 0..<1024, using: &rng)
                values.append(.integer(counter))
            case "random levels":
                values.append(.integer(Int64.random(in: 0..<(1 << 33), using: &rng)))
            case "noisy steady rate":
                // Delta minus its midrange (5 000) is ±3; the delta-of-delta would be ±6.
                counter += 5_000 + Int64.random(in: -3...3, using: &rng)
                values.append(.integer(counter))
            case "steady rate":
                counter += 5_000
                values.append(.integer(counter))
            case "jittered grid":
                times[i] += Int64.random(in: 0..<10, using: &rng) * 1_000_000
                values.append(.integer(7))
            default:
                kind = .float
                values.append(.float(Double.random(in: 0..<4, using: &rng)))
            }
        }
        var streamed = ChunkAppender(kind: kind)
        for i in times.indices { streamed.append(time: times[i], values[i]) }
        let plain = streamed.finish()
        let best = streamed.optimized().finish()
        try expectRoundTrip(kind: kind, times: times, values: values)
        #expect(try ChunkCodec.decode(best).values == values)
        #expect(try ChunkCodec.decode(best).times == times)
        #expect(best.count <= plain.count)
        switch expected {
        case 0, 1:
            #expect(best[0] == 2 && Int(best[3] >> 4 & 3) == expected)
            #expect(best.count * 100 < plain.count * 97)
        case 2:
            // Every order codes it in about a bit per sample: whichever wins, nothing grows.
            #expect(best.count <= plain.count)
        case -1:
            #expect(best[0] == 2 && best[3] & 0x40 != 0)
            #expect(best.count * 100 < plain.count * 97)
        default:
            #expect(best[0] == 2 && best[3] & 0x80 != 0)
        }
    }

    @Test("options carried into the next chunk stream correctly, whatever that chunk holds", arguments: TimeShape.allCases)
    func carriedOptions(shape: TimeShape) throws {
        var rng = SeededGenerator(seed: 4242)
        for kind in [ChunkValueKind.integer, .float, .unsigned, .string] {
            var appender = ChunkAppender(kind: kind)
            // A first chunk that makes `optimized()` pick non-default options (grid times, delta order).
            var counter: Int64 = 1_000
            for i in 0..<200 {
                counter += Int64.random(in: 0..<1024, using: &rng)
                let time = 1_700_000_000_000_000_000 + Int64(i) * 10_000_000_000 + Int64.random(in: 0..<10, using: &rng) * 1_000_000
                let value: ChunkValue = switch kind {
                case .integer: .integer(counter)
                case .unsigned: .unsigned(UInt64(counter))
                case .float: .float(Double(counter))
                default: .string("s\(counter % 3)")
                }
                appender.append(time: time, value)
            }
            let chosen = appender.optimized()
            appender.reset(carrying: chosen.options)
            // The next chunk: any times and values of the kind.
            let count = Int.random(in: 1...300, using: &rng)
            let times = shape.times(count: count, using: &rng)
            let values = ValueFactory.values(kind, count: count, using: &rng)
            for i in times.indices { appender.append(time: times[i], values[i]) }
            let decoded = try ChunkCodec.decode(appender.finish())
            #expect(decoded.times == times)
            #expect(decoded.values == values)
            #expect(decoded.values.map(\.utf8Bytes) == values.map(\.utf8Bytes))
        }
    }

    @Test("a version-1 chunk (before codec options) still decodes")
    func versionOneChunk() throws {
        // Written by the version-1 encoder: floats 0.5, 0.75, 1.25 at 0, 10 s, 20 s (XOR codec).
        let v1: [UInt8] = [1, 1, 9, 3, 0, 20, 63, 224, 0, 0, 0, 0, 0, 0, 197, 108, 6, 214, 31]
        let decoded = try ChunkCodec.decode(v1)
        #expect(decoded.times == [0, 10_000_000_000, 20_000_000_000])
        #expect(decoded.values == [.float(0.5), .float(0.75), .float(1.25)])
        var reserved = v1
        reserved[2] |= HeaderFlags.reserved
        #expect(throws: ChunkError.self) { try ChunkCodec.decode(reserved) }
        var future = v1
        future[0] = ChunkHeader.newestVersion + 1
        #expect(throws: ChunkError.unsupportedVersion) { try ChunkCodec.decode(future) }
    }

    @Test("the time scale is the largest power of ten dividing every time")
    func timeScale() throws {
        let ms: [Int64] = [1_700_000_000_123_000_000, 1_700_000_010_124_000_000]
        #expect(ChunkCodec.encode(kind: .boolean, times: ms, values: [.boolean(true), .boolean(false)])[2] & 0x1F == 6)
        let mixed: [Int64] = ms + [1_700_000_020_124_000_001]
        let bytes = ChunkCodec.encode(kind: .boolean, times: mixed, values: [.boolean(true), .boolean(false), .boolean(true)])
        #expect(bytes[2] & 0x1F == 0)
        try expectRoundTrip(kind: .boolean, times: mixed, values: [.boolean(true), .boolean(false), .boolean(true)])
    }

    @Test("finish leaves the appender usable")
    func finishTwice() throws {
        var appender = ChunkAppender(kind: .integer)
        appender.append(time: 10, integer: 5)
        let first = appender.finish()
        appender.append(time: 20, integer: 7)
        let second = appender.finish()
        #expect(try ChunkCodec.decode(first).values == [.integer(5)])
        #expect(try ChunkCodec.decode(second).values == [.integer(5), .integer(7)])
        #expect(appender.count == 2)
        #expect(appender.kind == .integer)
    }

    @Test("ChunkValue equality is bit-exact for doubles")
    func valueEquality() {
        #expect(ChunkValue.float(.nan) == .float(.nan))
        #expect(ChunkValue.float(0) != .float(-0.0))
        #expect(ChunkValue.float(.nan) != .float(-.nan))
        #expect(Set([ChunkValue.float(0), .float(-0.0), .float(0)]).count == 2)
        #expect(ChunkValue.integer(1) != .unsigned(1))
    }
}

/// An appender is a value: a copy taken mid-chunk (a head copied for a query) keeps its own
/// string dictionary and time reference while the original goes on appending.
@Suite struct AppenderCopyTests {
    static func strings(_ bytes: [UInt8]) throws -> [String] {
        try ChunkCodec.decode(bytes).values.map { value -> String in
            if case .string(let s) = value { return s }
            return "?"
        }
    }

    @Test func aCopiedStringAppenderKeepsItsOwnDictionary() throws {
        var original = ChunkAppender(kind: .string)
        original.append(time: 1, .string("alpha"))
        original.append(time: 2, .string("beta"))
        let copy = original
        original.append(time: 3, .string("gamma"))
        original.append(time: 4, .string("alpha"))
        var other = copy
        other.append(time: 5, .string("delta"))
        #expect(try Self.strings(copy.finish()) == ["alpha", "beta"])
        #expect(try Self.strings(original.finish()) == ["alpha", "beta", "gamma", "alpha"])
        #expect(try Self.strings(other.finish()) == ["alpha", "beta", "delta"])
        original.reset()
        original.append(time: 6, .string("beta"))
        #expect(try Self.strings(original.finish()) == ["beta"])
        #expect(try Self.strings(copy.finish()) == ["alpha", "beta"])
    }
}
