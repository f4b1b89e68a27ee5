import TimeSeries

/// Per-bucket count/sum/mean/min/max/first/last/spread over float columns in one pass,
/// without materialising buckets: the path every Grafana time-series panel takes.
enum FastAggregate {
    static let functions: Set<String> = ["count", "sum", "mean", "min", "max", "first", "last", "spread"]

    /// One value per non-empty bucket in [from, end], times are bucket starts.
    private enum Op { case count, sum, mean, min, max, first, last, spread }

    ///
    /// `descending` (ORDER BY time DESC) feeds each series newest first, as InfluxDB reads it:
    /// a sum's rounding depends on the order. Sums and means are InfluxDB's two-stage ones
    /// (`combine`): each series' bucket on its own, then the series in order.
    static func compute(_ name: String, _ columns: [FloatColumn], window: Window, from: Int64, end: Int64, descending: Bool = false) -> [TimedValue] {
        let op: Op
        switch name {
        case "count": op = .count
        case "sum": op = .sum
        case "mean": op = .mean
        case "min": op = .min
        case "max": op = .max
        case "first": op = .first
        case "last": op = .last
        default: op = .spread
        }
        // Allocate buckets only over the span the data covers, not the whole requested range.
        var lo = Int64.max, hi = Int64.min
        for c in columns {
            let i = c.lowerBound(from)
            guard i < c.times.count, c.times[i] <= end else { continue }
            lo = Swift.min(lo, c.times[i])
            var j = c.times.count - 1
            if c.times[j] > end { j = c.lowerBound(end &+ 1) - 1 }
            hi = Swift.max(hi, c.times[j])
        }
        guard lo <= hi else { return [] }
        let first = window.start(of: lo)
        let last = window.start(of: hi)
        let n = Window.bucketCount(first, last, window.interval)
        guard n > 0, n <= Window.maxBuckets else { return [] }
        // The accumulators are raw buffers: subscripting arrays inside the loop cost a bounds and
        // a uniqueness check per access, about 80 instructions a point in all.
        let summing = op == .sum || op == .mean
        let count = Self.zeroed(Int.self, n)
        let acc = Self.zeroed(Double.self, n)
        let acc2 = Self.zeroed(Double.self, op == .spread ? n : 0)
        let times = Self.zeroed(Int64.self, op == .first || op == .last ? n : 0)
        let partial = Self.zeroed(Double.self, summing ? n : 0)
        let partialCount = Self.zeroed(Int.self, summing ? n : 0)
        defer {
            count.deallocate()
            acc.deallocate()
            acc2.deallocate()
            times.deallocate()
            partial.deallocate()
            partialCount.deallocate()
        }
        let interval = window.interval
        // A descending sum or mean meets the series last to first.
        for c in descending && summing ? columns.reversed() : columns {
            let range = c.indices(from: from, through: end)
            guard !range.isEmpty else { continue }
            let lower = range.lowerBound, upper = range.upperBound
            let reversed = descending && summing
            c.times.withUnsafeBufferPointer { ts in
                c.values.withUnsafeBufferPointer { vs in
                    c.weights.withUnsafeBufferPointer { ws in
                        let weighted = !ws.isEmpty
                        let stop = reversed ? lower - 1 : upper, step = reversed ? -1 : 1
                        var i = reversed ? upper - 1 : lower
                        // The bucket of the previous point, kept while the next falls in it: a
                        // division per point was the loop's largest cost.
                        var b = Int((ts[i] - first) / interval)
                        var bucketStart = first + Int64(b) * interval
                        @inline(__always) func enter(_ t: Int64) {
                            defer { assert(b >= 0 && b < n && t >= bucketStart && t - bucketStart < interval, "point outside its bucket") }
                            // Most often the same bucket or the one next to it (runs come in
                            // order): a division only after a gap.
                            if t >= bucketStart {
                                let d = t - bucketStart
                                if d < interval { return }
                                if d - interval < interval {
                                    b &+= 1
                                    bucketStart += interval
                                    return
                                }
                            } else if bucketStart - t <= interval {
                                b &-= 1
                                bucketStart -= interval
                                return
                            }
                            b = Int((t - first) / interval)
                            bucketStart = first + Int64(b) * interval
                        }
                        if summing {
                            // A column's times are ascending, so each bucket is one run of its
                            // points: summed in registers, in the points' order from zero (the
                            // same additions as into the zeroed `partial[b]`, which then gets it
                            // once: 0 + s is s, as a sum that starts at +0 is never -0).
                            while i != stop {
                                enter(ts[i])
                                let runStart = bucketStart
                                var s = 0.0, k = 0, w = 0
                                repeat {
                                    s += vs[i]
                                    k &+= 1
                                    w &+= weighted ? ws[i] : 1
                                    i &+= step
                                } while i != stop && ts[i] >= runStart && ts[i] &- runStart < interval
                                count[b] += w
                                partial[b] += s
                                partialCount[b] += k
                            }
                            return
                        }
                        if op == .min || op == .max || op == .count {
                            // Only sums and means read a column backwards: here `i` ascends, so
                            // each bucket is one run of points, walked with its count and
                            // extreme in registers: the same comparisons in the same order as
                            // point by point below (a bucket's first point is taken as it is).
                            assert(step == 1, "selectors read columns forwards")
                            while i != stop {
                                enter(ts[i])
                                let runStart = bucketStart
                                var end = i &+ 1
                                while end != stop && ts[end] &- runStart < interval { end &+= 1 }
                                var k = count[b], a = acc[b]
                                while i != end && k == 0 {
                                    a = vs[i]
                                    k &+= weighted ? ws[i] : 1
                                    i &+= 1
                                }
                                if weighted {
                                    for x in i..<end { k &+= ws[x] }
                                } else {
                                    k &+= end &- i
                                }
                                if op == .max {
                                    while i != end {
                                        let v = vs[i]
                                        if v > a { a = v }
                                        i &+= 1
                                    }
                                } else if op == .min {
                                    while i != end {
                                        let v = vs[i]
                                        if v < a { a = v }
                                        i &+= 1
                                    }
                                }
                                i = end
                                count[b] = k
                                acc[b] = a
                            }
                            return
                        }
                        while i != stop {
                            let t = ts[i]
                            enter(t)
                            let v = vs[i]
                            let k = count[b]
                            count[b] = k + (weighted ? ws[i] : 1)
                            switch op {
                            case .sum, .mean: break
                            case .min: if k == 0 || v < acc[b] { acc[b] = v }
                            case .max: if k == 0 || v > acc[b] { acc[b] = v }
                            case .spread:
                                if k == 0 { acc[b] = v; acc2[b] = v } else { acc[b] = Swift.min(acc[b], v); acc2[b] = Swift.max(acc2[b], v) }
                            case .first:
                                if k == 0 || t < times[b] || (t == times[b] && v > acc[b]) { acc[b] = v; times[b] = t }
                            case .last:
                                if k == 0 || t > times[b] || (t == times[b] && v > acc[b]) { acc[b] = v; times[b] = t }
                            case .count: break
                            }
                            i &+= step
                        }
                    }
                }
            }
            if summing {
                // This series' buckets, lowest to highest, into the group's.
                for b in Int((c.times[lower] - first) / interval)...Int((c.times[upper - 1] - first) / interval) where partialCount[b] > 0 {
                    acc[b] = combine(acc[b], partial[b], count: partialCount[b], mean: op == .mean)
                    partial[b] = 0
                    partialCount[b] = 0
                }
            }
        }
        var out: [TimedValue] = []
        out.reserveCapacity(n)
        for b in 0..<n where count[b] > 0 {
            let t = first + Int64(b) * window.interval
            switch op {
            case .count: out.append(TimedValue(t, .integer(Int64(count[b]))))
            case .mean: out.append(TimedValue(t, .float(acc[b] / Double(count[b]))))
            case .spread: out.append(TimedValue(t, .float(acc2[b] - acc[b])))
            default: out.append(TimedValue(t, .float(acc[b])))
            }
        }
        return out
    }

