import InfluxQL
import TimeSeries

/// Runs one planned SELECT against the store.
struct SelectRunner {
    /// The plan, held by reference: the runner is copied into the closures of its scans and
    /// evaluators, and every copy of the plan's value retained and released each of its fields.
    let shared: AggregateEvaluator.SharedPlan
    var plan: SelectPlan { _read { yield shared.plan } }
    let store: any SeriesStore
    let options: QueryOptions
    var budget: ScanBudget

    init(plan: SelectPlan, store: any SeriesStore, options: QueryOptions, budget: ScanBudget) {
        shared = AggregateEvaluator.SharedPlan(plan)
        self.store = store
        self.options = options
        self.budget = budget
    }

    /// One output group: measurement plus GROUP BY tag values, with its series.
    struct Group {
        var measurement: String
        var tags: [Tag]
        var series: [Member]
        /// The measurement's homes (database and retention policy) its members are read from.
        var homes: [Home]

        /// Where `member` is read from.
        func home(of member: Member) -> Home { homes[member.home] }
    }

    /// A series of a group and where it is read from. Holds one reference (the key): a query
    /// over every series of a fleet copies and drops a hundred thousand of these.
    struct Member {
        var id: UInt64
        var key: SeriesKey
        /// The position of its home among the measurement's homes (series order is home, then
        /// key text); `Group.home(of:)`.
        var home: Int = 0
    }

    mutating func run() throws -> [ResultSeries] {
        try run(try selection())
    }

    /// What a statement selects from the series index: its groups in answer order, with each
    /// measurement's condition and fields. A function of the plan, the statement's comparisons
    /// other than time's (and its time range, in the conditions alone) and the index: a kept one
    /// answers the same statement at another time range (`retimed`) until the index changes.
    struct Selection {
        var groups: [Group]
        var conditions: [String: Condition]
        var fieldSets: [String: Set<String>]
        /// The measurements with series selected (the budget checks the span they are read over).
        var spanned: [String]
        var seriesCount: Int
    }

    /// Answers the statement from its selection, which the budget is charged for first.
    mutating func run(_ selection: Selection) throws -> [ResultSeries] {
        try charge(selection)
        return try answer(selection.groups, conditions: selection.conditions, fieldSets: selection.fieldSets)
    }

    /// The statement's selection, charged to the budget (a chunked stream answers from it).
    mutating func select() throws -> (groups: [Group], conditions: [String: Condition], fieldSets: [String: Set<String>]) {
        let selection = try selection()
        try charge(selection)
        return (selection.groups, selection.conditions, selection.fieldSets)
    }

    /// The span limits what series are read over (no series, nothing is read: a host that is not
    /// there answers at once, whatever its time range), then the series are counted.
    private mutating func charge(_ selection: Selection) throws {
        for m in selection.spanned { try budget.checkSpan(selection.conditions[m]!, now: options.now) }
        try budget.addSeries(selection.seriesCount)
    }

    /// `selection`, made for a statement that differs from this one in its time comparisons at
    /// most, with this statement's time range.
    func retimed(_ selection: Selection) throws -> Selection {
        let range = try Condition.timeRange(of: plan.statement.condition, now: options.now, zone: plan.zone)
        var out = selection
        out.conditions = selection.conditions.mapValues { $0.retimed(range) }
        return out
    }

