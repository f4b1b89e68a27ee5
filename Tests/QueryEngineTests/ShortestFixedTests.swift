import Testing
import TestSupport
@testable import QueryEngine

/// `ShortestFixed` against Swift's shortest text (`Double.description`), which Go writes too
/// for these doubles: the same digits, or nil outside its range.
@Suite struct ShortestFixedTests {
    /// The fixed text of `digits` with `scale` digits after the point.
    static func text(_ digits: UInt64, _ scale: Int) -> String {
        var d = String(digits)
        if d.count <= scale { d = String(repeating: "0", count: scale - d.count + 1) + d }
        let point = d.index(d.endIndex, offsetBy: -scale)
        return scale == 0 ? d : d[..<point] + "." + d[point...]
    }

    static func check(_ value: Double) -> Bool {
        let swift = value.description
        if value == value.rounded(.towardZero) {
            // Integral: `RowText` writes these as integers before asking.
            return ShortestFixed.digits(value).map { $0.scale == 0 && Double($0.digits) == value } ?? true
        }
        guard let (digits, scale) = ShortestFixed.digits(value) else {
            // Outside: integral, exponent form, or out of range.
            return value == value.rounded(.towardZero) || swift.contains("e") || !(value >= 1e-4 && value < 1e15)
        }
        return text(digits, scale) == swift
    }

    @Test func randomBitPatternsInRange() {
        var rng = SeededGenerator(seed: 0x5107)
        var failures: [Double] = []
        var checked = 0
        while checked < 2_000_000 {
            // Exponents from 2^-14 to 2^50, every significand bit random.
            let exponent = UInt64(1023 - 14) + rng.next() % 65
            let value = Double(bitPattern: exponent << 52 | rng.next() & ((1 << 52) - 1))
            guard value >= 1e-4 && value < 1e15 else { continue }
            checked += 1
            if !Self.check(value), failures.count < 10 { failures.append(value) }
        }
        #expect(failures.isEmpty, "\(failures.map { "\($0.bitPattern): \($0) vs \(ShortestFixed.digits($0).map { Self.text($0.0, $0.1) } ?? "nil")" })")
    }

    /// Short decimals, their neighbours, powers of two (the uneven interval), ties and the ends.
    @Test func decimalsNeighboursAndEdges() {
        var values: [Double] = [1e-4, 0.1, 0.2, 0.3, 0.5, 1.5, 2.5, 0.125, 123.456, 999_999_999_999_999.9, 1e15.nextDown, 1e-4.nextUp]
        var rng = SeededGenerator(seed: 0xD1)
        for _ in 0..<200_000 {
            let scale = Int(rng.next() % 8)
            let digits = rng.next() % 10_000_000
            var v = Double(digits)
            for _ in 0..<scale { v /= 10 }
            values += [v, v.nextUp, v.nextDown]
        }
        for p in -13...49 {
            let v = Double(sign: .plus, exponent: p, significand: 1)
            values += [v, v.nextUp, v.nextDown, v * 1.5]
        }
        let failures = values.filter { !Self.check($0) }
        #expect(failures.isEmpty, "\(failures.prefix(10).map { "\($0.bitPattern): \($0)" })")
    }
}
