import InfluxQL
import TimeSeries

extension SelectRunner {
    /// What the raw rows of one group read and carry.
    struct RawLayout {
        /// The fields the columns select (a row needs one of them).
        var selected: [String]
        /// The casts each selected field is read under, when one is cast (`value::integer`): a
        /// value that reads as null under all of them is not there, as InfluxDB builds no
        /// iterator for a field of another type.
        var casts: [String: [DataType?]] = [:]
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
        var layout = RawLayout(selected: selected, needed: needed, range: range, auxiliary: auxiliary)
        let casts = plan.columns.flatMap(\.fieldCasts)
        if casts.contains(where: { $0.type != nil && $0.type != .field }) {
            for (field, type) in casts { layout.casts[field, default: []].append(type) }
        }
        return layout
    }

    /// The row of series `si` at time `t` from its field values then, nil when it has no selected
    /// field or the condition's field filter drops it.
    func rawRow(time t: Int64, series si: Int, key: SeriesKey, values: FieldValues, layout: RawLayout,
                condition: Condition, fieldSet: Set<String>) -> RawRow? {
        if layout.casts.isEmpty {
            guard layout.selected.contains(where: { values[$0] != nil }) else { return nil }
        } else {
            guard layout.selected.contains(where: { f in
                guard let v = values[f] else { return false }
                return layout.casts[f].map { types in types.contains { !ResultValue.cast(v, to: $0).isNull } } ?? true
            }) else { return nil }
        }
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
            let merged = homes.map { InfluxMerge.merge(descending ? $0.reversed() : $0, descending: descending) }
            rows = merged.count == 1 ? merged[0] : InfluxMerge.merge(merged, descending: descending)
            // The caller reverses descending answers.
            if descending { rows.reverse() }
        }
        return rows.map { [.time($0.time)] + $0.cells }
    }

    func column(_ eval: RowEval, _ c: Column, _ values: FieldValues) -> ResultValue {
        switch c {
        case .field(let f, let type): return values[f].map { ResultValue.cast($0, to: type) } ?? .null
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
}
