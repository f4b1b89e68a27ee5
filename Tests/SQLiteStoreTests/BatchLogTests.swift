import Testing
import TimeSeries
@testable import SQLiteStore
import TestSupport

@Suite struct BatchLogTests {
    static let edgeValues: [FieldValue] = [
        .float(0), .float(-0.0), .float(1.5), .float(-3), .float(1e300), .float(.infinity), .float(-.infinity),
        .float(Double(bitPattern: 0x7FF8_0000_0000_1234)), .float(9_007_199_254_740_994), .float(-9.2e18),
        .integer(.min), .integer(.max), .integer(0), .integer(-1),
        .unsigned(.max), .unsigned(0), .boolean(true), .boolean(false), .string(""), .string("héllo, wörld"),
    ]

    @Test func roundTripsRecordsInWriteOrderBitExactly() throws {
        var rng = SeededGenerator(seed: 99)
        var writer = BatchLog.Writer()
        var expected: [HeadKey: [(Int64, FieldValue)]] = [:]
        var order: [HeadKey] = []
        for i in 0..<2_000 {
            let key = HeadKey(series: Int64.random(in: 1...40, using: &rng), field: Int64.random(in: 1...3, using: &rng))
            let time: Int64 = switch i % 4 {
            case 0: Int64.random(in: .min ... .max, using: &rng)
            case 1: Int64.random(in: -5...5, using: &rng) * 1_000_000_000
            case 2: 1_700_000_000_000_000_000 + Int64.random(in: 0...10_000, using: &rng) * 1_000_000
            default: 1_700_000_000_123_456_789 - Int64.random(in: 0...1_000, using: &rng)
            }
            let value = Self.edgeValues.randomElement(using: &rng)!
            writer.append(key, time: time, value: value)
            if expected[key] == nil { order.append(key) }
            expected[key, default: []].append((time, value))
        }
        let groups = try BatchLog.decode(writer.bytes, seq: 1, file: "f")
        #expect(groups.map(\.key) == order)
        for group in groups {
            let want = expected[group.key]!
            #expect(group.times == want.map(\.0))
            #expect(zip(group.values, want.map(\.1)).allSatisfy { $0.isIdentical(to: $1) })
        }
    }

    @Test func collectdSamplesAreSmall() throws {
        var writer = BatchLog.Writer()
        for s in 0..<1000 {
            writer.append(HeadKey(series: Int64(s + 1), field: 1), time: 1_700_000_000_000_000_000 + Int64(s % 7) * 1_000_000,
                          value: .float(Double(123_456_789 + s * 17)))
        }
        #expect(writer.bytes.count < 10 * 1000)
    }

    @Test func damagedRowsThrowNamingTheFile() {
        var writer = BatchLog.Writer()
        writer.append(HeadKey(series: 3, field: 1), time: 5, value: .string("abcdef"))
        writer.append(HeadKey(series: 4, field: 1), time: 6, value: .float(0.1))
        let bytes = writer.bytes
        var first = BatchLog.Writer()
        first.append(HeadKey(series: 3, field: 1), time: 5, value: .string("abcdef"))
        // A cut between records is a shorter valid row; any other cut must throw.
        let boundaries = [1, first.bytes.count]
        for cut in 1..<bytes.count where !boundaries.contains(cut) {
            #expect(throws: SQLiteStoreError.self) { try BatchLog.decode(Array(bytes[..<cut]), seq: 7, file: "/x.sqlite") }
        }
        #expect(throws: SQLiteStoreError.corruptData(file: "/x.sqlite", reason: "log row 7 has an unknown format version")) {
            try BatchLog.decode([9] + bytes.dropFirst(), seq: 7, file: "/x.sqlite")
        }
        var damaged = bytes
        damaged[1] = 0xFF
        #expect(throws: SQLiteStoreError.self) { try BatchLog.decode(damaged, seq: 7, file: "/x.sqlite") }
    }
}
