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
        while try select.step() {
            let data = select.blob(3)
            let key = HeadKey(series: series, field: select.int64(0))
            let minTime = try chunkHeader(data, series: series, field: key.field).minTime
            guard minTime <= range.max else { continue }
            rows.append(StoredChunk(id: select.int64(4), key: key, minTime: minTime, maxTime: select.int64(1), seq: select.int64(2), data: data))
        }
        return rows
    }

    /// Replaces each selected chunk by its samples for which `keep(time)` holds (none: deleted).
    func rewriteChunks(_ w: inout WriterState, _ connection: SQLiteConnection, select: () throws(SQLiteStoreError) -> [StoredChunk], keep: (Int64) -> Bool) throws(SQLiteStoreError) {
        var chunkCount = w.chunkCount
        var maxSpan = w.maxSpan
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
                try deleteChunk(connection, row)
                chunkCount -= 1
                guard !keptTimes.isEmpty else { continue }
                try insertChunk(connection, key: row.key, seq: row.seq, kind: kind, times: keptTimes, values: keptValues, maxSpan: &maxSpan)
                chunkCount += 1
            }
            try setMeta("chunks", Int64(chunkCount), connection)
            try setMeta("max_span", maxSpan, connection)
        }
        w.chunkCount = chunkCount
        w.maxSpan = maxSpan
    }

    /// Merges overlapping chunks of one series field (newest seq wins on equal times) into
    /// non-overlapping chunks of at most `chunkSize` samples and about `chunkBytes` bytes. Runs
    /// inside the caller's transaction.
    func mergeCluster(_ w: inout WriterState, _ connection: SQLiteConnection, _ cluster: [StoredChunk]) throws(SQLiteStoreError) {
        var tagged: [(time: Int64, seq: Int64, value: ChunkValue)] = []
        var kind = ChunkValueKind.float
        for row in cluster {
            let decoded = try decode(row)
            kind = decoded.kind
            for (time, value) in zip(decoded.times, decoded.values) { tagged.append((time, row.seq, value)) }
            try deleteChunk(connection, row)
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
        var bytes: [UInt8] = []
        for i in times.indices {
            appender.append(time: times[i], values[i])
            if appender.count >= max(1, options.chunkSize) || appender.bodyByteCount >= options.chunkBytes || i == times.count - 1 {
                appender.optimized().finish(into: &bytes)
                try insertChunk(connection, key: cluster[0].key, seq: seq, data: bytes, minTime: times[start], maxTime: times[i], maxSpan: &maxSpan)
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
            let decoded = try ChunkCodec.decode(row.data)
            return (header.kind, decoded.times, decoded.values)
        } catch {
            throw .corruptData(file: path, reason: "chunk of series \(row.key.series) field \(row.key.field) seq \(row.seq): \(error)")
        }
    }

    private func deleteChunk(_ connection: SQLiteConnection, _ row: StoredChunk) throws(SQLiteStoreError) {
        let delete = try connection.prepare("DELETE FROM chunks WHERE id = ?")
        try delete.bind(1, row.id)
        try delete.run()
    }

    private func insertChunk(_ connection: SQLiteConnection, key: HeadKey, seq: Int64, kind: ChunkValueKind, times: [Int64], values: [ChunkValue], maxSpan: inout Int64) throws(SQLiteStoreError) {
        try insertChunk(connection, key: key, seq: seq, data: ChunkCodec.encode(kind: kind, times: times, values: values),
                        minTime: times.min()!, maxTime: times.max()!, maxSpan: &maxSpan)
    }

    private func insertChunk(_ connection: SQLiteConnection, key: HeadKey, seq: Int64, data: [UInt8], minTime: Int64, maxTime: Int64, maxSpan: inout Int64) throws(SQLiteStoreError) {
        let insert = try connection.prepare("INSERT INTO chunks(series_id, field_id, max_time, seq, data) VALUES (?, ?, ?, ?, ?)")
        try insert.bind(1, key.series)
        try insert.bind(2, key.field)
        try insert.bind(3, maxTime)
        try insert.bind(4, seq)
        try insert.bind(5, blob: data)
        try insert.run()
        maxSpan = max(maxSpan, maxTime &- minTime)
    }
}