    /// The statement's selection (`Selection`); nothing is charged to the budget yet.
    func selection() throws -> Selection {
        var groups: [Group] = []
        var fieldSets: [String: Set<String>] = [:]
        var conditions: [String: Condition] = [:]
        var selected: [(measurement: String, members: [Member], homes: [Home])] = []
        // Measurements with the same field keys get the same condition (the host load panel's
        // three measurements each have `value`): it is made once, its regexes compiled once.
        var madeFor: (fields: Set<String>, condition: Condition)?
        for m in plan.measurements {
            let homes = plan.databases[m] ?? []
            let fields = plan.fieldNames[m] ?? []
            let condition: Condition
            if let madeFor, madeFor.fields == fields {
                condition = madeFor.condition
            } else {
                condition = try Condition(plan.statement.condition, fields: fields, now: options.now, zone: plan.zone)
                madeFor = (fields, condition)
            }
            fieldSets[m] = fields
            conditions[m] = condition
            var members: [Member] = []
            for (h, home) in homes.enumerated() {
                members += try store.unorderedSeries(database: home.database, filter: .names([m]), where: condition.tags).map {
                    Member(id: $0.id, key: $0.key, home: h)
                }
            }
            selected.append((m, members, homes))
        }
        // GROUP BY * (or a regex) groups every measurement by the tag keys of all of them, as
        // InfluxDB 1.6 does: a key another measurement has is there with an empty value.
        var keys = Set<String>()
        if plan.groupAll || plan.groupRegex != nil {
            for entry in selected { for s in entry.members { keys.formUnion(groupKeys(s)) } }
        }
        for entry in selected {
            groups += group(entry.members, measurement: entry.measurement, homes: entry.homes, keys: keys)
        }
        // Series order inside a group (key text) decides ties and float summation order; only
        // an answer made of counts alone does not depend on it, and groups of one need no sort.
        if !plan.isAggregate || plan.hasAuxiliaryFields || !plan.columns.allSatisfy(Self.countsOnly) {
            for i in groups.indices where groups[i].series.count > 1 {
                groups[i].series = groups[i].series.map { ($0.home, $0.key.description, $0) }
                    .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map(\.2)
            }
        }
        // Groups are in answer order already: `plan.measurements` is sorted and unique, and
        // `group` sorts each measurement's groups by their tags.
        assert(zip(groups, groups.dropFirst()).allSatisfy { $0.measurement <= $1.measurement }, "measurements out of order")
        return Selection(groups: groups, conditions: conditions, fieldSets: fieldSets,
                         spanned: selected.filter { !$0.members.isEmpty }.map(\.measurement),
                         seriesCount: groups.reduce(0) { $0 + $1.series.count })
    }

    /// The rows of each aggregate group, in order. Groups are evaluated independently, on every
    /// core when they hold enough samples between them (a day of one host's 4 cpu states is 4
    /// groups) or are very many; a panel's few groups of two hours take less than waking another
    /// thread costs. `dataMin` is the earliest sample of the statement (the first bucket of a
    /// range without a start).
    func aggregateRows(_ loaded: [(Group, [String: FieldData])], conditions: [String: Condition], dataMin: Int64) throws -> [ResultRows] {
        let shared = self.shared, now = options.now
        let many = loaded.count >= 2 && (loaded.count >= 64
            || loaded.reduce(0) { $0 + $1.1.values.reduce(0) { $0 + $1.sampleCount } } >= Self.parallelDrainPoints)
        return try ParallelWork.map(loaded.count, workers: many ? options.parallelism : 1) { i in
            var agg = AggregateEvaluator(shared: shared, condition: conditions[loaded[i].0.measurement]!, now: now, dataMin: dataMin)
            return try agg.rows(loaded[i].1)
        }
    }

