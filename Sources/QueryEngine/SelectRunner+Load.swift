import TimeSeries

extension SelectRunner {
    /// A group's samples of one field while batched scans fill them.
    private struct Pending {
        var data = FieldData()
        var loose: [Sample] = []
    }

    /// One series of a batched scan and the group it belongs to.
    private struct Slot {
        var group: Int
        var member: Member
    }

    /// Reads the fields an aggregate needs for every group. Series of consecutive groups that
    /// share a database, policy and range are scanned together, `scanBatch` per read snapshot (a
    /// GROUP BY over thousands of one-series groups read one snapshot per group before); groups
    /// with a row filter on fields take `load`.
    mutating func loadGroups(_ groups: [Group], conditions: [String: Condition], fieldSets: [String: Set<String>]) throws -> [[String: FieldData]] {
        let fields = plan.columns.flatMap(\.fields)
        let wanted = Array(Set(fields)).sorted()
        var out = [[String: FieldData]](repeating: [:], count: groups.count)
        var batched: [Int] = []
        for (i, g) in groups.enumerated() {
            let condition = conditions[g.measurement]!
            if condition.rowFilter != nil {
                out[i] = try load(g, fields: fields, condition: condition, fieldSet: fieldSets[g.measurement]!, extend: true)
            } else {
                batched.append(i)
            }
        }
        if batched.isEmpty { return out }
        let ranges = groups.map { scanRange(conditions[$0.measurement]!, extend: true) }
        for f in wanted {
            var pending = [Pending](repeating: Pending(), count: groups.count)
            var batch: [Slot] = []
            var batchRange = TimeRange.all
            for i in batched {
                for member in groups[i].series {
                    if let first = batch.first?.member, batch.count == Self.scanBatch || first.database != member.database
                        || first.policy != member.policy || batchRange != ranges[i] {
                        try scanBatch(batch, field: f, range: batchRange, into: &pending)
                        batch.removeAll(keepingCapacity: true)
                    }
                    batchRange = ranges[i]
                    batch.append(Slot(group: i, member: member))
                }
            }
            try scanBatch(batch, field: f, range: batchRange, into: &pending)
            for i in batched {
                var data = pending[i].data
                if !data.isFloat {
                    data.merged = groups[i].series.count > 1 ? Self.stableSorted(pending[i].loose) : pending[i].loose
                } else if needsMerged(f) {
                    data.mergeColumns()
                }
                out[i][f] = data
            }
        }
        return out
    }

    /// One scan over the batch's series, each drained into its group.
    private mutating func scanBatch(_ batch: [Slot], field: String, range: TimeRange, into pending: inout [Pending]) throws {
        guard let first = batch.first?.member else { return }
        let cursors = try store.scan(database: first.database, policy: first.policy, series: batch.map(\.member.id),
                                     field: field, range: range, descending: false)
        for (slot, cursor) in zip(batch, cursors) {
            var column = FloatColumn()
            var group = pending[slot.group]
            pending[slot.group] = Pending()
            let n = try Self.drain(cursor, into: &column, data: &group.data, loose: &group.loose)
            try budget.addPoints(n)
            if group.data.isFloat && !column.times.isEmpty {
                group.data.columns.append(column)
                group.data.keys.append(slot.member.key)
            }
            pending[slot.group] = group
        }
    }
}
