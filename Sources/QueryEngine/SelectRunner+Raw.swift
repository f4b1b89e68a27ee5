import InfluxQL
import TimeSeries

extension SelectRunner {
    /// What the raw rows of one group read and carry.
    struct RawLayout {
        /// The fields the columns select (a row needs one of them).
        var selected: [String]
        /// The fields read: the selected ones and those the condition filters on.
        var needed: [String]
        var range: TimeRange
        /// InfluxDB's auxiliary values (the fields and tags the columns read, sorted by name),
        /// which break ties between series when they are merged; a single series needs none.
        var auxiliary: [(name: String, isTag: Bool)]
    }

    func rawLayout(_ g: Group, condition: Condition, fieldSet: Set<String>) -> RawLayout {
        var selected = Array(Set(plan.columns.flatMap(\.fields))).sorted()
        if selected.isEmpty && plan.tagOnlyRows { selected = fieldSet.sorted() }
        let needed = Array(Set(selected + condition.filterFields)).sorted()
        let range = bounded(TimeRange(min: scanStart(condition), max: condition.max))
        let merges = g.series.count > 1 && plan.rowWindow == nil
        let tagRefs = merges ? Set(plan.columns.flatMap(\.tags)) : []
        let auxiliary = merges ? Set(plan.columns.flatMap(\.fields)).union(tagRefs).sorted().map { (name: $0, isTag: tagRefs.contains($0)) } : []
        return RawLayout(selected: selected, needed: needed, range: range, auxiliary: auxiliary)
    }

    /// The row of series `si` at time `t` from its field values then, nil when it has no selected
    /// field or the condition's field filter drops it.
    func rawRow(time t: Int64, series si: Int, key: SeriesKey, values: FieldValues, layout: RawLayout,
                condition: Condition, fieldSet: Set<String>) -> RawRow? {
        guard layout.selected.contains(where: { values[$0] != nil }) else { return nil }
        let eval = RowEval(key: key, fields: fieldSet, lookup: { values[$0] })
        if let filter = condition.rowFilter, !eval.truth(filter) { return nil }
        let aux: [ResultValue] = layout.auxiliary.map { ref in
            ref.isTag ? key[tag: ref.name].map(ResultValue.string) ?? .null : values[ref.name].map(ResultValue.init) ?? .null
        }
        return RawRow(time: t, series: si, cells: plan.columns.map { column(eval, $0, values) }, aux: aux)
    }

    /// Raw rows of one group: each series' fields joined on time, series merged in time order.
    mutating func rawRows(_ g: Group, condition: Condition, fieldSet: Set<String>) throws -> [[ResultValue]] {
        let layout = rawLayout(g, condition: condition, fieldSet: fieldSet)
        var streams: [[RawRow]] = []
        let tally = PointTally()
        let runner = self
        for (si, s) in g.series.enumerated() {
            // Each series' fields joined on time as its cursors are read, in time order.
            let home = g.home(of: s)
            var cursors: [any SampleCursor] = []
            var ahead = 0
            for f in layout.needed {
                let cursor = try store.scan(database: home.database, policy: home.policy, series: s.id, field: f, range: layout.range, descending: false)
                ahead += cursor.pointsAhead
                try budget.expectPoints(ahead)
                cursors.append(cursor)
            }
            let key = s.key
            let source = try SeriesRowSource(fields: layout.needed, cursors: cursors, tally: tally) { t, values in
                runner.rawRow(time: t, series: si, key: key, values: values, layout: layout, condition: condition, fieldSet: fieldSet)
            }
            var rows: [RawRow] = []
            while let row = try source.next() { rows.append(row) }
            try budget.addPoints(tally.count)
            tally.count = 0
            streams.append(rows)
        }
        var rows: [RawRow]
        if let w = plan.rowWindow {
            rows = streams.flatMap { $0 }
            rows.sort { a, b in
                let wa = w.start(of: a.time), wb = w.start(of: b.time)
                if wa != wb { return wa < wb }
                return a.series != b.series ? a.series < b.series : a.time < b.time
            }
        } else {
            // As InfluxDB merges them: each database and policy read (a shard) merges its series,
            // then the shards are merged, both with Go's heap and InfluxDB's order of points.
            let descending = plan.statement.orderDescending
            var homes: [[[RawRow]]] = []
            for (si, s) in g.series.enumerated() {
                if si > 0 && g.series[si - 1].home == s.home { homes[homes.count - 1].append(streams[si]) } else { homes.append([streams[si]]) }
            }
            // Descending, each shard's series are walked in reverse key order.
            let merged = homes.map { RawRow.influxMerge(descending ? $0.reversed() : $0, descending: descending) }
            rows = merged.count == 1 ? merged[0] : RawRow.influxMerge(merged, descending: descending)
            // The caller reverses descending answers.
            if descending { rows.reverse() }
        }
        return rows.map { [.time($0.time)] + $0.cells }
    }

