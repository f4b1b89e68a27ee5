import Testing
@testable import ChunkEncoding
import TestSupport

/// Version 4: a referenced chunk's times coded as runs of samples equal to the clock.
struct TimeRunsTests {
    static let base: Int64 = 1_700_000_000_000_000_000

    /// A clock at 10 s and a chunk equal to it except at `offsets` (index → distance in ms).
    static func shape(count: Int, offsets: [Int: Int64]) -> (times: [Int64], reference: [Int64]) {
        let reference = (0..<count).map { base + Int64($0) * 10_000_000_000 }
        var times = reference
        for (i, d) in offsets { times[i] += d * 1_000_000 }
        return (times, reference)
    }

    static let cases: [(count: Int, offsets: [Int: Int64])] = [
        (2, [1: 1]),
        (3, [1: 4]),
        (50, [49: 2]),
        (50, [0: 3, 1: 1]),
        (300, [1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: -1, 200: 7_000, 299: -4]),
        (500, [10: 1, 11: 1, 12: 1, 400: 2]),
        (2_000, Dictionary(uniqueKeysWithValues: stride(from: 3, to: 2_000, by: 7).map { ($0, Int64($0 % 5 + 1)) })),
        (1_200, [600: 1]),
    ]

    @Test("run-coded chunks round-trip through every decoder and cost what the cost function says", arguments: cases.indices)
    func roundTrip(index: Int) throws {
        let (count, offsets) = Self.cases[index]
        let (times, reference) = Self.shape(count: count, offsets: offsets)
        for kind in ChunkValueKind.allCases {
            let values: [ChunkValue] = (0..<count).map { i in
                switch kind {
                case .float: .float(Double(i % 9) * 0.5)
                case .integer: .integer(Int64(i * 3))
                case .unsigned: .unsigned(UInt64(i))
                case .boolean: .boolean(i % 4 == 0)
                case .string: .string(["up", "down"][i % 2])
                }
            }
            let clock = TimeReference(id: 7, times: reference + [reference.last! + 10_000_000_000])
            try expectReferenceRoundTrip(kind: kind, times: times, values: values, reference: clock)
            let bytes = ChunkCodec.encode(kind: kind, times: times, values: values, reference: clock)
            // Two or three samples: version 3's bit per sample is cheaper than an order byte.
            let layout = try bytes.withUnsafeBytes { raw in try ChunkLayout(parsing: raw) }
            #expect((layout.runOrder != nil) == (count >= 50), "\(kind) \(count)")
        }
    }

