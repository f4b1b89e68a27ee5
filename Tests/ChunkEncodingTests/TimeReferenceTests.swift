import Testing
@testable import ChunkEncoding
import TestSupport

/// Encodes against `reference`, then checks every decoder gives back exactly the input, the
/// header names the reference, and decoding without the reference is refused.
func expectReferenceRoundTrip(
    kind: ChunkValueKind, times: [Int64], values: [ChunkValue], reference: TimeReference,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let bytes = ChunkCodec.encode(kind: kind, times: times, values: values, reference: reference)
    let decoded = try ChunkCodec.decode(bytes, reference: reference.times)
    #expect(decoded.times == times, sourceLocation: sourceLocation)
    #expect(decoded.values == values, sourceLocation: sourceLocation)
    #expect(decoded.values.map(\.utf8Bytes) == values.map(\.utf8Bytes), sourceLocation: sourceLocation)

    let header = try ChunkHeader.read(bytes)
    // Run-coded when that costs less than version 3's bit per sample; version 4 when run-coded or
    // with Exp-Golomb values.
    let costs = times.count >= 2 ? ChunkCodec.referenceTimeCosts(times, reference: reference.times) : nil
    let runCoded = costs.map { !$0.exact && $0.runs.bits + 8 < $0.perSample } == true
    let layout = try bytes.withUnsafeBytes { raw in try ChunkLayout(parsing: raw) }
    #expect((layout.runOrder != nil) == runCoded, sourceLocation: sourceLocation)
    let version: UInt8 = runCoded || layout.codec.golomb != nil ? 4 : 3
    #expect(header == ChunkHeader(version: version, kind: kind, count: times.count, minTime: times.first ?? 0,
                                  maxTime: times.last ?? 0, timeReference: reference.id), sourceLocation: sourceLocation)
    #expect(try ChunkHeader.read(prefix: Array(bytes.prefix(ChunkHeader.maxByteCount))) == header, sourceLocation: sourceLocation)

    var iterator = try ChunkIterator(bytes, reference: reference.times)
    var streamed: [Int64] = []
    var streamedValues: [ChunkValue] = []
    while let sample = try iterator.next() {
        streamed.append(sample.time)
        streamedValues.append(sample.value)
    }
    #expect(streamed == times, sourceLocation: sourceLocation)
    #expect(streamedValues == values, sourceLocation: sourceLocation)
    if !times.isEmpty {
        let middle = times.count / 2
        try iterator.seek(to: times[middle])
        #expect(try iterator.next()?.time == times[middle], sourceLocation: sourceLocation)
    }

    if kind == .float {
        var floatTimes: [Int64] = []
        var floatValues: [Double] = []
        #expect(try ChunkCodec.appendFloats(bytes, from: .min, through: .max, times: &floatTimes, values: &floatValues,
                                            reference: reference.times), sourceLocation: sourceLocation)
        #expect(floatTimes == times, sourceLocation: sourceLocation)
        #expect(floatValues.map(ChunkValue.float) == values, sourceLocation: sourceLocation)
        // Ranges ending inside the chunk (where reading stops early) and around it.
        if let first = times.first, let last = times.last {
            let cuts = [first - 1, first, times[times.count / 3], times[times.count / 2] + 1, times[2 * times.count / 3], last, last + 1]
            for lo in cuts {
                for hi in cuts where hi >= lo {
                    var rangeTimes: [Int64] = [-7], rangeValues: [Double] = [-7]
                    #expect(try ChunkCodec.appendFloats(bytes, from: lo, through: hi, times: &rangeTimes, values: &rangeValues,
                                                        reference: reference.times), sourceLocation: sourceLocation)
                    let kept = times.indices.filter { times[$0] >= lo && times[$0] <= hi }
                    #expect(rangeTimes == [-7] + kept.map { times[$0] }, sourceLocation: sourceLocation)
                    #expect(rangeValues.dropFirst().map(ChunkValue.float) == kept.map { values[$0] }, sourceLocation: sourceLocation)
                }
            }
        }
    }

    #expect(throws: ChunkError.missingReference, sourceLocation: sourceLocation) { try ChunkCodec.decode(bytes) }
    #expect(throws: ChunkError.missingReference, sourceLocation: sourceLocation) { try ChunkIterator(bytes) }
}

/// Reference shapes against a chunk's own times.
enum ReferenceShape: CaseIterable, Sendable {
    /// The same timestamps.
    case exact
    /// One in ten differs by 1–3 ms.
    case tenPercentExceptions
    /// The same timestamps followed by more (the chunk covers a prefix of the clock).
    case longer