    func column(_ eval: RowEval, _ c: Column, _ values: FieldValues) -> ResultValue {
        switch c {
        case .field(let f, _): return values[f].map(ResultValue.init) ?? .null
        case .tag(let t): return eval.key[tag: t].map(ResultValue.string) ?? .null
        case .literal(let v): return v
        case .binary(let op, let a, let b):
            return RowEval.arithmetic(op, column(eval, a, values), column(eval, b, values))
        case .math(let function, let args):
            return function.apply(column(eval, args[0], values), args.count > 1 ? column(eval, args[1], values) : .null)
        default: return .null
        }
    }
}

/// A raw row of one series before the series are merged.
struct RawRow {
    var time: Int64
    var series: Int
    /// The row's cells after `time`, in column order.
    var cells: [ResultValue]
    /// The values of the fields and tags the columns read, sorted by name (InfluxDB's aux
    /// fields, which break ties between series).
    var aux: [ResultValue] = []

    /// InfluxDB 1.6.7's sorted merge of per-series (or per-shard) iterators: Go's
    /// `container/heap` (not stable) over the streams' next points, ordered by time, then by
    /// the string aux values in order until one that is not a string on both sides (equal
    /// then). Streams are ascending; with `descending` they are walked from the end and the
    /// result is newest first.
    static func influxMerge(_ streams: [[RawRow]], descending: Bool) -> [RawRow] {
        var next = streams.map { descending ? $0.count - 1 : 0 }
        var heap = InfluxHeap(descending: descending)
        for (i, s) in streams.enumerated() where !s.isEmpty { heap.heads.append((i, s[next[i]])) }
        heap.heapify()
        var out: [RawRow] = []
        out.reserveCapacity(streams.reduce(0) { $0 + $1.count })
        while let (i, row) = heap.pop() {
            out.append(row)
            next[i] += descending ? -1 : 1
            if next[i] >= 0 && next[i] < streams[i].count { heap.push(i, streams[i][next[i]]) }
        }
        return out
    }
}

/// Go's `container/heap` as InfluxDB 1.6.7's sorted merge uses it: the streams' next rows,
/// ordered by time, then by the string aux values in order until one that is not a string on
/// both sides (equal then). Not stable: which of two tied rows comes first depends on the
/// heap's history, so every merge goes through these same operations.
struct InfluxHeap {
    let descending: Bool
    var heads: [(source: Int, row: RawRow)] = []

    init(descending: Bool) {
        self.descending = descending
    }

    /// Orders the rows appended to `heads` (Go's `heap.Init`).
    mutating func heapify() {
        let n = heads.count
        if n > 1 { for i in stride(from: n / 2 - 1, through: 0, by: -1) { down(i, n) } }
    }

    /// The first row and its source (Go's `heap.Pop`).
    mutating func pop() -> (source: Int, row: RawRow)? {
        let n = heads.count
        guard n > 0 else { return nil }
        heads.swapAt(0, n - 1)
        down(0, n - 1)
        return heads.removeLast()
    }

    /// A source's next row (Go's `heap.Push`).
    mutating func push(_ source: Int, _ row: RawRow) {
        heads.append((source, row))
        up(heads.count - 1)
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        // Times are read in place; only a tie reads the aux values.
        let ta = heads[a].row.time, tb = heads[b].row.time
        if ta != tb { return descending ? ta > tb : ta < tb }
        for (u, v) in zip(heads[a].row.aux, heads[b].row.aux) {
            guard case .string(let s1) = u, case .string(let s2) = v else { return false }
            if s1 == s2 { continue }
            return descending ? s1 > s2 : s1 < s2
        }
        return false
    }

    private mutating func down(_ i0: Int, _ n: Int) {
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

    private mutating func up(_ j0: Int) {
        var j = j0
        while j > 0 {
            let i = (j - 1) / 2
            if !less(j, i) { break }
            heads.swapAt(i, j)
            j = i
        }
    }
}
