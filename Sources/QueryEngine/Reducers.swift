import TimeSeries

/// Aggregates and selectors over the samples of one bucket, with InfluxDB 1.x's exact rules.
/// Input samples are in ascending time order. Outputs carry the selected point's time
/// (selectors) or the first sample's time (aggregates); the caller decides which time to show.
enum Reducers {
    static func reduce(_ call: FunctionCall, _ samples: ArraySlice<Sample>) -> [TimedValue] {
        guard let first = samples.first else { return [] }
        let t0 = first.time
        switch call.name {
        case "count":
            return [TimedValue(t0, .integer(Int64(samples.count)))]
        case "sum":
            if case .integer = first.value {
                var s: Int64 = 0
                for x in samples { if case .integer(let v) = x.value { s = s &+ v } }
                return [TimedValue(t0, .integer(s))]
            }
            if case .unsigned = first.value {
                var s: UInt64 = 0
                for x in samples { if case .unsigned(let v) = x.value { s = s &+ v } }
                return [TimedValue(t0, .unsigned(s))]
            }
            var s = 0.0
            var any = false
            for x in samples { if let v = x.value.doubleValue { s += v; any = true } }
            return any ? [TimedValue(t0, .float(s))] : []
        case "mean":
            var s = 0.0
            var n = 0
            for x in samples { if let v = x.value.doubleValue { s += v; n += 1 } }
            return n > 0 ? [TimedValue(t0, .float(s / Double(n)))] : []
        case "median":
            let values = samples.compactMap(\.value.doubleValue).sorted()
            guard !values.isEmpty else { return [] }
            let n = values.count
            if n % 2 == 1 { return [TimedValue(t0, .float(values[n / 2]))] }
            let lo = values[n / 2 - 1], hi = values[n / 2]
            return [TimedValue(t0, .float(lo + (hi - lo) / 2))]
        case "mode":
            return mode(samples)
        case "spread":
            return spread(samples)
        case "stddev":
            let values = samples.compactMap(\.value.doubleValue)
            guard !values.isEmpty else { return [] }
            if values.count == 1 { return [TimedValue(t0, .null)] }
            var mean = 0.0
            for (i, v) in values.enumerated() { mean += (v - mean) / Double(i + 1) }
            var variance = 0.0
            for v in values { variance += (v - mean) * (v - mean) }
            return [TimedValue(t0, .float((variance / Double(values.count - 1)).squareRoot()))]
        case "first":
            var best = first
            for x in samples.dropFirst() where x.time < best.time || (x.time == best.time && firstWinsTie(x.value, best.value)) { best = x }
            return [TimedValue(best.time, ResultValue(best.value))]
        case "last":
            var best = first
            for x in samples.dropFirst() where x.time > best.time || (x.time == best.time && greater(x.value, best.value)) { best = x }
            return [TimedValue(best.time, ResultValue(best.value))]
        case "max":
            var best = first
            for x in samples.dropFirst() where greater(x.value, best.value) || (x.value == best.value && x.time < best.time) { best = x }
            return [TimedValue(best.time, ResultValue(best.value))]
        case "min":
            var best = first
            for x in samples.dropFirst() where greater(best.value, x.value) || (x.value == best.value && x.time < best.time) { best = x }
            return [TimedValue(best.time, ResultValue(best.value))]
        case "percentile":
            var sorted = Array(samples)
            GoSort.sort(&sorted) { less($0.value, $1.value) }
            let rank = (Double(sorted.count) * call.number / 100 + 0.5).rounded(.down)
            guard rank.isFinite, rank >= 1, rank <= Double(sorted.count) else { return [] }
            let i = Int(rank) - 1
            guard i >= 0 && i < sorted.count else { return [] }
            return [TimedValue(sorted[i].time, ResultValue(sorted[i].value))]
        case "top", "bottom":
            let top = call.name == "top"
            let ranked = samples.sorted { a, b in
                if a.value != b.value { return top ? greater(a.value, b.value) : less(a.value, b.value) }
                return a.time < b.time
            }
            return ranked.prefix(call.count).sorted { $0.time < $1.time }.map { TimedValue($0.time, ResultValue($0.value)) }
        case "sample":
            return selectIndices(call, samples).map { TimedValue(samples[$0].time, ResultValue(samples[$0].value)) }
        case "count_distinct":
            return [TimedValue(t0, .integer(Int64(Set(samples.map(\.value)).count)))]
        case "distinct":
            return distinct(samples, newestFirst: false)
        default:
            return []
        }
    }