    func reference(for times: [Int64], using rng: inout SeededGenerator) -> [Int64] {
        switch self {
        case .exact:
            return times
        case .tenPercentExceptions:
            return times.map { time in
                guard Int.random(in: 0..<10, using: &rng) == 0 else { return time }
                return time + Int64([-3, -2, -1, 1, 2, 3].randomElement(using: &rng)!) * 1_000_000
            }
        case .longer:
            let last = times.last ?? 1_700_000_000_000_000_000
            return times + (1...Int.random(in: 1...50, using: &rng)).map { last + Int64($0) * 10_000_000_000 }
        }
    }
}

struct TimeReferenceTests {
    static let kindsAndShapes: [(ChunkValueKind, ReferenceShape)] = ChunkValueKind.allCases.flatMap { kind in
        ReferenceShape.allCases.map { (kind, $0) }
    }

    @Test("every kind round-trips against exact, jittered and longer references", arguments: kindsAndShapes)
    func roundTrip(kind: ChunkValueKind, shape: ReferenceShape) throws {
        var rng = SeededGenerator(seed: 3_000 + UInt64(kind.rawValue) << 8 + UInt64(ReferenceShape.allCases.firstIndex(of: shape)!))
        for round in 0..<30 {
            let count = [0, 1, 2, 3, Int.random(in: 4...400, using: &rng)][round % 5]
            let times = TimeShape.collectdMilliseconds.times(count: count, using: &rng)
            let values = ValueFactory.values(kind, count: count, using: &rng)
            let reference = TimeReference(id: Int64.random(in: 0...Int64.max, using: &rng) >> (round * 2 % 63),
                                          times: shape.reference(for: times, using: &rng))
            try expectReferenceRoundTrip(kind: kind, times: times, values: values, reference: reference)
        }
    }

    static let precisions: [Int64] = [1, 1_000, 1_000_000, 1_000_000_000]

    @Test("chunk and reference in different precisions (ns, µs, ms, s)",
          arguments: precisions.flatMap { chunk in precisions.map { (chunk, $0) } })
    func mixedPrecisions(chunkUnit: Int64, referenceUnit: Int64) throws {
        var rng = SeededGenerator(seed: UInt64(chunkUnit) &* 31 &+ UInt64(referenceUnit))
        let count = 200
        // Instants 10 s apart with scheduler jitter, rounded down to each side's precision.
        let instants = (0..<count).map { i in
            1_700_000_000_000_000_000 + Int64(i) * 10_000_000_000 + Int64.random(in: 0..<5_000_000_000, using: &rng)
        }
        let times = instants.map { $0 / chunkUnit * chunkUnit }
        let reference = TimeReference(id: 7, times: instants.map { $0 / referenceUnit * referenceUnit })
        for kind in ChunkValueKind.allCases {
            try expectReferenceRoundTrip(kind: kind, times: times, values: ValueFactory.values(kind, count: count, using: &rng),
                                         reference: reference)
        }
        // The scale divides both sides (each side's 10^k, capped at whole seconds).
        let bytes = ChunkCodec.encode(kind: .boolean, times: times, values: times.map { _ in .boolean(true) }, reference: reference)
        let exponent = TimeScale.exponent(dividing: Swift.min(chunkUnit, referenceUnit))
        #expect(Int(bytes[2] & HeaderFlags.scaleMask) == Swift.min(exponent, TimeScale.firstSampleMaxExponent))
    }

    @Test("the first sample's time is its own; only later samples are coded against the reference")
    func firstSampleFree() throws {
        let times: [Int64] = [1_000_000_000, 2_000_000_000, 3_000_000_000]
        let values = times.map(ChunkValue.integer)
        // A reference entry 0 of ns precision does not lower the scale: it is never used.
        let reference = TimeReference(id: 1, times: [5, 2_000_000_000, 3_000_000_000])
        let bytes = ChunkCodec.encode(kind: .integer, times: times, values: values, reference: reference)
        #expect(bytes[2] & HeaderFlags.scaleMask == 9)
        try expectReferenceRoundTrip(kind: .integer, times: times, values: values, reference: reference)
        // Entry 1 is used.
        let finer = TimeReference(id: 1, times: [0, 2_000_000_005, 3_000_000_000])
        let second = ChunkCodec.encode(kind: .integer, times: times, values: values, reference: finer)
        #expect(second[2] & HeaderFlags.scaleMask == 0)
        try expectReferenceRoundTrip(kind: .integer, times: times, values: values, reference: finer)
    }

