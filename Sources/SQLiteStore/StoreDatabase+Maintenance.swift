import ChunkEncoding
import Synchronization
import TimeSeries

extension StoreDatabase {
    /// Seals every open chunk and empties the log (a clean close leaves only chunks).
    func checkpoint() throws {
        try flush(.all)
    }

    /// Seals everything and closes the file.
    func close() throws {
        try writer.withLock { w in
            if w.connection != nil && !w.closed {
                try flushLocked(&w, .all)
                // With no log row left, no replay needs to know what was sealed when: a cleanly
                // stopped file keeps neither table (two empty B-trees, a page each; the newest
                // sealed times are looked up in `chunks_by_series` when next needed). The writer
                // creates them again when it opens the file.
                if w.logRows == 0, let connection = w.connection {
                    try connection.transaction { () throws(SQLiteStoreError) in try connection.execute("DROP TABLE sealed; DROP TABLE log") }
                }
                // Pages freed by deleted log rows go back to the file system, and everything in
                // the WAL moves into the database file.
                try? w.connection?.execute("PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE)")
            }
        }
        closeConnections()
    }

    func dropSeries(_ ids: [Int64]) throws {
        try writer.withLock { w in try dropSeriesLocked(&w, Set(ids), measurement: nil) }
    }

    func dropMeasurement(_ name: String) throws {
        try writer.withLock { w in
            let ids = registry.withLock { r in Set(r.index.table.entries.compactMap { $0.key.measurement == name ? $0.id : nil }) }
            try dropSeriesLocked(&w, ids, measurement: name)
        }
    }

    func dropSeriesLocked(_ w: inout WriterState, _ ids: Set<Int64>, measurement: String?) throws(SQLiteStoreError) {
        guard let connection = w.connection else { return }
        // Persist pending series rows first: their ids then stay taken in meta.next_series, so
        // log records of a dropped, never-flushed series can never be replayed into a new one.
        try flushLocked(&w, .due)
        var removedChunks = 0
        try connection.transaction { () throws(SQLiteStoreError) in
            var uses: [Int64: Int64] = [:]
            for id in ids {
                try clockUses(connection, where: "series_id = ?", binding: id, into: &uses)
                for sql in ["DELETE FROM chunks WHERE series_id = ?", "DELETE FROM sealed WHERE series_id = ?", "DELETE FROM series WHERE id = ?"] {
                    let delete = try connection.prepare(sql)
                    try delete.bind(1, id)
                    try delete.run()
                    if sql.contains("chunks") { removedChunks += connection.changes }
                }
            }
            if let measurement {
                let delete = try connection.prepare("DELETE FROM fields WHERE measurement = ?")
                try delete.bind(1, measurement)
                try delete.run()
            }
            try setMeta("chunks", Int64(w.chunkCount - removedChunks), connection)
            try connection.execute("UPDATE meta SET value = value + 1 WHERE key = 'index_version'")
            try releaseClocks(&w, connection, uses)
        }
        w.chunkCount -= removedChunks
        registry.withLock { r in
            for id in ids { r.index.remove(id: id) }
            r.newSeries.removeAll { ids.contains($0) }
            if let measurement {
                for policy in r.index.fields.keys { r.index.fields[policy]?[measurement] = nil }
                r.newFields.removeAll { $0.measurement == measurement }
            }
            // Refs of dropped series point nowhere until an append brings the series back.
            forget(&r) { ids.contains($0.series) }
        }
        w.overlapping = w.overlapping.filter { !ids.contains($0.series) }
        indexChanged()
        try? connection.execute("PRAGMA incremental_vacuum")
    }

    /// Forgets the refs and open heads of the series fields `matches` selects (their rows are
    /// gone); the caller holds the registry lock and passes its state.
    func forget(_ r: inout Registry, _ matches: (HeadKey) -> Bool) {
        head.withLock { h in
            var forgotten = Set<Int32>()
            for slot in h.heads.indices {
                let key = h.heads.key(at: slot)
                guard matches(key), h.heads.slot(of: key) == slot else { continue }
                forgotten.insert(Int32(slot))
                h.heads.forget(slot)
                h.sealedMax[key] = nil
                h.heads.modify(slot) { head in
                    head.sealed(at: 0)
                    head.refSlot = HeadSeries.noRef
                }
            }
            guard !forgotten.isEmpty else { return }
            // Every ref slot that led to a forgotten head (a revived ref and a newer one may share one).
            for slot in h.refHeads.indices where forgotten.contains(h.refHeads[slot]) { h.refHeads[slot] = -1 }
        }
    }

