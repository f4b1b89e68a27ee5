import ChunkEncoding
import TimeSeries

extension StoreDatabase {
    /// The series index: the writer's published snapshot, or (read-only) the file's, reloaded
    /// when the writer has changed it since.
    func currentIndex() throws -> SeriesIndex {
        guard readOnly else {
            // The snapshot is refreshed only when a query asks after the index changed, so
            // ingest creating series never copies the index.
            return index.withLock { state in
                if indexStale.exchange(false, ordering: .acquiringAndReleasing) {
                    state.index = registry.withLock { $0.index }
                }
                return state.index
            }
        }
        return try withReader { connection in
            let version = try connection.scalar("SELECT value FROM meta WHERE key = 'index_version'") ?? 0
            if let cached = index.withLock({ $0.version == version ? $0.index : nil }) { return cached }
            let loaded = try SeriesIndex.load(connection)
            index.withLock { state in
                if version >= state.version { state = IndexState(index: loaded, version: version) }
            }
            return loaded
        }
    }

    /// An ordered cursor over one series field, merging sealed chunks with the head (or, read-only,
    /// with the log rows not yet sealed).
    func scan(series id: Int64, field: String, range: TimeRange, descending: Bool) throws -> any SampleCursor {
        let index = try currentIndex()
        guard !range.isEmpty, let info = index.fieldID(series: id, field: field) else {
            return ArrayCursor(samples: [])
        }
        let key = HeadKey(series: id, field: info.id)
        // Copy the head first, then read chunks in a snapshot at least as new: a seal in between
        // shows up as a sealed seq above the copy's, and the copy is then dropped.
        var writerHead: HeadSeries?
        var segments: [LogView.Segment] = []
        if readOnly {
            segments = try withReader { connection in
                try logView.withLock { view in
                    try view.refresh(connection)
                    return view.segments[key] ?? []
                }
            }
        } else {
            writerHead = head.withLock { h in
                h.slots[key].map { h.heads[$0] }
            }
        }
        let (sealedSeq, oldestLog, chunks) = try withReader { connection in
            try connection.transaction(immediate: false) { () throws(SQLiteStoreError) in
                let sealed = try connection.scalar("SELECT seq FROM sealed WHERE series_id = ? AND field_id = ?", id, info.id) ?? 0
                let oldest = readOnly ? try connection.scalar("SELECT min(seq) FROM log") : nil
                let maxSpan = try connection.scalar("SELECT value FROM meta WHERE key = 'max_span'") ?? 0
                // min_time is in each chunk's header (schema 2 has no column for it; readers
                // of schema-1 files use the same SQL).
                let select = try connection.prepare("""
                    SELECT max_time, seq, data FROM chunks WHERE series_id = ? AND field_id = ?
                    AND max_time >= ? AND max_time <= ?
                    """)
                defer { select.reset() }
                try select.bind(1, id)
                try select.bind(2, info.id)
                try select.bind(3, range.min)
                let (upper, overflow) = range.max.addingReportingOverflow(maxSpan)
                try select.bind(4, overflow ? Int64.max : upper)
                var rows: [ChunkRow] = []
                while try select.step() {
                    let data = select.blob(2)
                    let minTime: Int64
                    do {
                        minTime = try ChunkHeader.read(data).minTime
                    } catch {
                        throw .corruptData(file: path, reason: "chunk of series \(id) field \(info.id): \(error)")
                    }
                    guard minTime <= range.max else { continue }
                    rows.append(ChunkRow(minTime: minTime, maxTime: select.int64(0), seq: select.int64(1), data: data))
                }
                return (sealed, oldest, rows)
            }
        }
        var headSamples: [Sample]?
        if let writerHead, writerHead.baseSeq >= sealedSeq {
            headSamples = writerHead.samples()
        } else if readOnly, let oldestLog {
            var merged = HeadSeries(key: key, type: info.type, baseSeq: 0)
            for segment in segments where segment.seq > sealedSeq && segment.seq >= oldestLog {
                for (time, value) in zip(segment.times, segment.values) { merged.insert(time: time, value: value) }
            }
            if !merged.isEmpty { headSamples = merged.samples() }
        }
        return MergeCursor(chunks: chunks, head: headSamples, range: range, descending: descending, file: path)
    }
}
