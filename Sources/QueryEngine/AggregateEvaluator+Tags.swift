import TimeSeries

extension AggregateEvaluator {
    /// `top(field, tag…, N)` / `bottom(…)`: per bucket, the best point of every distinct tag
    /// combination, then the best N of those, in time order, each with its series key.
    func selectByTags(_ fc: FunctionCall, _ data: FieldData, from: Int64) -> [(time: Int64, value: ResultValue, key: SeriesKey)] {
        let top = fc.name == "top"
        struct Candidate {
            var time: Int64
            var value: Double
            var key: SeriesKey
        }
        func better(_ a: Candidate, _ b: Candidate) -> Bool {
            a.value != b.value ? (top ? a.value > b.value : a.value < b.value) : a.time < b.time
        }
        var buckets: [Int64: [[String]: Candidate]] = [:]
        for (k, column) in data.columns.enumerated() {
            let key = data.keys[k]
            let combo = fc.tags.map { key[tag: $0] ?? "" }
            var i = column.lowerBound(from)
            while i < column.times.count, column.times[i] <= end {
                let t = column.times[i]
                let b = plan.window.isGrouped ? plan.window.start(of: t) : 0
                let c = Candidate(time: t, value: column.values[i], key: key)
                if let existing = buckets[b]?[combo], !better(c, existing) {
                    i += 1
                    continue
                }
                buckets[b, default: [:]][combo] = c
                i += 1
            }
        }
        var out: [(time: Int64, value: ResultValue, key: SeriesKey)] = []
        for b in buckets.keys.sorted() {
            let winners = buckets[b]!.values.sorted(by: better).prefix(fc.count).sorted { $0.time < $1.time }
            out += winners.map { ($0.time, .float($0.value), $0.key) }
        }
        return out
    }
}
