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

    /// Entries held: every column's plus the merged samples.
    var sampleCount: Int { columns.reduce(merged.count) { $0 + $1.times.count } }

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
            merged.reserveCapacity(c.times.count)
            c.appendSamples(to: &merged)
            return
        }
        // A binary min-heap of columns keyed by (next time, column index): O(n log k) for n
        // samples in k columns (a linear scan of the columns per sample was O(n k), quadratic
        // when a query merges every series of a fleet). The column index breaks ties, so equal
        // times keep series order exactly as before.
        var heads = [Int](repeating: 0, count: columns.count)
        merged.reserveCapacity(columns.reduce(0) { $0 + $1.times.count })
        var heap: [Int] = columns.indices.filter { !columns[$0].times.isEmpty }
        @inline(__always) func less(_ a: Int, _ b: Int) -> Bool {
            let ta = columns[a].times[heads[a]], tb = columns[b].times[heads[b]]
            return ta < tb || (ta == tb && a < b)
        }
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && less(heap[l], heap[m]) { m = l }
                if r < heap.count && less(heap[r], heap[m]) { m = r }
                if m == i { return }
                heap.swapAt(i, m)
                i = m
            }
        }
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
        while let best = heap.first {
            merged.append(Sample(time: columns[best].times[heads[best]], value: .float(columns[best].values[heads[best]])))
            heads[best] += 1
            if heads[best] == columns[best].times.count {
                heap[0] = heap[heap.count - 1]
                heap.removeLast()
            }
            if !heap.isEmpty { siftDown(0) }
        }
    }
}

/// Times and float values of one series field, ascending by time.
struct FloatColumn {
    var times: [Int64] = []
    var values: [Double] = []
    /// With a summarized count (`SummaryRequest`), the samples each entry stands for (a chunk's
    /// count, 1 for a sample), parallel to `times`; empty when every entry is one sample.
    var weights: [Int] = []

    /// The samples entries `range` stand for.
    func weight(_ range: Range<Int>) -> Int {
        guard !weights.isEmpty else { return range.count }
        var n = 0
        for k in range { n += weights[k] }
        return n
    }

    func lowerBound(_ t: Int64) -> Int {
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Appends the column's samples in time order (when a field leaves the float fast path).
    func appendSamples(to samples: inout [Sample]) {
        for k in times.indices { samples.append(Sample(time: times[k], value: .float(values[k]))) }
    }
}