    /// `distinct()` as InfluxDB 1.6.7 lists it: each value's first point in reading order (the
    /// newest under ORDER BY time DESC), listed by that point's time, then by value, all shown at
    /// the bucket's first sample time.
    static func distinct(_ samples: ArraySlice<Sample>, newestFirst: Bool) -> [TimedValue] {
        guard let t0 = samples.first?.time else { return [] }
        var seen: [FieldValue: Int64] = [:]
        if newestFirst {
            for x in samples.reversed() where seen[x.value] == nil { seen[x.value] = x.time }
        } else {
            for x in samples where seen[x.value] == nil { seen[x.value] = x.time }
        }
        return seen.sorted { $0.value != $1.value ? $0.value < $1.value : less($0.key, $1.key) }
            .map { TimedValue(t0, ResultValue($0.key)) }
    }

    private static func mode(_ samples: ArraySlice<Sample>) -> [TimedValue] {
        // Mirrors InfluxDB's scan over value-sorted points, including its tie and run-length quirks.
        var a = Array(samples)
        guard a.count > 1 else { return [TimedValue(a[0].time, ResultValue(a[0].value))] }
        GoSort.sort(&a) { less($0.value, $1.value) }
        var mostFreq = 0, currFreq = 0
        var mostMode = a[0].value, currMode = a[0].value
        var mostTime = a[0].time, currTime = a[0].time
        for p in a {
            if p.value != currMode {
                currFreq = 1
                currMode = p.value
                currTime = p.time
                continue
            }
            currFreq += 1
            if mostFreq > currFreq || (mostFreq == currFreq && currTime > mostTime) { continue }
            mostFreq = currFreq
            mostMode = p.value
            mostTime = p.time
        }
        return [TimedValue(a[0].time, ResultValue(mostMode))]
    }

    private static func spread(_ samples: ArraySlice<Sample>) -> [TimedValue] {
        let t0 = samples.first!.time
        switch samples.first!.value {
        case .integer:
            var lo = Int64.max, hi = Int64.min
            for x in samples { if case .integer(let v) = x.value { lo = min(lo, v); hi = max(hi, v) } }
            return [TimedValue(t0, .integer(hi &- lo))]
        case .unsigned:
            var lo = UInt64.max, hi = UInt64.min
            for x in samples { if case .unsigned(let v) = x.value { lo = min(lo, v); hi = max(hi, v) } }
            return [TimedValue(t0, .unsigned(hi &- lo))]
        default:
            var lo = Double.infinity, hi = -Double.infinity
            for x in samples { if let v = x.value.doubleValue { lo = min(lo, v); hi = max(hi, v) } }
            return lo.isFinite ? [TimedValue(t0, .float(hi - lo))] : []
        }
    }

    /// Value order used by selectors: numbers numerically, strings bytewise, false < true.
    static func less(_ a: FieldValue, _ b: FieldValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x < y
        case (.boolean(let x), .boolean(let y)): return !x && y
        case (.integer(let x), .integer(let y)): return x < y
        case (.unsigned(let x), .unsigned(let y)): return x < y
        default:
            guard let x = a.doubleValue, let y = b.doubleValue else { return false }
            return x < y
        }
    }

    static func greater(_ a: FieldValue, _ b: FieldValue) -> Bool { less(b, a) }

    /// Whether `a` beats `b` for first() at the same time: the greater value, but false over
    /// true (InfluxDB's BooleanFirstReduce; last() prefers true).
    static func firstWinsTie(_ a: FieldValue, _ b: FieldValue) -> Bool {
        if case .boolean(let x) = a, case .boolean(let y) = b { return !x && y }
        return greater(a, b)
    }
}
