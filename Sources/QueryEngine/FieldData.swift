import TimeSeries

/// The samples of one field for one group: float fields as per-series columns (the fast path),
/// and, when a function needs them, all samples merged in time order.
struct FieldData {
    /// One column per series when every sample is a float.
    var columns: [FloatColumn] = []
    /// The series of each column (same order).
    var keys: [SeriesKey] = []
    /// Samples of every series merged by time (ties keep series order); empty unless needed.
    var merged: [Sample] = []
    var isFloat = true

    var isEmpty: Bool { columns.allSatisfy { $0.times.isEmpty } && merged.isEmpty }

    var minTime: Int64? {
        var m: Int64?
        for c in columns { if let t = c.times.first { m = Swift.min(m ?? t, t) } }
        if let t = merged.first?.time { m = Swift.min(m ?? t, t) }
        return m
    }

    var maxTime: Int64? {
        var m: Int64?
        for c in columns { if let t = c.times.last { m = Swift.max(m ?? t, t) } }
        if let t = merged.last?.time { m = Swift.max(m ?? t, t) }
        return m
    }

    func hasSamples(from: Int64, through end: Int64) -> Bool {
        for c in columns {
            let i = c.lowerBound(from)
            if i < c.times.count && c.times[i] <= end { return true }
        }
        return merged.contains { $0.time >= from && $0.time <= end }
    }

    /// Merges the columns into `merged` (k-way by time, stable across series).
    mutating func mergeColumns() {
        guard merged.isEmpty, !columns.isEmpty else { return }
        if columns.count == 1 {
            let c = columns[0]
            merged = (0..<c.times.count).map { Sample(time: c.times[$0], value: .float(c.values[$0])) }
            return
        }
        var heads = [Int](repeating: 0, count: columns.count)
        merged.reserveCapacity(columns.reduce(0) { $0 + $1.times.count })
        while true {
            var best = -1
            var bestTime = Int64.max
            for (k, c) in columns.enumerated() where heads[k] < c.times.count && (best < 0 || c.times[heads[k]] < bestTime) {
                best = k
                bestTime = c.times[heads[k]]
            }
            if best < 0 { break }
            merged.append(Sample(time: bestTime, value: .float(columns[best].values[heads[best]])))
            heads[best] += 1
        }
    }
}

/// Times and float values of one series field, ascending by time.
struct FloatColumn {
    var times: [Int64] = []
    var values: [Double] = []

    func lowerBound(_ t: Int64) -> Int {
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
