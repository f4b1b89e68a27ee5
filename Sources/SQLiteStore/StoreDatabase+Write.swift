import Synchronization
import TimeSeries

extension StoreDatabase {
    /// Pending log bytes at which an append commits them itself.
    static let logFlushBytes = 1 << 20

    /// Refs for `fields` of `key`, creating the series, fields and open chunks when missing.
    /// Takes only the registry and head locks, never the writer's: a flush in progress does
    /// not hold up the socket reader resolving a new series.
    /// `policy` names the retention policy (nil: the default one).
    func resolve(_ key: SeriesKey, _ fields: [FieldSpec], policy name: String?) throws -> FieldResolution {
        // Whether a series or field was added: only then do readers need a new index snapshot
        // (and plans made before a new one).
        var added = false
        let result = try registry.withLock { r throws -> FieldResolution in
            let policy = try r.index.policyID(name)
            if let conflict = Self.conflict(key, fields, r.index.fields[policy]?[key.measurement]) { return .conflict(conflict) }
            let known = (series: r.newSeries.count, fields: r.newFields.count)
            defer { added = r.newSeries.count != known.series || r.newFields.count != known.fields }
            let series = Self.seriesID(for: key, in: &r)
            // The index's copy, whose strings are shared with the measurement's other series.
            let key = r.index.table[series] ?? key
            var refs: [FieldRef] = []
            refs.reserveCapacity(fields.count)
            for field in fields {
                let info = Self.fieldInfo(field, measurement: key.measurement, policy: policy, in: &r)
                let headKey = HeadKey(series: series, field: info.id)
                let (slot, isNew) = refSlot(headKey, type: info.type, next: UInt32(r.refs.count))
                if isNew { r.refs.append(RefIdentity(key: key, field: field.name, type: info.type, policy: policy)) }
                refs.append(FieldRef(database: token, slot: slot))
            }
            return .refs(refs)
        }
        if added { indexChanged() }
        return result
    }

    /// Appends the rows of `batch` whose refs belong to this database (`rows`, or all).
    /// - Returns: rows appended, and rows whose ref could not be brought back (type conflict
    ///   after the measurement was dropped and recreated with another type).
    func append(_ batch: ColumnBatch, rows: [Int]? = nil) throws -> AppendResult {
        let now = MonotonicClock.now()
        let result: AppendResult = try writer.withLock { w in
            guard !w.closed else { throw SQLiteStoreError.closed(directory: path) }
            let seq = w.nextSeq
            var stale: [Int] = []
            var appended = 0
            head.withLock { h in
                func put(_ row: Int) {
                    let slot = Int(batch.refs[row].slot)
                    let index = slot < h.refHeads.count ? Int(h.refHeads[slot]) : -1
                    guard index >= 0 else {
                        stale.append(row)
                        return
                    }
                    Self.append(row, of: batch, to: index, &h, &w, seq: seq, now: now)
                    appended &+= 1
                }
                if let rows {
                    for row in rows { put(row) }
                } else {
                    for row in 0..<batch.count { put(row) }
                }
            }
            // Refs of dropped series: the series comes back under a new id, as a new write would.
            var dropped = 0
            for row in stale {
                guard let index = revive(slot: Int(batch.refs[row].slot)) else {
                    dropped += 1
                    continue
                }
                head.withLock { h in Self.append(row, of: batch, to: index, &h, &w, seq: seq, now: now) }
                appended += 1
            }
            // A large pending log row is committed now instead of at the next timed flush: it
            // bounds the memory the log holds at high rates (and shortens what a crash can lose).
            if w.log.bytes.count >= Self.logFlushBytes { try flushLocked(&w, .due) }
            return AppendResult(appended: appended, dropped: dropped)
        }
        samplesWritten.add(result.appended, ordering: .relaxed)
        return result
    }

    /// One row into its open chunk and the next log row.
    @inline(__always)
    private static func append(_ row: Int, of batch: ColumnBatch, to index: Int, _ h: inout HeadState, _ w: inout WriterState, seq: Int64, now: UInt64) {
        let time = batch.times[row]
        // One access to the head table per row: each is a bounds check and two indexings.
        h.heads.modify(index) { head in
            let value = batch.value(at: row, as: head.type)
            head.insert(time: time, value: value)
            head.touch(seq: seq, now: now)
            w.log.append(head.key, time: time, value: value)
        }
    }

