import ChunkEncoding
import TimeSeries

/// Shared clocks (schema 4): a chunk row may code its timestamps against a time sequence stored
/// once in `times`, which every chunk with (nearly) the same timestamps references. Clocks are
/// immutable; one is deleted with the last chunk that references it.
extension StoreDatabase {
    /// The aligned window of `time`: a chunk never holds samples of two windows beyond the one
    /// that closed it, so series written together are cut at the same samples and their chunks
    /// can share one clock.
    func chunkWindow(_ time: Int64) -> Int64 {
        let width = max(1, options.chunkWindow)
        let quotient = time / width
        return time % width < 0 ? quotient - 1 : quotient
    }

    /// The window a chunk whose first sample is at `first` is cut at the end of: its own, or the
    /// next one when it starts in the last quarter of its own (a series that appears, or a
    /// process that starts, shortly before a cut would otherwise pay a chunk row, an index entry
    /// and a chunk header for a few samples: 1 920 rows of about 6 samples on the 2-hour real
    /// recording, which starts 49 s before a cut). Still a function of timestamps only, so series
    /// written together are cut alike; a chunk then spans at most 1.25 windows.
    func homeWindow(_ first: Int64) -> Int64 {
        let width = max(1, options.chunkWindow)
        let (shifted, overflow) = first.addingReportingOverflow(width / 4)
        return chunkWindow(overflow ? first : shifted)
    }

    /// Inserts a chunk row (during a flush: queues it for `insertPacked`) for `key` holding
    /// `times` and `values` (ascending, unique times),
    /// coding its timestamps against a shared clock: one with exactly these times, else the
    /// nearest cached one when that costs at most a quarter of the chunk's own timestamps, else
    /// a new clock that later series can share. (Every series written with this one pays that
    /// cost again where a new clock is paid once; with run-coded times, version 4, a quarter
    /// gave the smallest files on the real-data run: Docs/storage-format.md, "Version 4".) `plain` is the chunk already encoded with its own
    /// timestamps, when the caller has it. Runs inside the caller's transaction; a caller
    /// whose transaction fails must empty `w.clocks`.
    func storeChunk(_ w: inout WriterState, _ connection: SQLiteConnection, key: HeadKey, seq: Int64, kind: ChunkValueKind,
                    times: [Int64], values: [ChunkValue], plain: [UInt8]? = nil, maxSpan: inout Int64) throws(SQLiteStoreError) {
        guard let minTime = times.first, let maxTime = times.last else { return }
        var timesID: Int64?
        var data: [UInt8]
        if times.count < max(1, options.clockMinimumSamples) {
            data = plain ?? ChunkCodec.encode(kind: kind, times: times, values: values)
        } else {
            let clock: (id: Int64, times: [Int64])
            let hash = ClockCache.hash(times)
            if let exact = w.clocks.exact(times, hash: hash) {
                clock = exact
                try useClock(connection, exact.id)
            } else if let near = w.clocks.nearest(times), near.bits * 4 <= ChunkCodec.ownTimeBits(times) {
                clock = (near.id, near.times)
                try useClock(connection, near.id)
            } else {
                let encoded = ChunkCodec.encodeTimes(times)
                let insert = try connection.prepare("INSERT INTO times(data, refs) VALUES (?, 1)")
                try insert.bind(1, blob: encoded)
                try insert.run()
                let id = connection.lastInsertRowID
                w.clocks.add(id: id, times: times, hash: hash, data: encoded)
                w.clocksWritten += 1
                clock = (id, times)
            }
            timesID = clock.id
            data = ChunkCodec.encode(kind: kind, times: times, values: values, reference: TimeReference(id: clock.id, times: clock.times))
        }
        var summary: [UInt8]?
        if kind == .float, times.count >= max(1, options.summaryMinimumSamples) {
            summary = ChunkSummary(times: times, values: values)?.encoded
        }
        let row = PendingChunk(key: key, maxTime: maxTime, seq: seq, timesID: timesID, summary: summary, data: data)
        maxSpan = max(maxSpan, maxTime &- minTime)
        // Before the row can be committed (the caller's transaction): see `publishedMaxSpan`.
        if maxSpan > publishedMaxSpan.load(ordering: .sequentiallyConsistent) {
            publishedMaxSpan.store(maxSpan, ordering: .sequentiallyConsistent)
        }
        guard w.pendingChunks != nil else { return try insertChunkRow(connection, row) }
        w.pendingChunks?.append(row)
        w.pendingBytes += data.count
        if w.pendingChunks?.count ?? 0 >= Self.packBatch || w.pendingBytes >= Self.packBatchBytes { try insertPacked(&w, connection) }
    }