    /// Deletes every sample of the series inside `range`: their open chunks are sealed first
    /// (so the log cannot bring samples back), then chunks are deleted or trimmed.
    func deleteSamples(_ ids: [Int64], range: TimeRange) throws {
        guard !range.isEmpty else { return }
        try writer.withLock { w in
            try flushLocked(&w, .series(Set(ids)))
            guard let connection = w.connection else { return }
            let maxSpan = w.maxSpan
            try rewriteChunks(&w, connection) { () throws(SQLiteStoreError) in
                var rows: [StoredChunk] = []
                for id in ids {
                    rows += try selectChunks(connection, series: id, field: nil, overlapping: range, maxSpan: maxSpan)
                }
                return rows
            } keep: { !range.contains($0) }
        }
    }

    /// Applies each retention policy's duration to its samples (see `applyRetention(cutoff:fields:)`).
    func applyRetention(now: Int64) throws {
        let index = registry.withLock { $0.index }
        for policy in index.policies.policies {
            guard let cutoff = policy.oldestKept(now: now), let id = index.policyIDs[policy.name] else { continue }
            let fields = Set((index.fields[id] ?? [:]).values.flatMap { $0.values.map(\.id) })
            if !fields.isEmpty { try applyRetention(cutoff: cutoff, fields: fields) }
        }
    }

    /// Deletes samples of `fields` older than `cutoff`: whole chunks by key range, partly
    /// expired ones trimmed.
    func applyRetention(cutoff: Int64, fields: Set<Int64>) throws {
        try writer.withLock { w in
            try flushLocked(&w, .olderThan(cutoff, fields: fields))
            guard let connection = w.connection else { return }
            // Every series of the fields' measurements (a series field without chunks reads none).
            let keys: [HeadKey] = registry.withLock { r in
                var byMeasurement: [String: [Int64]] = [:]
                for byName in r.index.fields.values {
                    for (measurement, infos) in byName {
                        for info in infos.values where fields.contains(info.id) { byMeasurement[measurement, default: []].append(info.id) }
                    }
                }
                return r.index.table.entries.flatMap { entry in
                    (byMeasurement[entry.key.measurement] ?? []).map { HeadKey(series: entry.id, field: $0) }
                }
            }
            let expired = TimeRange(min: Int64.min, max: cutoff &- 1)
            let maxSpan = w.maxSpan
            try rewriteChunks(&w, connection) { () throws(SQLiteStoreError) in
                var rows: [StoredChunk] = []
                for key in keys {
                    rows += try selectChunks(connection, series: key.series, field: key.field, overlapping: expired, maxSpan: maxSpan)
                }
                return rows
            } keep: { $0 >= cutoff }
            try? connection.execute("PRAGMA incremental_vacuum")
        }
    }

    /// Copies the WAL into the database file and truncates it to zero bytes, unless a reader
    /// still needs an older snapshot: then it gives up after `busyMilliseconds` (the writer waits
    /// at most that long) and the next call tries again. Keeps the WAL bounded while queries
    /// run continuously (SQLite's automatic checkpoints never reset a WAL a reader is using).
    /// - Returns: true when the WAL was truncated.
    @discardableResult
    func truncateWAL(busyMilliseconds: Int32 = 100) -> Bool {
        writer.withLock { w in
            guard let connection = w.connection, !w.closed else { return false }
            connection.setBusyTimeout(milliseconds: busyMilliseconds)
            defer { connection.setBusyTimeout(milliseconds: 10_000) }
            // The first column is 1 when the checkpoint could not complete (busy).
            guard let busy = try? connection.scalar("PRAGMA wal_checkpoint(TRUNCATE)"), busy == 0 else { return false }
            w.walTruncations += 1
            return true
        }
    }

    /// Compacts every series field: see `compactStep`.
    func compact() throws {
        while try !compactStep(keys: 1_000).wrapped {}
    }

    /// One bounded step of background compaction, resuming where the previous step stopped:
    /// series fields that recent seals left overlapping, then the next `keys` series fields in
    /// key order. For each, overlapping chunks (late samples, from this process or an earlier
    /// one) are merged, newest seq winning on equal times; then runs of adjacent small chunks
    /// (age-limit seals, clean stops) are merged up to `chunkBytes`. Queries answer the same
    /// before, during and after (each step is one transaction).
    /// - Returns: chunks removed by merging, and whether the walk reached the last series field.
    @discardableResult
    func compactStep(keys limit: Int) throws -> (merged: Int, wrapped: Bool) {
        try writer.withLock { w in
            guard let connection = w.connection, !w.closed else { return (0, true) }
            var keys = Array(w.overlapping)
            // The series fields that have chunks, from the index `chunks_by_series` (a series
            // field's entries are read once each).
            let list = try connection.prepare("""
                SELECT DISTINCT series_id, field_id FROM chunks WHERE series_id > ? OR (series_id = ? AND field_id > ?)
                ORDER BY series_id, field_id LIMIT ?
                """)
            let cursor = w.compactCursor ?? HeadKey(series: Int64.min, field: Int64.min)
            try list.bind(1, cursor.series)
            try list.bind(2, cursor.series)
            try list.bind(3, cursor.field)
            try list.bind(4, Int64(limit))
            var walked: [HeadKey] = []
            while try list.step() { walked.append(HeadKey(series: list.int64(0), field: list.int64(1))) }
            list.reset()
            let wrapped = walked.count < limit
            keys += walked.filter { !w.overlapping.contains($0) }
            var merged = 0
            do {
                try connection.transaction { () throws(SQLiteStoreError) in
                    for key in keys { merged += try compactKey(&w, connection, key) }
                }
            } catch {
                w.clocks.removeAll()
                throw error
            }
            w.compactCursor = wrapped ? nil : walked.last
            w.overlapping = []
            w.compactedChunks += merged
            return (merged, wrapped)
        }
    }

