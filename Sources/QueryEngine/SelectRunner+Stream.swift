import TimeSeries

/// Raw rows handed out one at a time, in the order InfluxDB's iterators give them.
protocol RawRowSource: AnyObject {
    func next() throws -> RawRow?
}

/// Samples read by a stream's cursors since the budget last counted them.
final class PointTally {
    var count = 0
}

/// One series' rows, joined on time from its fields' cursors as they are read: what `rawRows`
/// builds for the series, without holding more than one sample per field.
final class SeriesRowSource: RawRowSource {
    private let fields: [String]
    private var cursors: [any SampleCursor]
    private var ahead: [Sample?]
    private let tally: PointTally
    private let build: (Int64, [String: FieldValue]) -> RawRow?

    init(fields: [String], cursors: [any SampleCursor], tally: PointTally, build: @escaping (Int64, [String: FieldValue]) -> RawRow?) throws {
        self.fields = fields
        self.cursors = cursors
        self.tally = tally
        self.build = build
        ahead = []
        for i in cursors.indices {
            let sample = try self.cursors[i].next()
            if sample != nil { tally.count += 1 }
            ahead.append(sample)
        }
    }

    func next() throws -> RawRow? {
        while true {
            var time: Int64?
            for case let sample? in ahead where time == nil || sample.time < time! { time = sample.time }
            guard let t = time else { return nil }
            var values: [String: FieldValue] = [:]
            for i in ahead.indices {
                // A later sample at the same time replaces an earlier one, as in `rawRows`.
                while let sample = ahead[i], sample.time == t {
                    values[fields[i]] = sample.value
                    ahead[i] = try cursors[i].next()
                    if ahead[i] != nil { tally.count += 1 }
                }
            }
            if let row = build(t, values) { return row }
        }
    }
}

/// `RawRow.influxMerge` kept open: the same heap operations in the same order over sources read
/// as the merge goes, so rows that tie come out in the order the whole merge gives them.
final class InfluxMergeSource: RawRowSource {
    private let sources: [any RawRowSource]
    private var heads: [(source: Int, row: RawRow)] = []

    init(_ sources: [any RawRowSource]) throws {
        self.sources = sources
        for (i, source) in sources.enumerated() {
            if let row = try source.next() { heads.append((i, row)) }
        }
        let n = heads.count
        if n > 1 { for i in stride(from: n / 2 - 1, through: 0, by: -1) { down(i, n) } }
    }

    func next() throws -> RawRow? {
        let n = heads.count
        guard n > 0 else { return nil }
        heads.swapAt(0, n - 1)
        down(0, n - 1)
        let item = heads.removeLast()
        if let row = try sources[item.source].next() {
            heads.append((item.source, row))
            up(heads.count - 1)
        }
        return item.row
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        let x = heads[a].row, y = heads[b].row
        if x.time != y.time { return x.time < y.time }
        for (u, v) in zip(x.aux, y.aux) {
            guard case .string(let s1) = u, case .string(let s2) = v else { return false }
            if s1 == s2 { continue }
            return s1 < s2
        }
        return false
    }

    private func down(_ i0: Int, _ n: Int) {
        var i = i0
        while true {
            let j1 = 2 * i + 1
            if j1 >= n { break }
            var j = j1
            if j1 + 1 < n && less(j1 + 1, j1) { j = j1 + 1 }
            if !less(j, i) { break }
            heads.swapAt(i, j)
            i = j
        }
    }

    private func up(_ j0: Int) {
        var j = j0
        while j > 0 {
            let i = (j - 1) / 2
            if !less(j, i) { break }
            heads.swapAt(i, j)
            j = i
        }
    }
}

extension SelectRunner {
    /// A raw SELECT `rawStream` can answer: rows in ascending time, no per-series or series
    /// limits, no windows (`answer` does those on the whole result).
    var streamsRawRows: Bool {
        let s = plan.statement
        return !plan.isAggregate && !plan.hasAuxiliaryFields && plan.rowWindow == nil && !s.orderDescending
            && s.limit == 0 && s.offset == 0 && s.slimit == 0 && s.soffset == 0
    }

    /// The rows of one group as `rawRows` gives them, read as they are taken: each series' fields
    /// through open cursors, merged per home (database and policy) and then across homes.
    func rawSource(_ g: Group, condition: Condition, fieldSet: Set<String>, tally: PointTally) throws -> any RawRowSource {
        let layout = rawLayout(g, condition: condition, fieldSet: fieldSet)
        var homes: [[any RawRowSource]] = []
        for (si, s) in g.series.enumerated() {
            let home = g.home(of: s)
            var cursors: [any SampleCursor] = []
            for f in layout.needed {
                cursors.append(try store.scan(database: home.database, policy: home.policy, series: s.id, field: f, range: layout.range, descending: false))
            }
            let runner = self, key = s.key
            let source = try SeriesRowSource(fields: layout.needed, cursors: cursors, tally: tally) { t, values in
                runner.rawRow(time: t, series: si, key: key, values: values, layout: layout, condition: condition, fieldSet: fieldSet)
            }
            if si > 0 && g.series[si - 1].home == s.home { homes[homes.count - 1].append(source) } else { homes.append([source]) }
        }
        let merged = try homes.map { try InfluxMergeSource($0) }
        return merged.count == 1 ? merged[0] : try InfluxMergeSource(merged)
    }
}