    /// Re-creates the series field of a ref whose series was dropped; the head index, or nil
    /// when the slot is unknown or its type now conflicts.
    private func revive(slot: Int) -> Int? {
        let revived: Int? = registry.withLock { r in
            guard slot < r.refs.count else { return nil }
            let identity = r.refs[slot]
            let current = head.withLock { $0.refHeads[slot] }
            if current >= 0 { return Int(current) }
            let spec = FieldSpec(identity.field, identity.type)
            // A ref of a dropped policy stays dropped.
            guard r.index.policyIDs.values.contains(identity.policy) else { return nil }
            if Self.conflict(identity.key, [spec], r.index.fields[identity.policy]?[identity.key.measurement]) != nil { return nil }
            let series = Self.seriesID(for: identity.key, in: &r)
            let info = Self.fieldInfo(spec, measurement: identity.key.measurement, policy: identity.policy, in: &r)
            let headKey = HeadKey(series: series, field: info.id)
            return head.withLock { h in
                let index = Self.openHead(&h, headKey, type: info.type, baseSeq: committedSeq.load(ordering: .relaxed))
                h.refHeads[slot] = Int32(index)
                // A resolve since the drop may have handed out another slot: either leads here.
                if h.heads[index].refSlot == HeadSeries.noRef { h.heads.modify(index) { $0.refSlot = UInt32(slot) } }
                return index
            }
        }
        if revived != nil { indexChanged() }
        return revived
    }

    /// The ref slot of the series field `key`: its head's, or `next` (a new slot, `isNew`) with
    /// its head opened when missing. Caller holds the registry lock (`next` is its slot count).
    private func refSlot(_ key: HeadKey, type: FieldType, next: UInt32) -> (slot: UInt32, isNew: Bool) {
        head.withLock { h in
            let index = Self.openHead(&h, key, type: type, baseSeq: committedSeq.load(ordering: .relaxed))
            let existing = h.heads[index].refSlot
            if existing != HeadSeries.noRef { return (existing, false) }
            assert(Int(next) == h.refHeads.count, "ref slots and ref heads out of step")
            h.heads.modify(index) { $0.refSlot = next }
            h.refHeads.append(Int32(index))
            return (next, true)
        }
    }

    /// The index of the head of `key`, created when missing (a new one counts towards `HeapTrim`).
    static func openHead(_ h: inout HeadState, _ key: HeadKey, type: FieldType, baseSeq: Int64) -> Int {
        if let existing = h.heads.slot(of: key) { return existing }
        let index = h.heads.append(HeadSeries(key: key, type: type, baseSeq: baseSeq))
        HeapTrim.process.afterNewSeries(1)
        return index
    }

    /// InfluxDB's field-type-conflict text when a field clashes with the stored field types.
    private static func conflict(_ key: SeriesKey, _ fields: [FieldSpec], _ types: [String: FieldInfo]?) -> String? {
        guard let types else { return nil }
        return FieldSpec.conflict(fields, measurement: key.measurement) { types[$0]?.type }
    }

    private static func seriesID(for key: SeriesKey, in r: inout Registry) -> Int64 {
        if let existing = r.index.table.id(of: key) { return existing }
        let id = r.index.nextSeriesID
        r.index.nextSeriesID += 1
        r.index.add(id: id, key: key)
        r.newSeries.append(id)
        return id
    }

    private static func fieldInfo(_ field: FieldSpec, measurement: String, policy: Int64, in r: inout Registry) -> FieldInfo {
        if let existing = r.index.fields[policy]?[measurement]?[field.name] { return existing }
        let info = FieldInfo(id: r.index.nextFieldID, type: field.type, policy: policy)
        r.index.nextFieldID += 1
        r.index.fields[policy, default: [:]][measurement, default: [:]][field.name] = info
        r.newFields.append((measurement, field.name, info))
        return info
    }
}