    @Test("a constant run-coded against its clock takes a few bytes however long, and the clock bounds its count")
    func constantIsFree() throws {
        let (times, reference) = Self.shape(count: 4_000, offsets: [2_000: 1])
        let values = [ChunkValue](repeating: .integer(42), count: times.count)
        let bytes = ChunkCodec.encode(kind: .integer, times: times, values: values, reference: TimeReference(id: 1, times: reference))
        #expect(bytes[0] == 4)
        #expect(bytes.count < 40)
        #expect(try ChunkCodec.decode(bytes, reference: reference).times == times)
        #expect(throws: ChunkError.corrupt(reason: "reference shorter than the chunk")) {
            try ChunkCodec.decode(bytes, reference: Array(reference.prefix(100)))
        }
    }

    @Test("a chunk finished inside a run reads back its samples so far")
    func finishedInsideARun() throws {
        let (times, reference) = Self.shape(count: 100, offsets: [90: 2])
        var appender = ChunkAppender(kind: .float, scaleExponent: 6, integralFloats: true, codec: CodecOptions(),
                                     reference: TimeReference(id: 3, times: reference))
        appender.codeRuns(order: 2, times: times)
        for i in 0..<40 { appender.append(time: times[i], float: Double(i)) }
        let partial = appender.finish()
        #expect(partial[0] == 4)
        #expect(try ChunkCodec.decode(partial, reference: reference).times == Array(times.prefix(40)))
        for i in 40..<100 { appender.append(time: times[i], float: Double(i)) }
        #expect(try ChunkCodec.decode(appender.finish(), reference: reference).times == times)
    }

    @Test("run lengths and exceptions read back what was written", arguments: [0, 1, 3, 15])
    func codes(order: Int) {
        var bits = BitWriter()
        let runs = [0, 1, 2, 7, 100, 65_535, 1 << 31]
        let distances: [Int64] = [1, 2, 3, 4, 5, -1, -1_000, .max, .min]
        for r in runs { TimeRuns.writeRun(r, order: order, to: &bits) }
        for d in distances { TimeRuns.writeException(d, scaleExponent: 6, to: &bits) }
        #expect(bits.bitCount == runs.map { TimeRuns.runBits($0, order: order) }.reduce(0, +)
            + distances.map { TimeRuns.exceptionBits($0, table: TimeBuckets.table(scaleExponent: 6)) }.reduce(0, +))
        var bytes: [UInt8] = []
        bits.copyBytes(into: &bytes)
        bytes.append(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        bytes.withUnsafeBytes { raw in
            var reader = BitReader(raw)
            for r in runs { #expect(TimeRuns.readRun(order: order, from: &reader) == r) }
            for d in distances { #expect(TimeRuns.readException(TimeBuckets.table(scaleExponent: 6), from: &reader) == d) }
        }
    }
}

/// Version 4: integer-coded values as Exp-Golomb codes.
struct GolombValueTests {
    @Test("random walks and noisy levels take Exp-Golomb values and round-trip", arguments: 0..<6)
    func randomWalks(seed: Int) throws {
        var rng = SeededGenerator(seed: 7_700 + UInt64(seed))
        let count = [5, 40, 360, 2_160, 3, 700][seed]
        let reference = (0..<count).map { TimeRunsTests.base + Int64($0) * 10_000_000_000 }
        var level: Int64 = 1 << 33
        var walk: [Int64] = []
        for _ in 0..<count {
            level += Int64.random(in: -3_000...3_000, using: &rng)
            walk.append(level)
        }
        let clock = TimeReference(id: 2, times: reference)
        let shapes: [(ChunkValueKind, [ChunkValue])] = [
            (.integer, walk.map { .integer($0) }),
            (.unsigned, walk.map { .unsigned(UInt64($0)) }),
            // Load averages: two decimals, a random walk of hundredths.
            (.float, walk.map { .float(Double($0 % 500 + 500) / 100) }),
            // A level with noise around it (order 0 centred on the median).
            (.integer, (0..<count).map { _ in .integer(1_000_000 + Int64.random(in: -70...70, using: &rng)) }),
            // Extremes: escapes on both sides.
            (.integer, (0..<count).map { i in .integer(i % 2 == 0 ? .max - Int64(i) : .min + Int64(i)) }),
        ]
        for (kind, values) in shapes {
            try expectReferenceRoundTrip(kind: kind, times: reference, values: values, reference: clock)
            let bytes = ChunkCodec.encode(kind: kind, times: reference, values: values, reference: clock)
            let layout = try bytes.withUnsafeBytes { raw in try ChunkLayout(parsing: raw) }
            if let golomb = layout.codec.golomb {
                #expect(bytes[0] == 4)
                #expect(golomb <= SignedCodes.maxOrder)
            }
        }
        // A long walk is cheaper as Exp-Golomb codes than in windows.
        if count >= 360 {
            let bytes = ChunkCodec.encode(kind: .integer, times: reference, values: walk.map { .integer($0) }, reference: clock)
            let layout = try bytes.withUnsafeBytes { raw in try ChunkLayout(parsing: raw) }
            #expect(layout.codec.golomb != nil)
        }
    }

    @Test("signed codes read back what was written at every order", arguments: [0, 1, 5, 20, 40, 62])
    func signedCodes(order: Int) {
        let values: [Int64] = [0, 1, -1, 2, -2, 1_000, -65_536, 1 << 40, .max, .min, .max - 1, .min + 1]
        var bits = BitWriter()
        for v in values { SignedCodes.write(v, order: order, to: &bits) }
        #expect(bits.bitCount == values.map { SignedCodes.bits($0, order: order) }.reduce(0, +))
        var bytes: [UInt8] = []
        bits.copyBytes(into: &bytes)
        bytes.withUnsafeBytes { raw in
            var reader = BitReader(raw)
            for v in values { #expect(SignedCodes.read(order: order, from: &reader) == v) }
            #expect(!reader.isOverrun)
        }
    }

    @Test("unsigned codes of every length read back at every order and bit alignment")
    func everyLength() {
        var rng = SeededGenerator(seed: 57)
        for order in [0, 1, 3, 7, 12, 24, 27, 28, 29, 30, 31, 40, 55, 56, 57, 62] {
            var numbers: [UInt64] = []
            for length in 0...64 {
                let top: UInt64 = length == 0 ? 0 : 1 << UInt64(length - 1)
                let low: UInt64 = length <= 1 ? 0 : UInt64.random(in: 0...UInt64.max, using: &rng) >> UInt64(65 - length)
                numbers.append(top | low)
                numbers.append(top == 0 ? 0 : (top << 1) &- 1)
            }
            for shift in 0..<8 {
                var bits = BitWriter()
                bits.write(0, count: shift)
                for z in numbers { ExpGolomb.write(z, order: order, to: &bits) }
                var bytes: [UInt8] = []
                bits.copyBytes(into: &bytes)
                bytes.withUnsafeBytes { raw in
                    var reader = BitReader(raw, position: shift)
                    for z in numbers {
                        let start = reader.position
                        #expect(ExpGolomb.read(order: order, from: &reader) == z, "order \(order), shift \(shift)")
                        #expect(reader.position - start == ExpGolomb.bits(z, order: order))
                    }
                    #expect(!reader.isOverrun)
                }
            }
        }
    }
}
