import TimeSeries

extension SelectRunner {
    /// A group's samples of one field while batched scans fill them.
    private struct Pending {
        var data = FieldData()
        var loose: [Sample] = []
    }

    /// One series of a batched scan: its group and its place among the group's series.
    private struct Slot: Sendable {
        var group: Int
        var member: Int
    }

    /// Reads the fields an aggregate needs for every group. Series of consecutive groups that
    /// share a database, policy and range are scanned together, `scanBatch` per read snapshot (a
    /// GROUP BY over thousands of one-series groups read one snapshot per group before); groups
    /// with a row filter on fields take `load`.
    mutating func loadGroups(_ groups: [Group], conditions: [String: Condition], fieldSets: [String: Set<String>]) throws -> [[String: FieldData]] {
        let fields = plan.columns.flatMap(\.fields)
        let wanted = Array(Set(fields)).sorted()
        var out = [[String: FieldData]](filled: [:], count: groups.count)
        var batched: [Int] = []
        for (i, g) in groups.enumerated() {
            let condition = conditions[g.measurement]!
            if condition.rowFilter != nil {
                out[i] = try load(g, fields: fields, condition: condition, fieldSet: fieldSets[g.measurement]!, extend: true)
            } else {
                batched.append(i)
            }
        }
        if batched.isEmpty { return addingCasts(out) }
        let ranges = groups.map { scanRange(conditions[$0.measurement]!, extend: true) }
        let total = batched.reduce(0) { $0 + groups[$1].series.count }
        let size = Self.batchSize(series: total, workers: budget.inline == nil ? options.parallelism : 1)
        for f in wanted {
            var pending = [Pending](filled: Pending(), count: groups.count)
            var batches: [Batch] = []
            var batch = Batch(range: .all, database: "", policy: "", slots: [], ids: [])
            for i in batched {
                // Indices, not copies of the members: a fleet-wide statement has 100 000 of them.
                let members = groups[i].series, homes = groups[i].homes
                for m in members.indices {
                    let h = members[m].home
                    if !batch.slots.isEmpty, batch.slots.count == size || batch.database != homes[h].database
                        || batch.policy != homes[h].policy || batch.range != ranges[i] {
                        batches.append(batch)
                        batch.slots.removeAll()
                        batch.ids.removeAll()
                    }
                    if batch.slots.isEmpty {
                        batch.database = homes[h].database
                        batch.policy = homes[h].policy
                    }
                    batch.range = ranges[i]
                    batch.slots.append(Slot(group: i, member: m))
                    batch.ids.append(members[m].id)
                }
            }
            if !batch.slots.isEmpty { batches.append(batch) }
            let store = self.store, work = batches, interrupt = budget.interrupt
            // An inline run stays on its thread and gives up as soon as it has read too much.
            let remaining = budget.inline.map { $0.points - budget.points } ?? Int.max
            let workers = budget.inline == nil ? options.parallelism : 1
            let requests = batches.map { summaryRequest(field: f, condition: conditions[groups[$0.slots[0].group].measurement]!) }
            // One batch (fewer series than `batchSize`'s floor) still decodes on every core when
            // its chunks hold many points: a day of a host's cpu states is one batch of 8 series.
            let inner = work.count == 1 ? workers : 1
            var drained = try ParallelWork.map(work.count, workers: workers) { b in
                try interrupt.check()
                return try Self.drainBatch(work[b], field: f, store: store, pointLimit: remaining, summarizing: requests[b], workers: inner)
            }
            if Self.summaryConflict(batches, drained, groups: groups.count) {
                drained = try ParallelWork.map(work.count, workers: workers) { b in
                    try interrupt.check()
                    return try Self.drainBatch(work[b], field: f, store: store, pointLimit: remaining, summarizing: nil, workers: inner)
                }
            }
            for (batch, results) in zip(batches, drained) {
                for (slot, result) in zip(batch.slots, results) {
                    try budget.addPoints(result.count)
                    budget.summarizedChunks += result.chunks
                    Self.merge(result, key: groups[slot.group].series[slot.member].key, into: &pending[slot.group])
                }
            }
            // What the plan's columns need of the field, the same for every group.
            let merges = needsMerged(f), runs = needsSeriesRuns(f)
            for i in batched {
                var data = pending[i].data
                if !data.isFloat {
                    data.merged = FieldData.influxOrdered(pending[i].loose, ends: data.looseEnds, descending: plan.statement.orderDescending)
                    if runs { data.seriesRuns = FieldData.runs(pending[i].loose, ends: data.looseEnds) }
                    data.looseEnds = []
                } else if merges {
                    data.mergeColumns(descending: plan.statement.orderDescending)
                }
                out[i][f] = data
            }
        }
        return addingCasts(out)
    }