    /// The rest of `run`, on the selected groups.
    private mutating func answer(_ groups: [Group], conditions: [String: Condition], fieldSets: [String: Set<String>]) throws -> [ResultSeries] {
        // SOFFSET without SLIMIT keeps no series (below): nothing needs reading.
        if plan.statement.slimit == 0 && plan.statement.soffset > 0 { return [] }
        var out: [ResultSeries] = []
        if plan.hasAuxiliaryFields {
            out = try auxiliarySeries(groups, conditions: conditions, fieldSets: fieldSets)
        } else if plan.isAggregate {
            var loaded: [(Group, [String: FieldData])] = []
            var dataMin = Int64.max
            for (g, data) in zip(groups, try loadGroups(groups, conditions: conditions, fieldSets: fieldSets)) {
                for d in data.values { if let t = d.minTime { dataMin = min(dataMin, t) } }
                loaded.append((g, data))
            }
            let early = !plan.keepsRowsBeforeStart ? [] : Set(loaded.filter { g, data in
                data.values.contains { ($0.minTime ?? .max) < conditions[g.measurement]!.min }
            }.map(\.0.measurement))
            let reduced = loaded.firstIndex { endsReduce(at: $0.0.measurement, early: early) } ?? loaded.count
            let evaluated = Array(loaded.prefix(reduced))
            let rows = try aggregateRows(evaluated, conditions: conditions, dataMin: dataMin)
            for ((g, _), rows) in zip(evaluated, rows) where !rows.isEmpty {
                out.append(ResultSeries(name: g.measurement, tags: g.tags, columns: plan.columnNames, rows: rows))
            }
        } else {
            for g in groups {
                let cond = conditions[g.measurement]!
                let rows = try rawRows(g, condition: cond, fieldSet: fieldSets[g.measurement]!)
                if rows.isEmpty { continue }
                out.append(ResultSeries(name: g.measurement, tags: g.tags, columns: plan.columnNames, values: rows))
            }
        }
        let s = plan.statement
        // InfluxDB 1.6.7 keeps the tag sets soffset..<soffset+slimit of each measurement, so
        // SOFFSET without SLIMIT keeps none (influxdata/influxdb#7578, closed as won't fix).
        if s.slimit > 0 {
            var kept: [ResultSeries] = []
            var start = 0
            while start < out.count {
                var end = start + 1
                while end < out.count && out[end].name == out[start].name { end += 1 }
                kept += out[start..<end].dropFirst(s.soffset).prefix(s.slimit)
                start = end
            }
            out = kept
        } else if s.soffset > 0 {
            out = []
        }
        // ORDER BY time DESC also walks the series in descending order (SLIMIT and SOFFSET
        // count them ascending, as InfluxDB 1.6.7 does).
        if s.orderDescending { out.reverse() }
        // An aggregate's calls took OFFSET and LIMIT each (AggregateEvaluator.limited).
        let limitsRows = !plan.isAggregate || plan.hasAuxiliaryFields
        // A raw SELECT with OFFSET and no LIMIT answers one row per series at the offset, as
        // InfluxDB 1.6.7 does (influxdata/influxdb#7577).
        let limit = s.limit == 0 && s.offset > 0 && !plan.isAggregate ? 1 : s.limit
        for i in out.indices {
            if s.orderDescending && !plan.ordersOwnRows { out[i].rows = out[i].rows.reversed() }
            guard limitsRows else { continue }
            if s.offset > 0 { out[i].values = Array(out[i].values.dropFirst(s.offset)) }
            if limit > 0 { out[i].values = Array(out[i].values.prefix(limit)) }
        }
        if let zone = plan.zone {
            for i in out.indices { out[i].zone = zone }
        }
        return out.filter { !$0.rows.isEmpty }
    }

    private func groupKeys(_ entry: Member) -> [String] {
        let keys = entry.key.tags.map(\.key).filter { $0 != SelectPlan.seriesTag }
        if plan.groupAll { return keys }
        if let re = plan.groupRegex { return keys.filter { re.matches($0) } }
        return plan.groupTags
    }

    private func group(_ series: [Member], measurement: String, homes: [Home], keys: Set<String>) -> [Group] {
        var byTags: [[Tag]: Int] = [:]
        var groups: [Group] = []
        let groupKeys = (plan.groupAll || plan.groupRegex != nil) ? keys.union(plan.groupTags).sorted() : Array(Set(plan.groupTags)).sorted()
        for s in series {
            let tags = groupKeys.map { Tag($0, s.key[tag: $0] ?? "") }
            if let i = byTags[tags] {
                groups[i].series.append(s)
            } else {
                byTags[tags] = groups.count
                groups.append(Group(measurement: measurement, tags: tags, series: [s], homes: homes))
            }
        }
        // Every group has the same keys in the same order, so the values alone decide the order
        // of their tag lists (and no two groups have equal values).
        groups.sort { a, b in
            for (x, y) in zip(a.tags, b.tags) where x.value != y.value { return x.value < y.value }
            return false
        }
        return groups
    }

    /// The time range scanned for a condition (widened by one bucket for transformations that
    /// look back; clipped to the outermost statement's range).
    func scanRange(_ condition: Condition, extend: Bool) -> TimeRange {
        var minTime = scanStart(condition)
        if extend && !plan.keepsRowsBeforeStart && plan.window.isGrouped && condition.hasMin && plan.columns.contains(where: Self.extendsRange) {
            minTime = Window.back(condition.min, by: plan.window.interval)
        }
        var maxTime = condition.max
        if plan.window.isGrouped && !condition.hasMax { maxTime = options.now }
        return bounded(TimeRange(min: minTime, max: maxTime))
    }

