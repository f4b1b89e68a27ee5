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
    #expect(header.version == 1, sourceLocation: sourceLocation)
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
        let mixedBytes = ChunkCodec.encode(kind: .float, times: times, values: mixed)
        #expect(mixedBytes[2] & HeaderFlags.integralFloats == 0)
        try expectRoundTrip(kind: .float, times: times, values: mixed)
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
