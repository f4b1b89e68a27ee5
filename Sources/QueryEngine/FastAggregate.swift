/// Per-bucket count/sum/mean/min/max/first/last/spread over float columns in one pass,
/// without materialising buckets: the path every Grafana time-series panel takes.
enum FastAggregate {
    static let functions: Set<String> = ["count", "sum", "mean", "min", "max", "first", "last", "spread"]

    /// One value per non-empty bucket in [from, end], times are bucket starts.
    private enum Op { case count, sum, mean, min, max, first, last, spread }

    ///
    /// `descending` (ORDER BY time DESC) feeds each series newest first, as InfluxDB reads it:
    /// a sum's rounding depends on the order.
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
        var count = [Int](repeating: 0, count: n)
        var acc = [Double](repeating: 0, count: n)
        var acc2 = [Double](repeating: 0, count: n)
        var times = op == .first || op == .last ? [Int64](repeating: 0, count: n) : []
        let interval = window.interval
        for c in columns {
            let ts = c.times, vs = c.values, ws = c.weights
            let lower = c.lowerBound(from)
            let upper = ts.isEmpty || ts[ts.count - 1] <= end ? ts.count : c.lowerBound(end &+ 1)
            guard lower < upper else { continue }
            let reversed = descending && (op == .sum || op == .mean)
            for i in stride(from: reversed ? upper - 1 : lower, to: reversed ? lower - 1 : upper, by: reversed ? -1 : 1) {
                let t = ts[i]
                let b = Int((t - first) / interval)
                let v = vs[i]
                let k = count[b]
                count[b] = k + (ws.isEmpty ? 1 : ws[i])
                switch op {
                case .sum, .mean: acc[b] += v
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
}