    @Test("a chunk equal to its reference is flagged exact and writes no time bits")
    func exactMatchSize() throws {
        var rng = SeededGenerator(seed: 90)
        // Busy-host ms data: dods of several ms, ~8 bits per timestamp on their own.
        let count = 360
        var times: [Int64] = []
        var time: Int64 = 1_700_000_000_000_000_000
        for _ in 0..<count {
            time += 10_000_000_000 + Int64.random(in: -20...20, using: &rng) * 1_000_000
            times.append(time)
        }
        let values = (0..<count).map { ChunkValue.float(Double($0 % 7) * 0.25) }
        let own = ChunkCodec.ownTimeBits(times)
        #expect(ChunkCodec.referenceTimeBits(times, reference: times) == 0)
        #expect(own > 5 * count)

        let plain = ChunkCodec.encode(kind: .float, times: times, values: values)
        let referenced = ChunkCodec.encode(kind: .float, times: times, values: values, reference: TimeReference(id: 12, times: times))
        // Same header fields; the time stream is gone (give or take the header's codec byte,
        // reference id and padding) and the values take no more (version 4's Exp-Golomb codes
        // when smaller).
        let saved = (plain.count - referenced.count) * 8
        #expect(saved - own >= -24)
        // One timestamp off: the flag goes; run-coded (version 4), the times cost a run length
        // and the exception, not a bit per sample.
        var shifted = times
        shifted[count - 1] += 1_000_000
        let offByOne = ChunkCodec.referenceTimeBits(times, reference: shifted)
        #expect(offByOne > 0 && offByOne < 40)
        try expectReferenceRoundTrip(kind: .float, times: times, values: values, reference: TimeReference(id: 12, times: times))
    }

    @Test("ten percent of timestamps off by ±1–3 ms cost a fifth less run-coded")
    func exceptionsSize() throws {
        var rng = SeededGenerator(seed: 91)
        let times = TimeShape.collectdMilliseconds.times(count: 1_000, using: &rng)
        let reference = ReferenceShape.tenPercentExceptions.reference(for: times, using: &rng)
        let exceptions = zip(times, reference).dropFirst().filter { $0 != $1 }.count
        let bits = ChunkCodec.referenceTimeBits(times, reference: reference)
        // Version 3: 1 bit per match, a 4-bit bucket and its 2-bit prefix per exception.
        let perSample = (999 - exceptions) + exceptions * 6
        #expect(ChunkCodec.referenceTimeCosts(times, reference: reference).perSample == perSample)
        // Version 4 (with its order byte) codes runs of matches in a few bits each (a negative
        // distance costs more there, and half of these are negative).
        #expect(bits < perSample * 4 / 5)
    }

    @Test("the time cost functions measure what the encoders write")
    func costFunctions() throws {
        var rng = SeededGenerator(seed: 92)
        for shape in TimeShape.allCases {
            let times = shape.times(count: 300, using: &rng)
            // A time sequence's body is exactly what its cost function says, and never more than
            // the timestamps' own cost in a chunk.
            let clock = ChunkCodec.encodeTimes(times)
            let layout = try clock.withUnsafeBytes { raw in try ChunkLayout(parsing: raw, timesOnly: true) }
            let gridFields = layout.codec.timeGrid
                ? 8 * (ChunkAppender.varintLength(UInt64(bitPattern: (layout.gridInterval << 1) ^ (layout.gridInterval >> 63)))
                    + ChunkAppender.varintLength(UInt64(bitPattern: (layout.gridOffset << 1) ^ (layout.gridOffset >> 63))))
                : 0
            let orderByte = layout.timeOrder == nil ? 0 : 8
            let padding = (clock.count - layout.bodyOffset) * 8 - (ChunkCodec.clockTimeBits(times) - gridFields - orderByte)
            #expect(padding >= 0 && padding < 8)
            #expect(ChunkCodec.clockTimeBits(times) <= ChunkCodec.ownTimeBits(times))
        }
        for exponent in [0, 3, 6] {
            for _ in 0..<2_000 {
                let dod = Int64(bitPattern: rng.next()) >> Int64.random(in: 0...63, using: &rng)
                var bits = BitWriter()
                TimeBuckets.write(dod, scaleExponent: exponent, to: &bits)
                #expect(TimeBuckets.bitCount(dod, table: TimeBuckets.table(scaleExponent: exponent)) == bits.bitCount)
            }
        }
        #expect(ChunkCodec.referenceTimeBits([1, 2, 3], reference: [1, 2]) == Int.max)
        #expect(ChunkCodec.ownTimeBits([5]) == 0)
    }

