import Testing
@testable import QueryEngine

/// `FastAggregate.compute`'s sums, means and counts against their definition: each series'
/// bucket summed point by point from zero in the order the series is read (newest first under
/// DESC), the series then `combine`d in order, the count the sum of the points' weights. Bits
/// must be equal, not close: InfluxDB's answers are compared byte for byte.
@Suite struct FastAggregateTests {
    typealias Rng = ResponseAssemblyTests.Rng

    static func reference(_ op: String, _ columns: [FloatColumn], window: Window, from: Int64, end: Int64, descending: Bool) -> [TimedValue] {
        var totals: [Int64: Double] = [:], counts: [Int64: Int] = [:]
        for c in descending ? columns.reversed() : columns {
            var partial: [Int64: Double] = [:], partialCount: [Int64: Int] = [:]
            let order = descending ? Array(c.times.indices.reversed()) : Array(c.times.indices)
            for i in order where c.times[i] >= from && c.times[i] <= end {
                let b = window.start(of: c.times[i])
                partial[b, default: 0] += c.values[i]
                partialCount[b, default: 0] += 1
                counts[b, default: 0] += c.weights.isEmpty ? 1 : c.weights[i]
            }
            for (b, s) in partial {
                totals[b] = FastAggregate.combine(totals[b] ?? 0, s, count: partialCount[b]!, mean: op == "mean")
            }
        }
        return counts.keys.sorted().compactMap { b in
            guard counts[b]! > 0 else { return nil }
            switch op {
            case "count": return TimedValue(b, .integer(Int64(counts[b]!)))
            case "mean": return TimedValue(b, .float(totals[b]! / Double(counts[b]!)))
            default: return TimedValue(b, .float(totals[b]!))
            }
        }
    }

    /// Selectors and spread point by point, as InfluxDB's reducers see them: columns in order,
    /// each column's points ascending; a tie keeps the earlier, NaN never replaces nor is replaced
    /// by a comparison.
    static func selected(_ op: String, _ columns: [FloatColumn], window: Window, from: Int64, end: Int64) -> [TimedValue] {
        var acc: [Int64: Double] = [:], acc2: [Int64: Double] = [:], times: [Int64: Int64] = [:], counts: [Int64: Int] = [:]
        for c in columns {
            for i in c.times.indices where c.times[i] >= from && c.times[i] <= end {
                let b = window.start(of: c.times[i]), t = c.times[i], v = c.values[i]
                let k = counts[b] ?? 0
                counts[b] = k + (c.weights.isEmpty ? 1 : c.weights[i])
                switch op {
                case "min": if k == 0 || v < acc[b]! { acc[b] = v }
                case "max": if k == 0 || v > acc[b]! { acc[b] = v }
                case "spread":
                    if k == 0 { acc[b] = v; acc2[b] = v } else { acc[b] = Swift.min(acc[b]!, v); acc2[b] = Swift.max(acc2[b]!, v) }
                case "first": if k == 0 || t < times[b]! || (t == times[b]! && v > acc[b]!) { acc[b] = v; times[b] = t }
                default: if k == 0 || t > times[b]! || (t == times[b]! && v > acc[b]!) { acc[b] = v; times[b] = t }
                }
            }
        }
        return counts.keys.sorted().map { b in TimedValue(b, .float(op == "spread" ? acc2[b]! - acc[b]! : acc[b]!)) }
    }

    static func column(_ rng: inout Rng) -> FloatColumn {
        var c = FloatColumn()
        var t = Int64.random(in: -50...50, using: &rng)
        let weighted = Int.random(in: 0..<4, using: &rng) == 0
        for _ in 0..<Int.random(in: 0...60, using: &rng) {
            t += Int64.random(in: 1...9, using: &rng)
            c.times.append(t)
            switch Int.random(in: 0..<7, using: &rng) {
            case 0: c.values.append(-0.0)
            case 6: c.values.append(.nan)
            case 1: c.values.append(Double(Int.random(in: -5...5, using: &rng)))
            case 2: c.values.append(Double.random(in: -1e-3...1e-3, using: &rng))
            default: c.values.append(Double.random(in: -1e12...1e12, using: &rng))
            }
            if weighted { c.weights.append(Int.random(in: 1...30, using: &rng)) }
        }
        return c
    }

    /// Up to four random columns, a window with an offset, and a range that may miss them.
    static func randomCase(_ rng: inout Rng) -> (columns: [FloatColumn], window: Window, from: Int64, end: Int64) {
        let columns = (0..<Int.random(in: 1...4, using: &rng)).map { _ in Self.column(&rng) }
        let window = Window(interval: [1, 3, 7, 10, 60].randomElement(using: &rng)!, offset: Int64.random(in: -20...20, using: &rng))
        let from = Int64.random(in: -60...200, using: &rng)
        return (columns, window, from, from + Int64.random(in: 0...400, using: &rng))
    }

    @Test func selectorsAndSpreadAreTheirDefinition() {
        var rng = Rng(state: 77)
        for _ in 0..<3_000 {
            let (columns, window, from, end) = Self.randomCase(&rng)
            for op in ["min", "max", "first", "last", "spread"] {
                let got = FastAggregate.compute(op, columns, window: window, from: from, end: end, descending: Bool.random(using: &rng))
                let want = Self.selected(op, columns, window: window, from: from, end: end)
                #expect(got.count == want.count)
                for (g, w) in zip(got, want) {
                    #expect(g.time == w.time)
                    guard case .float(let x) = g.value, case .float(let y) = w.value else { Issue.record("\(op): not floats"); continue }
                    #expect(x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN), "\(op) \(x) \(y)")
                }
            }
        }
    }

    @Test func sumsMeansAndCountsAreTheirDefinition() {
        var rng = Rng(state: 99)
        for _ in 0..<3_000 {
            let (columns, window, from, end) = Self.randomCase(&rng)
            let descending = Bool.random(using: &rng)
            for op in ["sum", "mean", "count"] {
                let got = FastAggregate.compute(op, columns, window: window, from: from, end: end, descending: descending)
                let want = Self.reference(op, columns, window: window, from: from, end: end, descending: descending)
                #expect(got.count == want.count)
                for (g, w) in zip(got, want) {
                    #expect(g.time == w.time)
                    switch (g.value, w.value) {
                    case (.float(let x), .float(let y)): #expect(x.bitPattern == y.bitPattern || (x.isNaN && y.isNaN), "\(op) \(x) \(y)")
                    default: #expect(g.value == w.value)
                    }
                }
            }
        }
    }
}