    /// Whether a column is made of `count` calls only (its answer ignores sample order).
    static func countsOnly(_ c: Column) -> Bool {
        switch c {
        case .call(let fc): return fc.name == "count"
        case .transform(_, let inner): return inner.hasCall && countsOnly(inner)
        case .binary(_, let a, let b): return countsOnly(a) && countsOnly(b)
        case .math(_, let args): return args.allSatisfy(countsOnly)
        case .literal: return true
        default: return false
        }
    }

    /// Reads each needed field of a group's series, filtered by the row condition.
    mutating func load(_ g: Group, fields: [String], condition: Condition, fieldSet: Set<String>, extend: Bool) throws -> [String: FieldData] {
        let range = scanRange(condition, extend: extend)
        let wanted = Array(Set(fields)).sorted()
        var out: [String: FieldData] = [:]
        if let filter = condition.rowFilter {
            let all = Array(Set(wanted + condition.filterFields)).sorted()
            var perField: [String: [[Sample]]] = [:]
            for s in g.series {
                var bySeries: [String: [Sample]] = [:]
                for f in all { bySeries[f] = try scan(s, g.home(of: s), f, range) }
                var byTime: [Int64: [String: FieldValue]] = [:]
                for (f, samples) in bySeries { for x in samples { byTime[x.time, default: [:]][f] = x.value } }
                var keep: [Int64: Bool] = [:]
                for (t, row) in byTime {
                    keep[t] = RowEval(key: s.key, fields: fieldSet, lookup: { row[$0] }).truth(filter)
                }
                for f in wanted { perField[f, default: []].append(bySeries[f]!.filter { keep[$0.time] == true }) }
            }
            for f in wanted {
                let samples = FieldData.influxOrdered(perField[f] ?? [], descending: plan.statement.orderDescending)
                out[f] = FieldData(columns: [], merged: samples, isFloat: false)
                if needsSeriesRuns(f) { out[f]!.seriesRuns = (perField[f] ?? []).map { $0[...] } }
            }
            return out
        }
        for f in wanted {
            var data = FieldData()
            var loose: [Sample] = []
            // Series are read in batches of one database (one read snapshot per batch); a batch
            // holds only compressed chunks until its cursors are drained.
            let members = g.series
            var start = 0
            while start < members.count {
                var end = start + 1
                while end < members.count && end - start < Self.scanBatch && members[end].home == members[start].home { end += 1 }
                let home = g.home(of: members[start])
                let cursors = try store.scan(database: home.database, policy: home.policy,
                                             series: members[start..<end].map(\.id), field: f,
                                             range: range, descending: false)
                try budget.expectPoints(cursors.reduce(0) { $0 + $1.pointsAhead })
                for (offset, cursor) in cursors.enumerated() {
                    let s = members[start + offset]
                    var column = FloatColumn()
                    // Opening the existential once keeps the per-sample loop free of box checks.
                    let n = try Self.drain(cursor, into: &column, data: &data, loose: &loose).samples
                    try budget.addPoints(n)
                    if !data.isFloat { data.looseEnds.append(loose.count) }
                    if data.isFloat && !column.times.isEmpty {
                        data.columns.append(column)
                        data.keys.append(s.key)
                    }
                }
                start = end
            }
            if !data.isFloat {
                data.merged = FieldData.influxOrdered(loose, ends: data.looseEnds, descending: plan.statement.orderDescending)
                if needsSeriesRuns(f) { data.seriesRuns = FieldData.runs(loose, ends: data.looseEnds) }
                data.looseEnds = []
            } else if needsMerged(f) {
                data.mergeColumns(descending: plan.statement.orderDescending)
            }
            out[f] = data
        }
        return out
    }

    /// Whether an ungrouped aggregate over a subquery stops before this measurement's rows.
    /// InfluxDB's reduce iterator without GROUP BY time reads one window, the time range, and
    /// ends at the first row outside it; an aggregating subquery's rows come window by window,
    /// so a measurement with an inner bucket before the outer start yields nothing, and
    /// neither does any measurement after it.
    func endsReduce(at measurement: String, early: Set<String>) -> Bool {
        guard plan.keepsRowsBeforeStart, !plan.window.isGrouped else { return false }
        guard plan.columns.contains(where: Self.reduces) else { return false }
        return early.contains { $0 <= measurement }
    }

