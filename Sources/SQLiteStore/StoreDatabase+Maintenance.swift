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
                // Pages freed by deleted log rows go back to the file system, and everything in
                // the WAL moves into the database file.
                try? w.connection?.execute("PRAGMA incremental_vacuum; PRAGMA optimize; PRAGMA wal_checkpoint(TRUNCATE)")
            }
        }
        closeConnections()
    }

    func dropSeries(_ ids: [Int64]) throws {
        try writer.withLock { w in try dropSeriesLocked(&w, Set(ids), measurement: nil) }
    }

    func dropMeasurement(_ name: String) throws {
        try writer.withLock { w in
            let ids = registry.withLock { r in Set(r.index.keys.compactMap { $0.value.measurement == name ? $0.key : nil }) }
            try dropSeriesLocked(&w, ids, measurement: name)
        }
    }

    private func dropSeriesLocked(_ w: inout WriterState, _ ids: Set<Int64>, measurement: String?) throws(SQLiteStoreError) {
        guard let connection = w.connection else { return }
        // Persist pending series rows first: their ids then stay taken in sqlite_sequence, so
        // log records of a dropped, never-flushed series can never be replayed into a new one.
        try flushLocked(&w, .due)
        var removedChunks = 0
        try connection.transaction { () throws(SQLiteStoreError) in
            for id in ids {
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
        }
        w.chunkCount -= removedChunks
        registry.withLock { r in
            for id in ids {
                if let key = r.index.keys.removeValue(forKey: id) {
                    r.index.ids[HashedSeriesKey(key)] = nil
                    r.index.byMeasurement[key.measurement]?.remove(id)
                    if r.index.byMeasurement[key.measurement]?.isEmpty == true { r.index.byMeasurement[key.measurement] = nil }
                }
            }
            r.newSeries.removeAll { ids.contains($0) }
            if let measurement {
                r.index.fields[measurement] = nil
                r.newFields.removeAll { $0.measurement == measurement }
            }
            // Refs of dropped series point nowhere until an append brings the series back.
            var orphaned: [Int] = []
            for (key, slot) in r.refSlots where ids.contains(key.series) {
                orphaned.append(Int(slot))
                r.refSlots[key] = nil
            }
            head.withLock { h in
                for slot in orphaned { h.refHeads[slot] = -1 }
                for slot in h.heads.indices where ids.contains(h.heads[slot].key.series) {
                    h.slots[h.heads[slot].key] = nil
                    h.sealedMax[h.heads[slot].key] = nil
                    h.heads[slot].sealed(at: 0)
                }
            }
        }
        w.overlapping = w.overlapping.filter { !ids.contains($0.series) }
        indexStale.store(true, ordering: .releasing)
        try? connection.execute("PRAGMA incremental_vacuum")
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

    /// Deletes samples older than `cutoff`: whole chunks by key range, partly expired ones trimmed.
    func applyRetention(cutoff: Int64) throws {
        try writer.withLock { w in
            try flushLocked(&w, .olderThan(cutoff))
            guard let connection = w.connection else { return }
            var keys: [HeadKey] = []
            let list = try connection.prepare("SELECT series_id, field_id FROM sealed")
            while try list.step() { keys.append(HeadKey(series: list.int64(0), field: list.int64(1))) }
            list.reset()
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

    /// Rewrites series fields whose chunks overlap (late samples) into non-overlapping chunks.
    func compact() throws {
        try writer.withLock { w in
            guard let connection = w.connection, !w.overlapping.isEmpty else { return }
            let keys = w.overlapping
            try connection.transaction { () throws(SQLiteStoreError) in
                for key in keys {
                    let rows = try selectChunks(connection, series: key.series, field: key.field, overlapping: .all, maxSpan: w.maxSpan)
                        .sorted { $0.minTime < $1.minTime }
                    var cluster: [StoredChunk] = []
                    var clusterMax = Int64.min
                    for row in rows + [nil] as [StoredChunk?] {
                        if let row, cluster.isEmpty || row.minTime <= clusterMax {
                            cluster.append(row)
                            clusterMax = max(clusterMax, row.maxTime)
                            continue
                        }
                        if cluster.count > 1 { try mergeCluster(&w, connection, cluster) }
                        cluster = row.map { [$0] } ?? []
                        clusterMax = row?.maxTime ?? Int64.min
                    }
                }
            }
            w.overlapping = []
        }
    }
}