    /// Each group's fields as the calls with a cast read them (`FunctionCall.dataKey`).
    private func addingCasts(_ loaded: [[String: FieldData]]) -> [[String: FieldData]] {
        let casts = plan.columns.flatMap(\.calls).filter { $0.cast != nil }
        guard !casts.isEmpty else { return loaded }
        var out = loaded
        for i in out.indices {
            for c in casts where out[i][c.dataKey] == nil {
                out[i][c.dataKey] = (out[i][c.field] ?? FieldData()).cast(to: c.cast!, descending: plan.statement.orderDescending)
            }
        }
        return out
    }

    /// Series of consecutive groups read in one snapshot (one `store.scan`).
    private struct Batch: Sendable {
        var range: TimeRange
        var database: String
        var policy: String
        var slots: [Slot]
        /// The series ids of `slots`, in the same order.
        var ids: [UInt64]
    }

    /// One series' samples, drained on its own (possibly on another thread).
    private struct Drained: Sendable {
        var column: FloatColumn
        var isFloat: Bool
        var loose: [Sample]
        var count: Int
        /// Chunks appended as one entry (`SummaryRequest`).
        var chunks: Int
    }

    /// Whether a group mixes a series with summarized chunks and one that is not all floats: its
    /// samples then become `Sample`s, where a summarized entry would pass for one sample.
    private static func summaryConflict(_ batches: [Batch], _ drained: [[Drained]], groups: Int) -> Bool {
        var summarized = [Bool](filled: false, count: groups)
        var mixed = [Bool](filled: false, count: groups)
        for (batch, results) in zip(batches, drained) {
            for (slot, result) in zip(batch.slots, results) {
                if result.chunks > 0 { summarized[slot.group] = true }
                if !result.isFloat { mixed[slot.group] = true }
            }
        }
        return zip(summarized, mixed).contains { $0 && $1 }
    }

    /// Series per batch: `scanBatch` (256) for a serial run; with more cores, small enough that
    /// every core gets about four batches to balance, but not below 16 series per snapshot.
    static func batchSize(series: Int, workers: Int) -> Int {
        guard workers > 1 else { return scanBatch }
        let share = (series + workers * 4 - 1) / (workers * 4)
        return max(16, min(scanBatch, share))
    }

    /// Reads a batch's series in one snapshot and drains each into its own column. Independent of
    /// every other batch, so batches run in parallel; with `workers` > 1 the batch's own series
    /// are drained in parallel when they hold at least `parallelDrainPoints` between them.
    /// Past `pointLimit` points (an inline run's) it stops with `QueryError.abandoned`.
    private static func drainBatch(_ batch: Batch, field: String, store: any SeriesStore, pointLimit: Int,
                                   summarizing request: SummaryRequest?, workers: Int = 1) throws -> [Drained] {
        guard !batch.ids.isEmpty else { return [] }
        let cursors = try store.scan(database: batch.database, policy: batch.policy, series: batch.ids,
                                     field: field, range: batch.range, descending: false)
        // The estimate walks every cursor's chunk list: only when something depends on it (not
        // for the many small batches of a fleet-wide statement on the pool).
        let limited = pointLimit != Int.max, parallel = workers > 1 && cursors.count > 1
        let ahead = limited || parallel ? cursors.reduce(0) { $0 + $1.pointsAhead } : 0
        // An inline run gives up before it decodes more than it may (the count after each
        // series below stays the exact check).
        if limited, ahead > pointLimit { throw QueryError.abandoned }
        if parallel, ahead >= parallelDrainPoints {
            let shared = SharedCursors(cursors)
            return try ParallelWork.map(cursors.count, workers: workers) { i in
                try drainOne(shared.cursors[i], summarizing: request)
            }
        }
        var points = 0
        return try cursors.map { cursor in
            let drained = try drainOne(cursor, summarizing: request)
            points += drained.count
            if points > pointLimit { throw QueryError.abandoned }
            return drained
        }
    }

