import ChunkEncoding
import TimeSeries

extension StoreDatabase {
    /// The series index: the writer's published snapshot, or (read-only) the file's, reloaded
    /// when the writer has changed it since.
    func currentIndex() throws -> IndexSnapshot {
        guard readOnly else {
            // The snapshot is refreshed only when a query asks after the index changed, so
            // ingest creating series never copies the index.
            return index.withLock { state in
                if indexStale.exchange(false, ordering: .acquiringAndReleasing) {
                    state.snapshot = IndexSnapshot(registry.withLock { $0.index })
                }
                return state.snapshot
            }
        }
        return try withReader { connection in
            let version = try connection.scalar("SELECT value FROM meta WHERE key = 'index_version'") ?? 0
            if let cached = index.withLock({ $0.version == version ? $0.snapshot : nil }) { return cached }
            let loaded = IndexSnapshot(try SeriesIndex.load(connection))
            index.withLock { state in
                if version >= state.version { state = IndexState(snapshot: loaded, version: version) }
            }
            return loaded
        }
    }

    /// An ordered cursor over one series field, merging sealed chunks with the head (or, read-only,
    /// with the log rows not yet sealed).
    func scan(series id: Int64, field: String, policy: String?, range: TimeRange, descending: Bool) throws -> any SampleCursor {
        try scan(series: [id], field: field, policy: policy, range: range, descending: descending)[0]
    }

