import InfluxQL
import TimeSeries

/// The samples of one field for one group: float fields as per-series columns (the fast path),
/// and, when a function needs them, all samples merged in time order.
struct FieldData {
    /// One column per series when every sample is a float.
    var columns: [FloatColumn] = []
    /// The series of each column (same order).
    var keys: [SeriesKey] = []
    /// Samples of every series merged by time in InfluxDB's order (`influxOrdered`); empty unless needed.
    var merged: [Sample] = []
    var isFloat = true
    /// While non-float samples are gathered series after series: where each series' samples end.
    var looseEnds: [Int] = []
    /// Each series' samples (group order) beside `merged`, kept for a mean over non-float
    /// samples (`SelectRunner.needsSeriesRuns`): InfluxDB means each series first.
    var seriesRuns: [ArraySlice<Sample>] = []

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

    /// The samples read as `::type`: floats and integers converted, other values left out (a
    /// call over `f::integer` sees integers, as in InfluxDB). Float data read as float is itself.
    func cast(to type: DataType, descending: Bool) -> FieldData {
        if isFloat && (type == .float || type == .field) { return self }
        var source = self
        source.mergeColumns(descending: descending)
        var out = FieldData()
        out.isFloat = false
        out.merged.reserveCapacity(source.merged.count)
        for s in source.merged {
            if let v = s.value.cast(to: type) { out.merged.append(Sample(time: s.time, value: v)) }
        }
        var runs = source.seriesRuns
        if isFloat {
            runs = columns.map { c in
                var samples: [Sample] = []
                c.appendSamples(to: &samples)
                return samples[...]
            }
        }
        if runs.count > 1 {
            out.seriesRuns = runs.map { run in run.compactMap { s in s.value.cast(to: type).map { Sample(time: s.time, value: $0) } }[...] }
        }
        return out
    }

    /// Series laid end to end in `samples`, series `k` ending at `ends[k]`, as slices.
    static func runs(_ samples: [Sample], ends: [Int]) -> [ArraySlice<Sample>] {
        var start = 0
        return ends.map { end in
            defer { start = end }
            return samples[start..<end]
        }
    }

    /// Merges the columns into `merged` in InfluxDB's order (`influxOrdered`).
    mutating func mergeColumns(descending: Bool = false) {
        guard merged.isEmpty, !columns.isEmpty else { return }
        if columns.count == 1 {
            let c = columns[0]
            merged.reserveCapacity(c.times.count)
            c.appendSamples(to: &merged)
            return
        }
        merged = Self.influxOrdered(columns.map { c in
            var s: [Sample] = []
            c.appendSamples(to: &s)
            return s
        }, descending: descending)
    }

    /// The samples of several series (each ascending) merged in time order as InfluxDB 1.6.7
    /// reads a field for the functions it does not push down to each series (transformations,
    /// percentile, mode, stddev, integral, …): its sorted merge, whose order among points of equal
    /// time follows Go's heap, not the series order. Under ORDER BY time DESC, InfluxDB merges
    /// newest first with the series in reverse order; the result is then that merge reversed, so
    /// it is ascending either way.
    static func influxOrdered(_ series: [[Sample]], descending: Bool) -> [Sample] {
        let runs = series.filter { !$0.isEmpty }
        if runs.count <= 1 { return runs.first ?? [] }
        guard descending else { return InfluxMerge.merge(runs, descending: false) }
        return InfluxMerge.merge(runs.reversed(), descending: true).reversed()
    }

    /// `influxOrdered` over series laid end to end in `samples`, series `k` ending at `ends[k]`.
    static func influxOrdered(_ samples: [Sample], ends: [Int], descending: Bool) -> [Sample] {
        guard ends.count > 1 else { return samples }
        return influxOrdered(runs(samples, ends: ends).map(Array.init), descending: descending)
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

    /// The entries in [from, end].
    func indices(from: Int64, through end: Int64) -> Range<Int> {
        let lower = lowerBound(from)
        let upper = times.isEmpty || times[times.count - 1] <= end ? times.count : lowerBound(end &+ 1)
        return lower..<Swift.max(lower, upper)
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