    /// Points below which one batch's series are drained on one thread: about a third of a
    /// millisecond of decoding, well above the cost of waking another.
    static let parallelDrainPoints = 20_000

    private static func drainOne(_ cursor: any SampleCursor, summarizing request: SummaryRequest?) throws -> Drained {
        var column = FloatColumn()
        var data = FieldData()
        var loose: [Sample] = []
        let (n, chunks) = try drain(cursor, into: &column, data: &data, loose: &loose, summarizing: request)
        return Drained(column: column, isFloat: data.isFloat, loose: loose, count: n, chunks: chunks)
    }

    /// One batch's cursors, read (each copied once, by one thread) while its series drain in
    /// parallel; never mutated meanwhile.
    private final class SharedCursors: @unchecked Sendable {
        let cursors: [any SampleCursor]
        init(_ cursors: [any SampleCursor]) { self.cursors = cursors }
    }

    /// The aggregate a batched scan of `field` may answer per sealed chunk: the statement's one
    /// column is count, min, max, first or last of `field` over GROUP BY time buckets in UTC
    /// (FastAggregate's path), or an ungrouped count. Nil otherwise, or when `options.summaries`
    /// is off.
    func summaryRequest(field: String, condition: Condition) -> SummaryRequest? {
        guard options.summaries, plan.isAggregate, !plan.hasAuxiliaryFields, plan.columns.count == 1,
              case .call(let fc) = plan.columns[0], fc.field == field, fc.cast == nil, !needsMerged(field) else { return nil }
        let aggregate: SummaryRequest.Aggregate
        switch fc.name {
        case "count": aggregate = .count
        case "min": aggregate = .min
        case "max": aggregate = .max
        case "first": aggregate = .first
        case "last": aggregate = .last
        default: return nil
        }
        let window = plan.window
        let grouped = window.isGrouped && window.zone == nil
        guard grouped || (!window.isGrouped && aggregate == .count) else { return nil }
        // The evaluator reads [start, end] (AggregateEvaluator.init); without a lower bound it
        // starts at the earliest sample, which every entry is at or after.
        let lower = condition.hasMin && !plan.keepsRowsBeforeStart ? condition.min : Int64.min
        let upper = condition.hasMax ? condition.max : (window.isGrouped ? options.now : Int64.max)
        let bucket: @Sendable (Int64) -> Int64
        if grouped {
            bucket = { window.start(of: $0) }
        } else {
            bucket = { _ in 0 }
        }
        return SummaryRequest(aggregate: aggregate, lower: lower, upper: upper, bucket: bucket)
    }

    /// Adds one drained series to its group, in series order, with the result a serial `drain`
    /// into the group would give: the first non-float sample turns the group's columns so far
    /// into samples, and later series of such a group go to samples too.
    private static func merge(_ series: Drained, key: SeriesKey, into pending: inout Pending) {
        if series.isFloat {
            if pending.data.isFloat {
                if !series.column.times.isEmpty {
                    pending.data.columns.append(series.column)
                    pending.data.keys.append(key)
                }
            } else {
                series.column.appendSamples(to: &pending.loose)
                pending.data.looseEnds.append(pending.loose.count)
            }
            return
        }
        if pending.data.isFloat {
            pending.data.isFloat = false
            for c in pending.data.columns {
                c.appendSamples(to: &pending.loose)
                pending.data.looseEnds.append(pending.loose.count)
            }
            pending.data.columns = []
            pending.data.keys = []
        }
        pending.loose += series.loose
        pending.data.looseEnds.append(pending.loose.count)
    }
}