    /// Cursors over one field of several series, read in one snapshot: the heads are copied under
    /// one lock, then one read transaction reads every series' sealed seq and chunk rows (a
    /// transaction per series cost two lock syscalls and three statements each).
    func scan(series ids: [Int64], field: String, policy name: String?, range: TimeRange, descending: Bool) throws -> [any SampleCursor] {
        let snapshot = try currentIndex()
        let policy = try snapshot.index.policyID(name)
        let infos = ids.map { range.isEmpty ? nil : snapshot.index.fieldID(series: $0, field: field, policy: policy) }
        let keys = zip(ids, infos).map { id, info in info.map { HeadKey(series: id, field: $0.id) } }
        guard keys.contains(where: { $0 != nil }) else { return ids.map { _ in ArrayCursor(samples: []) } }
        // Copy the heads first, then read chunks in a snapshot at least as new: a seal in between
        // shows up as a sealed seq above the copy's, and the copy is then dropped.
        var writerHeads: [HeadCopy?] = Array(filled: nil, count: ids.count)
        var segments: [[LogView.Segment]] = Array(filled: [], count: ids.count)
        // Which series fields may have chunks in the range. The writer knows the newest sealed
        // time of each (read with the head, under the same lock): none sealed, or all before the
        // range (a dashboard's last minutes), and no chunk row needs reading, so a fleet panel
        // over live data runs no SQL per series. A seal after the copy moves only samples the
        // copy holds.
        var readsChunks = keys.map { $0 != nil }
        // Series fields whose newest sealed time the writer does not know yet (since the file
        // was opened): the scan looks it up in its snapshot and the writer keeps it.
        var unknown = [Bool](filled: false, count: keys.count)
        if readOnly {
            segments = try withReader { connection in
                try logView.withLock { view in
                    try view.refresh(connection)
                    return keys.map { key in key.flatMap { view.segments[$0] } ?? [] }
                }
            }
        } else {
            head.withLock { h in
                for (i, key) in keys.enumerated() {
                    guard let key else { continue }
                    writerHeads[i] = h.heads.slot(of: key).map { HeadCopy(h.heads[$0]) }
                    let sealed = h.sealedMax[key]
                    readsChunks[i] = sealed.map { $0 >= range.min } ?? true
                    unknown[i] = sealed == nil
                }
            }
        }
        var sealedSeqs = [Int64](filled: 0, count: keys.count)
        var oldestLog: Int64?
        var chunkLists = [[ChunkRow]](filled: [], count: keys.count)
        var learned: [(HeadKey, Int64)] = []
        if readsChunks.contains(true) {
            (sealedSeqs, oldestLog, chunkLists, learned) = try withReader { connection in
                try connection.transaction(immediate: false) { () throws(SQLiteStoreError) in
                    // A cleanly stopped file has neither table (`Schema.runningTables`); the
                    // writer's file has both while it is open.
                    var oldest: Int64?
                    var hasSealed = true
                    if readOnly {
                        oldest = try connection.hasTable("log") ? try connection.scalar("SELECT min(seq) FROM log") : nil
                        hasSealed = try connection.hasTable("sealed")
                    }
                    // The writer's own bound is read once this snapshot has begun (its first
                    // statement has run), so it is at least the snapshot's `meta.max_span`; a
                    // read-only store reads the file's.
                    var maxSpan: Int64? = readOnly ? try connection.scalar("SELECT value FROM meta WHERE key = 'max_span'") ?? 0 : nil
                    let sealedQuery = hasSealed ? try connection.prepare("SELECT seq FROM sealed WHERE series_id = ? AND field_id = ?") : nil
                    // min_time is in each chunk's header (schema 2 has no column for it; readers
                    // of schema-1 files use the same SQL).
                    let select = try connection.prepare("""
                        SELECT max_time, seq, data, \(readsSummaries ? "summary" : "NULL"), id FROM chunks
                        WHERE series_id = ? AND field_id = ? AND max_time >= ? AND max_time <= ?
                        """)
                    defer {
                        sealedQuery?.reset()
                        select.reset()
                    }
                    var sealed: [Int64] = []
                    var lists: [[ChunkRow]] = []
                    // Each clock is read once per snapshot, however many chunks share it.
                    var clocks: [Int64: [Int64]] = [:]
                    var learned: [(HeadKey, Int64)] = []
                    sealed.reserveCapacity(keys.count)
                    lists.reserveCapacity(keys.count)
                    for (i, key) in keys.enumerated() {
                        guard let key, readsChunks[i] else {
                            sealed.append(0)
                            lists.append([])
                            continue
                        }
                        if let sealedQuery {
                            try sealedQuery.bind(1, key.series)
                            try sealedQuery.bind(2, key.field)
                            sealed.append(try sealedQuery.step() ? sealedQuery.int64(0) : 0)
                            sealedQuery.reset()
                        } else {
                            sealed.append(0)
                        }
                        if unknown[i] { learned.append((key, try lastSealedTime(connection, key) ?? Int64.min)) }
                        if maxSpan == nil { maxSpan = publishedMaxSpan.load(ordering: .sequentiallyConsistent) }
                        let (upper, overflow) = range.max.addingReportingOverflow(maxSpan!)
                        try select.bind(1, key.series)
                        try select.bind(2, key.field)
                        try select.bind(3, range.min)
                        try select.bind(4, overflow ? Int64.max : upper)
                        var rows: [ChunkRow] = []
                        while try select.step() {
                            let data = select.blob(2)
                            let header = try chunkHeader(data, series: key.series, field: key.field)
                            guard header.minTime <= range.max else { continue }
                            rows.append(ChunkRow(minTime: header.minTime, maxTime: select.int64(0), seq: select.int64(1), data: data,
                                                 reference: try reference(header, connection, &clocks), count: header.count,
                                                 summary: select.isNull(3) ? nil : select.blob(3), id: select.int64(4)))
                        }
                        select.reset()
                        lists.append(rows)
                    }
                    return (sealed, oldest, lists, learned)
                }
            }
        }
        if !learned.isEmpty {
            // Only where still unknown: a seal since this snapshot has set a newer time.
            head.withLock { h in
                for (key, time) in learned where h.sealedMax[key] == nil { h.sealedMax[key] = time }
            }
        }
        var cursors: [any SampleCursor] = []
        cursors.reserveCapacity(ids.count)
        for i in ids.indices {
            guard let key = keys[i], let info = infos[i] else {
                cursors.append(ArrayCursor(samples: []))
                continue
            }
            // The writer's head, or a read-only store's head rebuilt from the log rows it may use.
            var headCopy: HeadCopy?
            if let writerHead = writerHeads[i], writerHead.baseSeq >= sealedSeqs[i] {
                headCopy = writerHead
            } else if readOnly, let oldestLog {
                var merged = HeadSeries(key: key, type: info.type, baseSeq: 0)
                for segment in segments[i] where segment.seq > sealedSeqs[i] && segment.seq >= oldestLog {
                    for (time, value) in zip(segment.times, segment.values) { merged.insert(time: time, value: value) }
                }
                if !merged.isEmpty { headCopy = HeadCopy(merged) }
            }
            var headSamples: [Sample]?
            var chunks = chunkLists[i]
            switch headCopy {
            case .row(let row, _):
                // Decoded (or counted) like a sealed chunk, without a `Sample` per value.
                if row.minTime <= range.max && row.maxTime >= range.min { chunks.append(row) }
            case .series(let series):
                headSamples = series.samples()
            case nil:
                break
            }
            cursors.append(MergeCursor(chunks: chunks, head: headSamples, range: range, descending: descending, file: path,
                                       isFloat: info.type == .float, decodedChunks: decodedChunks))
        }
        return cursors
    }
}

/// What a scan keeps of a writer's head, taken under the head lock: its one chunk row when it has
/// one (`HeadSeries.chunkRow`, no copy of the head itself), else a copy of the head.
enum HeadCopy {
    case row(ChunkRow, baseSeq: Int64)
    case series(HeadSeries)

    init(_ head: HeadSeries) {
        if let row = head.chunkRow() { self = .row(row, baseSeq: head.baseSeq) } else { self = .series(head) }
    }

    var baseSeq: Int64 {
        switch self {
        case .row(_, let seq): seq
        case .series(let head): head.baseSeq
        }
    }
}
