import InfluxQL
import Testing
import TestSupport
@testable import QueryEngine

/// `Filler.fill`'s shortcut for constant fills (ascending, no zone) against InfluxDB's walk
/// (`fillStepping`) over random streams, windows and ranges.
@Suite struct FillShortcutTests {
    @Test func constantFillsAsTheWalk() {
        var rng = SeededGenerator(seed: 0xF111)
        let modes: [Fill] = [.null, .integer(7), .number(2.5), .number(-1)]
        var compared = 0
        for _ in 0..<20_000 {
            let interval = Int64(1 + rng.next() % 50)
            let offset = Int64(rng.next() % 60)
            let window = Window(interval: interval, offset: offset)
            let from = Int64(rng.next() % 400) - 200
            let through = from + Int64(rng.next() % 600) - 100
            // One point per bucket start, some buckets empty, some points outside the range.
            var points: [TimedValue] = []
            var t = window.start(of: from - Int64(rng.next() % 3) * interval)
            let count = Int(rng.next() % 30)
            while points.count < count {
                if rng.next() % 3 != 0 {
                    let value: ResultValue = rng.next() % 5 == 0 ? .integer(Int64(rng.next() % 100)) : .float(Double(rng.next() % 1000) / 8)
                    points.append(TimedValue(t, rng.next() % 11 == 0 ? .null : value))
                }
                t += interval
            }
            let mode = modes[Int(rng.next() % UInt64(modes.count))]
            let isCount = rng.next() % 4 == 0, integer = rng.next() % 3 == 0
            let fast = Filler.fill(points, window: window, from: from, through: through, mode: mode, isCount: isCount, integerStream: integer)
            let walk = Filler.fillStepping(points, window: window, from: from, through: through, mode: mode, isCount: isCount,
                                           integerStream: integer, ascending: true)
            #expect(fast == walk, "\(points) \(window) \(from)...\(through) \(mode)")
            compared += 1
        }
        #expect(compared == 20_000)
    }

    /// Near the end of Int64 the walk stops stepping and keeps the points left.
    @Test func overflowKeepsThePointsLeft() {
        let window = Window(interval: 1_000)
        let top = Int64.max - 1_500
        let points = [TimedValue(window.start(of: top), .float(1)), TimedValue(window.start(of: top) + 500, .float(2))]
        for mode in [Fill.null, .integer(3)] {
            let fast = Filler.fill(points, window: window, from: top - 3_000, through: .max, mode: mode, isCount: false, integerStream: false)
            let walk = Filler.fillStepping(points, window: window, from: top - 3_000, through: .max, mode: mode, isCount: false,
                                           integerStream: false, ascending: true)
            #expect(fast == walk)
        }
    }
}

/// `Transforms`' derivative, which reads its points in place, against the point-by-point
/// definition it replaced, over random streams with nulls, repeated times and non-numbers.
@Suite struct DerivativeShortcutTests {
    static func reference(_ input: [TimedValue], unit: Int64, ascending: Bool, nonNegative: Bool) -> [TimedValue] {
        var out: [TimedValue] = []
        var prev: TimedValue?
        for p in input where !p.value.isNull {
            if let q = prev, q.time == p.time { continue }
            defer { prev = p }
            guard let q = prev else { continue }
            guard let a = p.value.double, let b = q.value.double else { continue }
            let diff = a - b
            var elapsed = p.time &- q.time
            if !ascending { elapsed = -elapsed }
            let v = diff / (Double(elapsed) / Double(unit))
            if nonNegative && diff < 0 { continue }
            out.append(TimedValue(p.time, .float(v)))
        }
        return out
    }

    @Test func asThePointByPointDefinition() {
        var rng = SeededGenerator(seed: 0xDE21)
        for _ in 0..<5_000 {
            var points: [TimedValue] = []
            var t = Int64(rng.next() % 100)
            for _ in 0..<Int(rng.next() % 40) {
                t += Int64(rng.next() % 4) * 10  // 0: a repeated time
                let value: ResultValue
                switch rng.next() % 10 {
                case 0: value = .null
                case 1: value = .integer(Int64(rng.next() % 1000) - 500)
                case 2: value = .string("x")
                case 3: value = .unsigned(rng.next() % 1000)
                default: value = .float(Double(rng.next() % 100_000) / 16 - 3000)
                }
                points.append(TimedValue(t, value))
            }
            let ascending = rng.next() % 4 != 0
            let input = ascending ? points : points.reversed()
            for name in ["derivative", "non_negative_derivative"] {
                let call = FunctionCall(name: name, field: "")
                let unit = Int64(1 + rng.next() % 20)
                let fast = Transforms.apply(call, input, unit: unit, ascending: ascending)
                let slow = Self.reference(input, unit: unit, ascending: ascending, nonNegative: name.hasPrefix("non_negative_"))
                #expect(fast.map(\.time) == slow.map(\.time))
                #expect(fast.map { $0.value.double?.bitPattern } == slow.map { $0.value.double?.bitPattern })
            }
        }
    }
}