    static func reduces(_ c: Column) -> Bool {
        switch c {
        case .call: return true
        case .transform(_, let inner): return reduces(inner)
        case .binary(_, let a, let b): return reduces(a) || reduces(b)
        case .math(_, let args): return args.contains(where: reduces)
        default: return false
        }
    }

    /// A read range inside the outermost statement's range (statements inside a subquery;
    /// not the outer statement's reads of the subquery's rows).
    func bounded(_ r: TimeRange) -> TimeRange {
        guard let b = options.readBounds, !plan.keepsRowsBeforeStart else { return r }
        return TimeRange(min: Swift.max(r.min, b.min), max: Swift.min(r.max, b.max))
    }

    /// The earliest time read for a condition.
    func scanStart(_ condition: Condition) -> Int64 {
        plan.keepsRowsBeforeStart ? Int64.min : condition.min
    }

    /// Series per batched scan.
    static let scanBatch = 256

    /// Reads a cursor into a float column, switching the field to generic samples at the first
    /// non-float value. Returns the number of samples read.
    /// With `request`, the cursor may append a sealed chunk as one entry (`SummaryRequest`); the
    /// result then also counts those chunks.
    static func drain<C: SampleCursor>(_ cursor: C, into column: inout FloatColumn, data: inout FieldData, loose: inout [Sample],
                                       summarizing request: SummaryRequest? = nil) throws -> (samples: Int, chunks: Int) {
        var cursor = cursor
        var n = 0, chunks = 0
        if data.isFloat {
            if let request {
                let appended = try cursor.appendFloats(times: &column.times, values: &column.values, weights: &column.weights,
                                                       summarizing: request)
                n = appended.samples
                chunks = appended.chunks
                if appended.done { return (n, chunks) }
            } else {
                let before = column.times.count
                let done = try cursor.appendFloats(times: &column.times, values: &column.values)
                n = column.times.count - before
                if done { return (n, 0) }
            }
        }
        while let x = try cursor.next() {
            n += 1
            if data.isFloat, case .float(let v) = x.value {
                column.times.append(x.time)
                column.values.append(v)
                if request?.aggregate == .count { column.weights.append(1) }
                continue
            }
            if data.isFloat {
                data.isFloat = false
                for c in data.columns {
                    c.appendSamples(to: &loose)
                    data.looseEnds.append(loose.count)
                }
                column.appendSamples(to: &loose)
                data.columns = []
                data.keys = []
                column = FloatColumn()
            }
            loose.append(x)
        }
        return (n, chunks)
    }

    /// A mean reads `field`: non-float samples keep their series apart for it (`FieldData.seriesRuns`).
    func needsSeriesRuns(_ field: String) -> Bool {
        plan.columns.contains { $0.calls.contains { $0.name == "mean" && $0.field == field } }
    }

    /// Whether a column reads this field through a function without a float fast path.
    func needsMerged(_ field: String) -> Bool {
        func walk(_ c: Column) -> Bool {
            switch c {
            case .call(let fc):
                if !plan.window.isGrouped && fc.name == "count" { return false }
                return fc.field == field && !(plan.window.isGrouped && plan.window.zone == nil && FastAggregate.functions.contains(fc.name))
            case .transform(_, let inner):
                if case .field(let f, _) = inner { return f == field }
                return walk(inner)
            case .binary(_, let a, let b): return walk(a) || walk(b)
            case .math(_, let args): return args.contains(where: walk)
            default: return false
            }
        }
        return plan.columns.contains(where: walk)
    }

    static func extendsRange(_ c: Column) -> Bool {
        switch c {
        case .transform(let fc, let inner): return fc.name != "cumulative_sum" && inner.isAggregate
        case .binary(_, let a, let b): return extendsRange(a) || extendsRange(b)
        case .math(_, let args): return args.contains(where: extendsRange)
        default: return false
        }
    }

    private mutating func scan(_ s: Member, _ home: Home, _ field: String, _ range: TimeRange) throws -> [Sample] {
        var cursor = try store.scan(database: home.database, policy: home.policy, series: s.id, field: field, range: range, descending: false)
        var out: [Sample] = []
        while let s = try cursor.next() { out.append(s) }
        try budget.addPoints(out.count)
        return out
    }
}
