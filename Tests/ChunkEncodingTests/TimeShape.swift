import ChunkEncoding
import TestSupport

/// Shapes of timestamp series the property tests draw from.
enum TimeShape: CaseIterable, Sendable {
    case collectdMilliseconds, collectdNanoseconds, seconds, equal, descending, randomFullRange, hugeGaps, smallIntegers

    func times(count: Int, using rng: inout SeededGenerator) -> [Int64] {
        var times: [Int64] = []
        times.reserveCapacity(count)
        let start: Int64 = 1_700_000_000_000_000_000 + Int64.random(in: 0..<1_000_000_000_000, using: &rng)
        for i in 0..<count {
            let t: Int64
            switch self {
            case .collectdMilliseconds:
                t = (start + Int64(i) * 10_000_000_000 + Self.jitter(using: &rng)) / 1_000_000 * 1_000_000
            case .collectdNanoseconds:
                t = start + Int64(i) * 10_000_000_000 + Self.jitter(using: &rng)
            case .seconds:
                t = (start / 1_000_000_000 + Int64(i) * 10) * 1_000_000_000
            case .equal:
                t = start
            case .descending:
                t = start - Int64(i) * Int64.random(in: 0..<5_000_000_000, using: &rng)
            case .randomFullRange:
                t = Int64(bitPattern: rng.next())
            case .hugeGaps:
                let extremes: [Int64] = [.min, .max, 0, -1, 1, .min + 1, .max - 1]
                t = Bool.random(using: &rng) ? extremes.randomElement(using: &rng)! : Int64(bitPattern: rng.next())
            case .smallIntegers:
                t = Int64.random(in: -3...3, using: &rng) + Int64(i)
            }
            times.append(t)
        }
        return times
    }

    /// Scheduler latency, log-uniform from 1 ns to 10 ms (heavy-tailed like collectd's:
    /// successive intervals differ by tens of µs typically, by milliseconds rarely).
    static func jitter(using rng: inout SeededGenerator) -> Int64 {
        var bound: Int64 = 1
        for _ in 0..<Int.random(in: 0...7, using: &rng) { bound *= 10 }
        return Int64.random(in: 0..<bound, using: &rng)
    }
}

/// Value series for each kind, mixing realistic shapes with edge cases.
enum ValueFactory {
    static let specialDoubles: [Double] = [
        0, -0.0, .infinity, -.infinity, .nan, -.nan, Double(bitPattern: 0x7FF0_0000_0000_0001),
        Double(bitPattern: 0xFFF8_DEAD_BEEF_0001), .leastNonzeroMagnitude, .greatestFiniteMagnitude,
        -.greatestFiniteMagnitude, 9_007_199_254_740_992, -9_007_199_254_740_992, 9_007_199_254_740_994,
        0.1, 1e300, -1, 1,
    ]

    static func values(_ kind: ChunkValueKind, count: Int, using rng: inout SeededGenerator) -> [ChunkValue] {
        let style = Int.random(in: 0..<5, using: &rng)
        var values: [ChunkValue] = []
        values.reserveCapacity(count)
        var counter = Int64.random(in: -1_000_000...1_000_000, using: &rng)
        var gauge = Double.random(in: 0..<100, using: &rng)
        let switchAt = Int.random(in: 0...max(count, 1), using: &rng)
        for i in 0..<count {
            switch kind {
            case .float:
                switch style {
                case 0: values.append(.float(Double(bitPattern: rng.next())))
                case 1: values.append(.float(specialDoubles.randomElement(using: &rng)!))
                case 4:
                    counter &+= Int64.random(in: -3000...3000, using: &rng) * 4096
                    values.append(.float(Double(counter)))
                case 2:
                    // Integral counter that turns fractional at a random point (codec rewrite).
                    counter &+= Int64.random(in: 0...5000, using: &rng)
                    values.append(.float(i < switchAt ? Double(counter) : Double(counter) + 0.5))
                default:
                    gauge += Double.random(in: -1...1, using: &rng)
                    values.append(.float((gauge * 100).rounded() / 100))
                }
            case .integer:
                switch style {
                case 0: values.append(.integer(Int64(bitPattern: rng.next())))
                case 1: values.append(.integer([Int64.min, .max, 0, -1, 1].randomElement(using: &rng)!))
                case 2:
                    // Sizes in kB × 1024 that wander: dods keep ten zero low bits.
                    counter &+= Int64.random(in: -3000...3000, using: &rng) * 1024
                    values.append(.integer(counter))
                default:
                    counter &+= Int64.random(in: 0...100_000, using: &rng)
                    values.append(.integer(counter))
                }
            case .unsigned:
                switch style {
                case 0: values.append(.unsigned(rng.next()))
                case 1: values.append(.unsigned([UInt64.max, UInt64(Int64.max) + 1, 0, 1].randomElement(using: &rng)!))
                default: values.append(.unsigned(UInt64(Int64.max) + UInt64(i) * 1000))
                }
            case .boolean:
                values.append(.boolean(style == 0 ? Bool.random(using: &rng) : i % 7 == 0))
            case .string:
                let vocabulary = ["", "up", "down", "é", "e\u{301}", "日本語", "a\u{0}b", String(repeating: "x", count: 300)]
                if style == 0 {
                    let length = Int.random(in: 0..<20, using: &rng)
                    let scalars = (0..<length).map { _ in Character(Unicode.Scalar(UInt8.random(in: 32...126, using: &rng))) }
                    values.append(.string(String(scalars)))
                } else {
                    values.append(.string(vocabulary.randomElement(using: &rng)!))
                }
            }
        }
        return values
    }
}
