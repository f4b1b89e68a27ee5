import Foundation
import Testing
@testable import QueryEngine

/// `RowText`, the row fast path of the JSON encoder, writes the bytes `NumberFormat` writes, or
/// nothing (and says so) where it leaves a value to the general path.
@Suite struct RowTextTests {
    static func general(_ v: Double) -> [UInt8] {
        var out: [UInt8] = []
        NumberFormat.json(v, into: &out)
        return out
    }

    static func fast(_ v: Double) -> [UInt8]? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: RowText.valueBytes + 8) { scratch in
            var text = RowText(scratch)
            text.byte(UInt8(ascii: "["))
            guard text.float(v) else {
                #expect(text.count == 1, "a refused float left bytes behind")
                return nil
            }
            return Array(text.written.dropFirst())
        }
    }

    @Test func floatsAsTheGeneralPathOrRefused() {
        var rng = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, .nan, .infinity, -.infinity, 1e-4, 9.999e-5, 1e15, 1e15 - 0.5, -1e15, 1e21, 1.5e-7,
                                .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1, 2.5, 638444.4444444444, 1.2199999999999998]
        for _ in 0..<100_000 {
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: values.append(Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &rng)))
            case 1: values.append(pow(10, Double.random(in: -9...23, using: &rng)))
            default: values.append(Double(Int.random(in: -1_000_000..<1_000_000, using: &rng)) / [1, 10, 3, 6, 7][Int.random(in: 0..<5, using: &rng)])
            }
        }
        var refused = 0
        for v in values {
            guard let fast = Self.fast(v) else {
                refused += 1
                // Only exponent forms and values outside the fixed range go to the general path.
                #expect(v.isFinite && (v.magnitude < 1e-4 || v.magnitude >= 1e15), "\(v.bitPattern)")
                continue
            }
            #expect(fast == Self.general(v), "\(v.bitPattern)")
        }
        #expect(refused < values.count)
    }

    @Test(arguments: [Int64.min, Int64.min + 1, -1, 0, 7, 10, 1_700_000_040_000, Int64.max])
    func integersAsTheGeneralPath(_ v: Int64) {
        var general: [UInt8] = []
        NumberFormat.integer(v, into: &general)
        let fast = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: RowText.valueBytes) { scratch in
            var text = RowText(scratch)
            text.integer(v)
            return Array(text.written)
        }
        #expect(fast == general)
        var unsigned: [UInt8] = []
        NumberFormat.integer(UInt64(bitPattern: v), into: &unsigned)
        let fastUnsigned = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: RowText.valueBytes) { scratch in
            var text = RowText(scratch)
            text.unsigned(UInt64(bitPattern: v))
            return Array(text.written)
        }
        #expect(fastUnsigned == unsigned)
    }

    /// Whole answers: rows that take the fast path, rows that fall back (a string, an exponent)
    /// and rows mixing both kinds of value, with and without epoch.
    @Test func answersAsTheGeneralPath() {
        let rows: [[ResultValue]] = [
            [.time(1_700_000_040_000_000_000), .float(638444.4444444444), .null, .integer(-3), .unsigned(.max), .boolean(true)],
            [.time(1_700_000_100_000_000_000), .float(1.5e-7), .float(-0.0), .boolean(false), .null, .null],
            [.time(1_700_000_160_000_000_000), .float(.nan), .string("a\"b"), .integer(0), .unsigned(0), .float(-2.5e22)],
            [.time(-1), .float(-1e15), .float(999_999_999_999_999.9), .float(1e-4), .float(-9.999e-5), .float(0.1)],
        ]
        let response = QueryResponse(results: [StatementResult(statementID: 0, series: [
            ResultSeries(name: "m", columns: ["time", "a", "b", "c", "d", "e"], values: rows)])])
        for epoch in [Epoch.ms, .ns, .s, nil] {
            let text = String(decoding: ResultWriter.json(response, epoch: epoch, pretty: false), as: UTF8.self)
            var expected = "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"m\",\"columns\":[\"time\",\"a\",\"b\",\"c\",\"d\",\"e\"],\"values\":["
            for (i, row) in rows.enumerated() {
                if i > 0 { expected += "," }
                var w = JSONOutput(epoch: epoch)
                w.raw("[")
                for (j, v) in row.enumerated() {
                    if j > 0 { w.raw(",") }
                    w.value(v)
                }
                w.raw("]")
                expected += String(decoding: w.bytes, as: UTF8.self)
            }
            expected += "]}]}]}"
            #expect(text.hasPrefix(expected), "\(String(describing: epoch))")
        }
    }
}
