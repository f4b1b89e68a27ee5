import ChunkEncoding
import TimeSeries

/// A chunk row with its key, as maintenance reads it.
struct StoredChunk {
    var id: Int64
    var key: HeadKey
    var minTime: Int64
    var maxTime: Int64
    var seq: Int64
    var data: [UInt8]
    /// The clock's times when the chunk codes its timestamps against one.
    var reference: [Int64]? = nil

    /// The clock the chunk's header names (its blob was read and checked when it was selected).
    var timesID: Int64? { (try? ChunkHeader.read(data))?.timeReference }
}

extension StoreDatabase {
    /// The header of a stored chunk (`prefix`: the blob's first bytes only), or the file's
    /// corruption error naming the chunk.
    func chunkHeader(_ bytes: [UInt8], prefix: Bool = false, series: Int64, field: Int64) throws(SQLiteStoreError) -> ChunkHeader {
        do {
            return prefix ? try ChunkHeader.read(prefix: bytes) : try ChunkHeader.read(bytes)
        } catch {
            throw .corruptData(file: path, reason: "chunk of series \(series) field \(field): \(error)")
        }
    }

    /// Chunks of a series (one field, or all when nil) whose span meets `range`.
    func selectChunks(_ connection: SQLiteConnection, series: Int64, field: Int64?, overlapping range: TimeRange, maxSpan: Int64) throws(SQLiteStoreError) -> [StoredChunk] {
        // The chunk's minimum time is in its header (no column): rows are selected by max_time
        // (at most maxSpan past the range) and filtered on the header's minimum.
        let select = try connection.prepare(field == nil
            ? "SELECT field_id, max_time, seq, data, id FROM chunks WHERE series_id = ? AND field_id >= ? AND max_time >= ?"
            : "SELECT field_id, max_time, seq, data, id FROM chunks WHERE series_id = ? AND field_id = ? AND max_time >= ? AND max_time <= ?")
        defer { select.reset() }
        try select.bind(1, series)
        try select.bind(2, field ?? Int64.min)
        try select.bind(3, range.min)
        if field != nil {
            let (upper, overflow) = range.max.addingReportingOverflow(maxSpan)
            try select.bind(4, overflow ? Int64.max : upper)
        }
        var rows: [StoredChunk] = []
        var cache: [Int64: [Int64]] = [:]
        while try select.step() {
            let data = select.blob(3)
            let key = HeadKey(series: series, field: select.int64(0))
            let header = try chunkHeader(data, series: series, field: key.field)
            guard header.minTime <= range.max else { continue }
            rows.append(StoredChunk(id: select.int64(4), key: key, minTime: header.minTime, maxTime: select.int64(1), seq: select.int64(2), data: data,
                                    reference: try reference(header, connection, &cache)))
        }
        return rows
    }

    /// Replaces each selected chunk by its samples for which `keep(time)` holds (none: deleted).
    func rewriteChunks(_ w: inout WriterState, _ connection: SQLiteConnection, select: () throws(SQLiteStoreError) -> [StoredChunk], keep: (Int64) -> Bool) throws(SQLiteStoreError) {
        var chunkCount = w.chunkCount
        var maxSpan = w.maxSpan
        do {
            try connection.transaction { () throws(SQLiteStoreError) in
                for row in try select() {
                    let (kind, times, values) = try decode(row)
                    var keptTimes: [Int64] = []
                    var keptValues: [ChunkValue] = []
                    for (time, value) in zip(times, values) where keep(time) {
                        keptTimes.append(time)
                        keptValues.append(value)
                    }
                    guard keptTimes.count < times.count else { continue }
                    try deleteChunk(&w, connection, row)
                    chunkCount -= 1
                    guard !keptTimes.isEmpty else { continue }
                    try storeChunk(&w, connection, key: row.key, seq: row.seq, kind: kind, times: keptTimes, values: keptValues, maxSpan: &maxSpan)
                    chunkCount += 1
                }
                try setMeta("chunks", Int64(chunkCount), connection)
                try setMeta("max_span", maxSpan, connection)
            }
        } catch {
            w.clocks.removeAll()
            throw error
        }
        w.chunkCount = chunkCount
        w.maxSpan = maxSpan
    }

    /// Merges chunks of one series field (overlapping ones: newest seq wins on equal times) into
    /// non-overlapping chunks of at most `chunkSize` samples and about `chunkBytes` bytes, each
    /// within one window (`homeWindow`) and ending, like a seal's pieces, with the sample that
    /// closes it when the cluster holds one. Runs inside the caller's transaction.
    func mergeCluster(_ w: inout WriterState, _ connection: SQLiteConnection, _ cluster: [StoredChunk]) throws(SQLiteStoreError) {
        var tagged: [(time: Int64, seq: Int64, value: ChunkValue)] = []
        var kind = ChunkValueKind.float
        for row in cluster {
            let decoded = try decode(row)
            kind = decoded.kind
            for (time, value) in zip(decoded.times, decoded.values) { tagged.append((time, row.seq, value)) }
            try deleteChunk(&w, connection, row)
        }
        tagged.sort { $0.time != $1.time ? $0.time < $1.time : $0.seq > $1.seq }
        var times: [Int64] = []
        var values: [ChunkValue] = []
        for entry in tagged where times.last != entry.time {
            times.append(entry.time)
            values.append(entry.value)
        }
        let seq = cluster.map(\.seq).max()!
        var maxSpan = w.maxSpan
        var start = 0
        var inserted = 0
        var appender = ChunkAppender(kind: kind)
        for i in times.indices {
            appender.append(time: times[i], values[i])
            let last = i == times.count - 1
            if last || appender.count >= max(1, options.chunkSize) || appender.bodyByteCount >= options.chunkBytes
                || chunkWindow(times[i]) > homeWindow(times[start]) {
                try storeChunk(&w, connection, key: cluster[0].key, seq: seq, kind: kind, times: Array(times[start...i]), values: Array(values[start...i]),
                               maxSpan: &maxSpan)
                inserted += 1
                start = i + 1
                appender.reset()
            }
        }
        w.chunkCount += inserted - cluster.count
        w.maxSpan = maxSpan
        try setMeta("chunks", Int64(w.chunkCount), connection)
        try setMeta("max_span", maxSpan, connection)
    }

    private func decode(_ row: StoredChunk) throws(SQLiteStoreError) -> (kind: ChunkValueKind, times: [Int64], values: [ChunkValue]) {
        do {
            let header = try ChunkHeader.read(row.data)
            let decoded = try ChunkCodec.decode(row.data, reference: row.reference)
            return (header.kind, decoded.times, decoded.values)
        } catch {
            throw .corruptData(file: path, reason: "chunk of series \(row.key.series) field \(row.key.field) seq \(row.seq): \(error)")
        }
    }

    /// Deletes a chunk row, and its clock when no other chunk uses it.
    private func deleteChunk(_ w: inout WriterState, _ connection: SQLiteConnection, _ row: StoredChunk) throws(SQLiteStoreError) {
        let delete = try connection.prepare("DELETE FROM chunks WHERE id = ?")
        try delete.bind(1, row.id)
        try delete.run()
        try releaseClock(&w, connection, row.timesID)
    }
}