    /// Chunk metadata for compaction: the header comes from a prefix, so blobs are read only
    /// for chunks that get merged.
    private struct ChunkInfo {
        var id: Int64
        var minTime: Int64
        var maxTime: Int64
        var seq: Int64
        var bytes: Int
        var count: Int
    }

    private func compactKey(_ w: inout WriterState, _ connection: SQLiteConnection, _ key: HeadKey) throws(SQLiteStoreError) -> Int {
        var infos = try chunkInfos(connection, key)
        guard infos.count >= 2 else { return 0 }
        var merged = 0
        // Overlapping clusters first; afterwards no chunk of this series field overlaps another.
        var cluster: [ChunkInfo] = []
        var clusterMax = Int64.min
        var anyOverlap = false
        for info in infos + [nil] as [ChunkInfo?] {
            if let info, cluster.isEmpty || info.minTime <= clusterMax {
                cluster.append(info)
                clusterMax = max(clusterMax, info.maxTime)
                continue
            }
            if cluster.count > 1 {
                let before = w.chunkCount
                try mergeCluster(&w, connection, try load(connection, key, cluster))
                merged += before - w.chunkCount
                anyOverlap = true
            }
            cluster = info.map { [$0] } ?? []
            clusterMax = info?.maxTime ?? Int64.min
        }
        if anyOverlap { infos = try chunkInfos(connection, key) }
        // Runs of adjacent chunks starting in one window that fit in one chunk of `chunkBytes`
        // and `chunkSize` samples (cut by window, series written together merge alike and keep
        // sharing clocks). The run's last chunk may end with the sample that closes the window:
        // chunks do not overlap, so no other chunk of the run can hold one.
        var run: [ChunkInfo] = []
        var runBytes = 0
        var runCount = 0
        for info in infos + [nil] as [ChunkInfo?] {
            if let info, runBytes + info.bytes <= options.chunkBytes, runCount + info.count <= options.chunkSize,
               run.isEmpty || homeWindow(run[0].minTime) == homeWindow(info.minTime) {
                run.append(info)
                runBytes += info.bytes
                runCount += info.count
                continue
            }
            if run.count > 1 {
                let before = w.chunkCount
                try mergeCluster(&w, connection, try load(connection, key, run))
                merged += before - w.chunkCount
            }
            run = info.map { [$0] } ?? []
            runBytes = info?.bytes ?? 0
            runCount = info?.count ?? 0
        }
        return merged
    }

    /// Every chunk of a series field, ordered by minimum time.
    private func chunkInfos(_ connection: SQLiteConnection, _ key: HeadKey) throws(SQLiteStoreError) -> [ChunkInfo] {
        let select = try connection.prepare("""
            SELECT id, max_time, seq, length(data), substr(data, 1, \(ChunkHeader.maxByteCount)) FROM chunks
            WHERE series_id = ? AND field_id = ?
            """)
        defer { select.reset() }
        try select.bind(1, key.series)
        try select.bind(2, key.field)
        var out: [ChunkInfo] = []
        while try select.step() {
            let header = try chunkHeader(select.blob(4), prefix: true, series: key.series, field: key.field)
            out.append(ChunkInfo(id: select.int64(0), minTime: header.minTime, maxTime: select.int64(1), seq: select.int64(2),
                                 bytes: Int(select.int64(3)), count: header.count))
        }
        return out.sorted { ($0.minTime, $0.maxTime) < ($1.minTime, $1.maxTime) }
    }

    private func load(_ connection: SQLiteConnection, _ key: HeadKey, _ infos: [ChunkInfo]) throws(SQLiteStoreError) -> [StoredChunk] {
        let select = try connection.prepare("SELECT data FROM chunks WHERE id = ?")
        var out: [StoredChunk] = []
        var cache: [Int64: [Int64]] = [:]
        for info in infos {
            try select.bind(1, info.id)
            guard try select.step() else { throw .corruptData(file: path, reason: "chunk \(info.id) vanished during compaction") }
            let data = select.blob(0)
            select.reset()
            let header = try chunkHeader(data, series: key.series, field: key.field)
            out.append(StoredChunk(id: info.id, key: key, minTime: info.minTime, maxTime: info.maxTime, seq: info.seq, data: data,
                                   reference: try reference(header, connection, &cache)))
        }
        return out
    }
}