    @Test("value options match what encode(kind:times:values:) picks")
    func valueOptions() throws {
        var rng = SeededGenerator(seed: 93)
        let times = (0..<400).map { Int64($0) * 10_000_000_000 + 1_700_000_000_000_000_000 }
        var level = 1_000
        let loads = times.map { _ in
            level = Swift.max(0, level + Int.random(in: -30...30, using: &rng))
            return ChunkValue.float(Double(level) / 2048)
        }
        var counter: Int64 = 0
        let increments = times.map { _ in
            counter += Int64.random(in: 0..<1024, using: &rng)
            return ChunkValue.integer(counter)
        }
        let doubles = times.map { _ in ChunkValue.float(Double.random(in: 0..<4, using: &rng)) }
        for (kind, values) in [(ChunkValueKind.float, loads), (.integer, increments), (.float, doubles)] {
            let plain = ChunkCodec.encode(kind: kind, times: times, values: values)
            let referenced = ChunkCodec.encode(kind: kind, times: times, values: values, reference: TimeReference(id: 3, times: times))
            let layout = try referenced.withUnsafeBytes { raw in try ChunkLayout(parsing: raw) }
            if layout.codec.golomb == nil {
                #expect(plain[0] == 2 && referenced[0] == 3)
                // Same flags and codec byte (no grid on either: the times are regular).
                #expect(referenced[2] == plain[2] && referenced[3] & ~0x40 == plain[3])  // 0x40: exact reference
            } else {
                // Exp-Golomb values (version 4): same flags (scale, integral floats), fewer bytes.
                #expect(plain[0] == 2 && referenced[0] == 4 && referenced[2] == plain[2])
                #expect(referenced.count < plain.count)
            }
            try expectReferenceRoundTrip(kind: kind, times: times, values: values, reference: TimeReference(id: 3, times: times))
        }
    }