    /// `n` zeros in a buffer the caller deallocates (none for 0).
    private static func zeroed<T: Numeric>(_ type: T.Type, _ n: Int) -> UnsafeMutableBufferPointer<T> {
        guard n > 0 else { return UnsafeMutableBufferPointer(start: nil, count: 0) }
        let buffer = UnsafeMutableBufferPointer<T>.allocate(capacity: n)
        buffer.initialize(repeating: 0)
        return buffer
    }

    /// One series' sum (of `count` points) added to a group's, as InfluxDB 1.6.7 reduces a sum
    /// or mean it pushes down to the shards: each series is reduced on its own, then the series'
    /// results in order, a mean as its value times its point count (`FloatMeanReducer` with
    /// `Aggregated`). Adding a group's points one by one instead rounds differently.
    static func combine(_ total: Double, _ seriesSum: Double, count: Int, mean: Bool) -> Double {
        guard mean, count >= 2 else { return total + seriesSum }
        return total + (seriesSum / Double(count)) * Double(count)
    }

    /// Means over the samples of several series that are not all floats, one per non-empty
    /// bucket (one bucket in [from, end] when ungrouped), as InfluxDB 1.6.7 computes them: each
    /// series' mean first — of integers their exact (wrapping) int64 sum over the count — then
    /// those means `combine`d in series order (last to first under DESC).
    static func seriesMeans(_ runs: [ArraySlice<Sample>], window: Window, from: Int64, end: Int64, descending: Bool) -> [TimedValue] {
        var totals: [Int64: (sum: Double, count: Int)] = [:]
        for run in descending ? runs.reversed() : runs {
            var buckets: [Int64: (integer: Int64, float: Double, count: Int, floats: Bool)] = [:]
            for i in descending ? Array(run.indices.reversed()) : Array(run.indices) where run[i].time >= from && run[i].time <= end {
                let s = run[i]
                let b = window.isGrouped ? window.start(of: s.time) : 0
                var acc = buckets[b] ?? (0, 0, 0, false)
                switch s.value {
                case .integer(let v): acc.integer = acc.integer &+ v
                case .float(let v): acc.float += v; acc.floats = true
                case .unsigned(let v): acc.float += Double(v); acc.floats = true
                default: continue
                }
                acc.count += 1
                buckets[b] = acc
            }
            for (b, acc) in buckets {
                let seriesSum = acc.floats ? acc.float + Double(acc.integer) : Double(acc.integer)
                let total = totals[b] ?? (0, 0)
                totals[b] = (combine(total.sum, seriesSum, count: acc.count, mean: true), total.count + acc.count)
            }
        }
        return totals.keys.sorted().map { b in TimedValue(b, .float(totals[b]!.sum / Double(totals[b]!.count))) }
    }

    /// An ungrouped sum or mean (one bucket, [from, end]) over float columns, reduced as
    /// `combine` does; nil without points.
    static func whole(_ name: String, _ columns: [FloatColumn], from: Int64, end: Int64, descending: Bool) -> Double? {
        let mean = name == "mean"
        var total = 0.0, n = 0
        for c in descending ? columns.reversed() : columns {
            let range = c.indices(from: from, through: end)
            guard !range.isEmpty else { continue }
            var s = 0.0
            if descending {
                for i in range.reversed() { s += c.values[i] }
            } else {
                for i in range { s += c.values[i] }
            }
            total = combine(total, s, count: range.count, mean: mean)
            n += range.count
        }
        guard n > 0 else { return nil }
        return mean ? total / Double(n) : total
    }
}
