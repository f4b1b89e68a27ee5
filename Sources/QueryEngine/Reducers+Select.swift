import TimeSeries

extension Reducers {
    /// The points a selector picks from one bucket, as indices into `samples`, in output order.
    /// Ties are broken exactly as `reduce` breaks them, so a selector with other fields or tags
    /// beside it shows the same value as it does alone.
    /// - Parameter grouped: the statement groups by time. Measured on InfluxDB 1.6.7: without
    ///   GROUP BY time, of equal last() points at the same time the later series wins; within a
    ///   time bucket the earlier one stays, as its reducer keeps the previous point on equal values.
    static func selectIndices(_ call: FunctionCall, _ samples: ArraySlice<Sample>, grouped: Bool = false) -> [Int] {
        guard !samples.isEmpty else { return [] }
        let s = samples
        var best = s.startIndex
        switch call.name {
        case "first":
            for i in s.indices.dropFirst() where s[i].time < s[best].time || (s[i].time == s[best].time && firstWinsTie(s[i].value, s[best].value)) { best = i }
            return [best]
        case "last":
            for i in s.indices.dropFirst() where s[i].time > s[best].time
                || (s[i].time == s[best].time && (grouped ? greater(s[i].value, s[best].value) : !less(s[i].value, s[best].value))) { best = i }
            return [best]
        case "max":
            for i in s.indices.dropFirst() where greater(s[i].value, s[best].value) || (s[i].value == s[best].value && s[i].time < s[best].time) { best = i }
            return [best]
        case "min":
            for i in s.indices.dropFirst() where greater(s[best].value, s[i].value) || (s[i].value == s[best].value && s[i].time < s[best].time) { best = i }
            return [best]
        case "percentile":
            // Sorting indices with the same comparisons gives the same permutation as `reduce`.
            var order = Array(s.indices)
            GoSort.sort(&order) { less(s[$0].value, s[$1].value) }
            let rank = (Double(order.count) * call.number / 100 + 0.5).rounded(.down)
            guard rank.isFinite, rank >= 1, rank <= Double(order.count) else { return [] }
            return [order[Int(rank) - 1]]
        case "top", "bottom":
            let top = call.name == "top"
            let ranked = s.indices.sorted { a, b in
                if s[a].value != s[b].value { return top ? greater(s[a].value, s[b].value) : less(s[a].value, s[b].value) }
                return s[a].time < s[b].time
            }
            // Points at the same time keep their rank order, as InfluxDB lists them.
            return Array(ranked.prefix(call.count).enumerated().sorted { a, b in
                s[a.element].time != s[b.element].time ? s[a.element].time < s[b.element].time : a.offset < b.offset
            }.map(\.element))
        case "sample":
            guard call.count > 0 else { return [] }
            var reservoir = Array(s.indices.prefix(call.count))
            var rng = SystemRandomNumberGenerator()
            var seen = reservoir.count
            for i in s.indices.dropFirst(call.count) {
                seen += 1
                let j = Int.random(in: 0..<seen, using: &rng)
                if j < call.count { reservoir[j] = i }
            }
            // Listed by time, then by value, as InfluxDB sorts its sample.
            return reservoir.sorted { a, b in
                if s[a].time != s[b].time { return s[a].time < s[b].time }
                return less(s[a].value, s[b].value) || (!less(s[b].value, s[a].value) && a < b)
            }
        default:
            return []
        }
    }
}