    @Test("a missing or short reference is an error, an unused one is ignored")
    func referenceErrors() throws {
        let times: [Int64] = [10_000, 20_000, 30_000]
        let bytes = ChunkCodec.encode(kind: .float, times: times, values: [.float(1), .float(2), .float(3)],
                                      reference: TimeReference(id: 300, times: times))
        #expect(try ChunkHeader.read(bytes).timeReference == 300)
        let short = ChunkError.corrupt(reason: "reference shorter than the chunk")
        #expect(throws: short) { try ChunkCodec.decode(bytes, reference: [10_000, 20_000]) }
        #expect(throws: short) { try ChunkIterator(bytes, reference: []) }
        var floatTimes: [Int64] = []
        var floatValues: [Double] = []
        #expect(throws: ChunkError.missingReference) {
            try ChunkCodec.appendFloats(bytes, from: .min, through: .max, times: &floatTimes, values: &floatValues)
        }
        #expect(throws: short) {
            try ChunkCodec.appendFloats(bytes, from: .min, through: .max, times: &floatTimes, values: &floatValues, reference: [1])
        }
        #expect(throws: ChunkError.missingReference) { try ChunkIterator(bytes, expecting: .float) }
        // A wrong reference gives other times, within the header's range or rejected.
        #expect(throws: ChunkError.self) { try ChunkCodec.decode(bytes, reference: [0, 20_000, 40_000]) }

        let plain = ChunkCodec.encode(kind: .float, times: times, values: [.float(1), .float(2), .float(3)])
        #expect(try ChunkHeader.read(plain).timeReference == nil)
        #expect(try ChunkCodec.decode(plain, reference: [1]).times == times)
        #expect(try ChunkCodec.decode(plain, reference: nil).times == times)
    }

    @Test("a streaming appender keeps its reference through time-scale and float-codec rewrites")
    func rewritesKeepReference() throws {
        let times: [Int64] = [10_000_000_000, 20_000_000_000, 30_000_001_000, 40_000_000_000, 50_000_000_001, 60_000_000_000]
        let reference = TimeReference(id: 9, times: [0, 20_000_000_000, 30_000_000_000, 40_000_000_000, 50_000_000_000, 60_000_000_007, 1])
        let values: [Double] = [1, 2, 2.5, 1.0 / 3, 7, 8]
        var appender = ChunkAppender(kind: .float, scaleExponent: 9, integralFloats: true, codec: CodecOptions(), reference: reference)
        for i in times.indices { appender.append(time: times[i], float: values[i]) }
        let bytes = appender.finish()
        #expect(bytes[0] == 3 && bytes[2] & HeaderFlags.scaleMask == 0 && bytes[2] & HeaderFlags.integralFloats == 0)
        let decoded = try ChunkCodec.decode(bytes, reference: reference.times)
        #expect(decoded.times == times)
        #expect(decoded.values == values.map(ChunkValue.float))
        #expect(appender.optimized().finish() == bytes)
    }

    @Test("every strict prefix of a referenced chunk throws")
    func truncation() throws {
        var rng = SeededGenerator(seed: 94)
        for kind in ChunkValueKind.allCases {
            let times = TimeShape.collectdMilliseconds.times(count: 60, using: &rng)
            let reference = ReferenceShape.tenPercentExceptions.reference(for: times, using: &rng)
            let chunk = ChunkCodec.encode(kind: kind, times: times, values: ValueFactory.values(kind, count: 60, using: &rng),
                                          reference: TimeReference(id: 1 << 40, times: reference))
            for length in 0..<chunk.count {
                let prefix = Array(chunk.prefix(length))
                #expect(throws: ChunkError.self) { try ChunkCodec.decode(prefix, reference: reference) }
            }
        }
    }

    @Test("bad version-3 header fields are rejected", arguments: [
        // Reference id above Int64.max.
        ([3, 2, 0, 0x20, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0], ChunkError.corrupt(reason: "reference id out of range")),
        // Exact (0x40) against a reference that does not ascend.
        ([3, 2, 0, 0x60, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], .corrupt(reason: "timestamp out of range")),
        ([3, 2, 0x40, 0x20, 1, 2, 0, 2, 1, 0], .corrupt(reason: "first time after minimum on a referenced chunk")),
        ([3, 4, 0, 0x20, 1, 2, 0, 2, 0xFF], .corrupt(reason: "timestamp out of range")),
        ([3, 0, 0, 0x20, 1, 0], .corrupt(reason: "unknown value kind")),
        ([5, 2, 0, 0x20, 1, 0], .unsupportedVersion),
        // Version 4: an order above 15, runs on an exact chunk, a run code of 32 zero bits.
        ([4, 2, 0, 0x20, 1, 16, 0xFF, 2, 0, 1, 0], .corrupt(reason: "run order out of range")),
        ([4, 2, 0, 0x60, 1, 0, 0xFF, 2, 0, 1, 0], .corrupt(reason: "run-coded times on an exact chunk")),
        ([4, 2, 0, 0x20, 1, 0, 0xFF, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0], .corrupt(reason: "bad run length")),
        // Version 4 values: an order above 62, Exp-Golomb codes on floats, booleans and constants.
        ([4, 2, 0, 0x20, 1, 0x80, 63, 2, 0, 1, 0], .corrupt(reason: "value order out of range")),
        ([4, 1, 0, 0x20, 1, 0x80, 3, 2, 0, 1, 0], .corrupt(reason: "Exp-Golomb values on a chunk without them")),
        ([4, 4, 0, 0x20, 1, 0x80, 3, 2, 0, 1, 0], .corrupt(reason: "Exp-Golomb values on a chunk without them")),
        ([4, 2, 0, 0x30, 1, 0x80, 3, 2, 0, 1, 0], .corrupt(reason: "Exp-Golomb values on a chunk without them")),
    ] as [([UInt8], ChunkError)])
    func badHeaders(bytes: [UInt8], error: ChunkError) {
        #expect(throws: error) { try ChunkCodec.decode(bytes, reference: [0, 0, 0]) }
    }

    @Test("random corruption of referenced chunks never traps", arguments: 0..<4)
    func bitFlips(seed: Int) {
        var rng = SeededGenerator(seed: 2_000 + UInt64(seed))
        var thrown = 0
        for kind in ChunkValueKind.allCases {
            let times = TimeShape.collectdMilliseconds.times(count: 50, using: &rng)
            let reference = ReferenceShape.tenPercentExceptions.reference(for: times, using: &rng)
            let chunk = ChunkCodec.encode(kind: kind, times: times, values: ValueFactory.values(kind, count: 50, using: &rng),
                                          reference: TimeReference(id: 77, times: reference))
            for _ in 0..<200 {
                var damaged = chunk
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    let i = Int.random(in: 0..<damaged.count, using: &rng)
                    damaged[i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
                }
                do {
                    let decoded = try ChunkCodec.decode(damaged, reference: reference)
                    let header = try ChunkHeader.read(damaged)
                    #expect(decoded.times.count == header.count)
                    #expect(decoded.times.allSatisfy { $0 >= header.minTime && $0 <= header.maxTime })
                } catch {
                    thrown += 1
                }
            }
        }
        #expect(thrown > 0)
    }
}