    /// One more chunk row references clock `id`.
    private func useClock(_ connection: SQLiteConnection, _ id: Int64) throws(SQLiteStoreError) {
        let update = try connection.prepare("UPDATE times SET refs = refs + 1 WHERE id = ?")
        try update.bind(1, id)
        try update.run()
    }

    /// A chunk row referencing clock `id` was deleted: the clock goes with its last reference.
    func releaseClock(_ w: inout WriterState, _ connection: SQLiteConnection, _ id: Int64?) throws(SQLiteStoreError) {
        guard let id else { return }
        try releaseClocks(&w, connection, [id: 1])
    }

    /// Chunk rows were deleted: `uses` counts how many referenced each clock. Clocks left
    /// without references are deleted.
    func releaseClocks(_ w: inout WriterState, _ connection: SQLiteConnection, _ uses: [Int64: Int64]) throws(SQLiteStoreError) {
        let update = try connection.prepare("UPDATE times SET refs = refs - ? WHERE id = ?")
        let delete = try connection.prepare("DELETE FROM times WHERE id = ? AND refs <= 0")
        for (id, count) in uses.sorted(by: { $0.key < $1.key }) {
            try update.bind(1, count)
            try update.bind(2, id)
            try update.run()
            try delete.bind(1, id)
            try delete.run()
            if connection.changes > 0 { w.clocks.remove(id: id) }
        }
    }

    /// How many of the chunk rows `condition` selects (about to be deleted in bulk) reference
    /// each clock; `binding` fills its one parameter, if it has one.
    func clockUses(_ connection: SQLiteConnection, where condition: String, binding: Int64? = nil,
                   into uses: inout [Int64: Int64]) throws(SQLiteStoreError) {
        let select = try connection.prepare("SELECT times_id, count(*) FROM chunks WHERE \(condition) AND times_id IS NOT NULL GROUP BY times_id")
        defer { select.reset() }
        if let binding { try select.bind(1, binding) }
        while try select.step() { uses[select.int64(0), default: 0] += select.int64(1) }
    }

    /// The timestamps of the clock a chunk references, read once per `cache`.
    func clockTimes(_ id: Int64, _ connection: SQLiteConnection, _ cache: inout [Int64: [Int64]]) throws(SQLiteStoreError) -> [Int64] {
        if let times = cache[id] { return times }
        let select = try connection.prepare("SELECT data FROM times WHERE id = ?")
        defer { select.reset() }
        try select.bind(1, id)
        guard try select.step() else { throw .corruptData(file: path, reason: "a chunk references clock \(id), which is missing") }
        // An id can be reused once its clock is deleted: the cached times count only for the
        // same bytes, compared in SQLite's buffer (copying them first was a large allocation
        // and a copy for every clock of every query: 2 % of a host panel).
        let known = try select.withBlob(0) { (bytes) throws(SQLiteStoreError) in decodedClocks.withLock { $0.times(id, bytes) } }
        if let known {
            cache[id] = known
            return known
        }
        let data = select.blob(0)
        let times: [Int64]
        do {
            times = try ChunkCodec.decodeTimes(data)
        } catch {
            throw .corruptData(file: path, reason: "clock \(id): \(error)")
        }
        cache[id] = times
        decodedClocks.withLock { $0.insert(id, data, times) }
        return times
    }

    /// The reference times a stored chunk needs to decode (nil when it keeps its own).
    func reference(_ header: ChunkHeader, _ connection: SQLiteConnection, _ cache: inout [Int64: [Int64]]) throws(SQLiteStoreError) -> [Int64]? {
        guard let id = header.timeReference else { return nil }
        return try clockTimes(id, connection, &cache)
    }
}

/// Decoded clocks kept across scans, at most `limit` timestamps (8 MiB). When full, a random
/// entry goes: a dashboard that cycles through slightly more clocks than fit (100 hosts × 24 h of
/// cpu is about 1.08 M timestamps) missed every one of them when the oldest went first.
struct DecodedClocks {
    private var kept = RandomlyEvicted<(data: [UInt8], times: [Int64])>(limit: 1 << 20)

    func times(_ id: Int64, _ data: UnsafeRawBufferPointer) -> [Int64]? {
        guard let entry = kept[id], entry.data.withUnsafeBytes({ sameBytes($0, data) }) else { return nil }
        return entry.times
    }

    mutating func insert(_ id: Int64, _ data: [UInt8], _ times: [Int64]) {
        guard times.count <= kept.limit / 4 else { return }
        kept.insert(id, (data, times), samples: times.count)
    }
}
