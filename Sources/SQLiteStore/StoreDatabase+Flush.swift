import ChunkEncoding
import Synchronization
import TimeSeries

/// Which open chunks a flush seals besides the full and old ones.
enum SealPolicy {
    case due
    case all
    case series(Set<Int64>)
    /// Heads older than the cutoff among the given fields.
    case olderThan(Int64, fields: Set<Int64>)
    /// Only the log row (and new series and fields): no head is looked at, nothing is sealed and
    /// no log row deleted; what a `/write` needs before it answers.
    case logOnly
}

extension StoreDatabase {
    /// A head due for sealing. Its copy is taken in batches of `sealBatch` while the flush
    /// writes (appends wait for the writer lock meanwhile), so a flush that seals every head at a
    /// window edge holds a few hundred copies, not one per series field (510 000 copies of
    /// 416 B, plus the array's growth, were a 450 MB peak).
    private struct Seal {
        var slot: Int
        var key: HeadKey
    }

    static let sealBatch = 1024

    /// Commits the samples since the last flush as one log row and seals due chunks.
    func flush(_ policy: SealPolicy = .due) throws {
        try writer.withLock { w in try flushLocked(&w, policy) }
    }

    /// The heads `policy` (or their size, window or age) makes due, and the oldest log sequence
    /// number the others still need (at most `gcBound`).
    private func dueSeals(_ policy: SealPolicy, gcBound bound: Int64) -> (seals: [Seal], gcBound: Int64, sealedMax: [HeadKey: Int64]) {
        let now = MonotonicClock.now()
        let maxAge = UInt64(max(0, options.maxChunkAge) * 1e9)
        var seals: [Seal] = []
        var gcBound = bound
        var sealedMax: [HeadKey: Int64] = [:]
        let chunkSize = options.chunkSize, chunkBytes = options.chunkBytes
        var nextAgeDue = UInt64.max, minFirstSeq = Int64.max
        head.withLock { h in
            // Nothing appended, sealed or dropped since a look that found nothing due, and no head
            // old enough yet: the same look would find nothing again (an idle server with 650 000
            // series fields spent 1.5 % of a core looking).
            if case .due = policy, let idle = h.idleScan, idle.generation == h.heads.generation, now < idle.nextAgeDue {
                gcBound = min(gcBound, idle.minFirstSeq)
                return
            }
            // Every flush looks at every head: fields are read in place, and a chunk's byte count
            // (behind a pointer: a cache miss per head) only once it may have reached `chunkBytes`.
            h.heads.forEachHead { slot, head in
                let count = head.pointee.count
                guard count > 0 else { return }
                let key = head.pointee.key
                let due: Bool = switch policy {
                case .all: true
                case .series(let ids): ids.contains(key.series)
                case .olderThan(let cutoff, let fields): head.pointee.minTime < cutoff && fields.contains(key.field)
                case .due, .logOnly: false
                }
                if due || count >= chunkSize
                    || (head.pointee.type == .string || count &* HeadSeries.maxBytesPerSample >= chunkBytes)
                        && head.pointee.ordered.bodyByteCount >= chunkBytes
                    || chunkWindow(head.pointee.maxTime) > homeWindow(head.pointee.minTime)
                    || now &- head.pointee.openedAt >= maxAge {
                    seals.append(Seal(slot: slot, key: key))
                    sealedMax[key] = h.sealedMax[key]
                } else {
                    minFirstSeq = min(minFirstSeq, head.pointee.firstSeq)
                    let opened = head.pointee.openedAt
                    nextAgeDue = min(nextAgeDue, opened > UInt64.max &- maxAge ? UInt64.max : opened &+ maxAge)
                }
            }
            gcBound = min(gcBound, minFirstSeq)
            if case .due = policy, seals.isEmpty {
                h.idleScan = (h.heads.generation, nextAgeDue, minFirstSeq)
            } else {
                h.idleScan = nil
            }
        }
        return (seals, gcBound, sealedMax)
    }

    /// The flush itself; the caller holds the writer lock. In-memory state changes only after COMMIT,
    /// so a failed flush (disk full, I/O error) is retried in full by the next one.
    func flushLocked(_ w: inout WriterState, _ policy: SealPolicy) throws(SQLiteStoreError) {
        guard let connection = w.connection, !w.closed else { return }
        let seq = w.nextSeq
        // A `/write`'s commit looks at no head: it writes the log row and deletes none.
        var seals: [Seal]
        let gcBound: Int64
        let sealedMax: [HeadKey: Int64]
        if case .logOnly = policy {
            (seals, gcBound, sealedMax) = ([], Int64.min, [:])
        } else {
            (seals, gcBound, sealedMax) = dueSeals(policy, gcBound: seq + 1)
        }
        let deletesLog = (w.oldestLogSeq ?? Int64.max) < gcBound
        // Series and fields created since the last flush leave the registry now; a failed
        // transaction puts them back for the next flush.
        let (newSeries, newFields) = registry.withLock { r in
            defer {
                r.newSeries = []
                r.newFields = []
            }
            return (r.newSeries.compactMap { id in r.index.table[id].map { (id, $0) } }, r.newFields)
        }
        let indexDirty = !newSeries.isEmpty || !newFields.isEmpty
        guard !w.log.isEmpty || !seals.isEmpty || indexDirty || deletesLog else { return }
        let writesLog = !w.log.isEmpty && gcBound <= seq
        var maxSpan = w.maxSpan
        var overlaps: [HeadKey] = []
        var deleted = 0
        var merged = 0
        var added = 0
        var sealResults = [HeadSeries.Sealed?](repeating: nil, count: seals.count)
        var sealedMaxTimes = [Int64](repeating: 0, count: seals.count)
        var resolvedMax = [Int64?](repeating: nil, count: seals.count)
        let logBytes = w.log.bytes
        let chunkCount = w.chunkCount
        let previousSpan = w.maxSpan
        var strings = w.strings
        do {
        try connection.transaction { () throws(SQLiteStoreError) in
            try insertIndexRows(newSeries, newFields, strings: &strings, connection)
            if writesLog {
                let insert = try connection.prepare("INSERT INTO log(seq, data) VALUES (?, ?)")
                try insert.bind(1, seq)
                try insert.run(binding: 2, blobInPlace: logBytes)
            }
            let mark = try connection.prepare("INSERT OR REPLACE INTO sealed(series_id, field_id, seq) VALUES (?, ?, ?)")
            // The newest piece of a seal that spans windows is written after every other chunk
            // of this flush: it is the one the window's next seal extends (deleting its row), and
            // rows deleted together leave whole pages free for reuse, not holes between rows kept.
            var newest: [(key: HeadKey, kind: ChunkValueKind, times: [Int64], values: [ChunkValue])] = []
            var copies: [HeadSeries] = []
            // Chunk rows are appended in batches packed to fill pages (`insertPacked`).
            w.pendingChunks = []
            for (n, seal) in seals.enumerated() {
                if n % Self.sealBatch == 0 {
                    let batch = seals[n..<min(seals.count, n + Self.sealBatch)]
                    copies = []
                    copies = head.withLock { h in batch.map { h.heads[$0.slot] } }
                }
                let sealHead = copies[n % Self.sealBatch]
                sealResults[n] = sealHead.encode(into: &w.sealScratch)
                let maxTime = sealHead.maxTime
                sealedMaxTimes[n] = maxTime
                // Not known since the file was opened: looked up before this seal's rows exist.
                let known = sealedMax[seal.key]
                let previousMax = try known == nil ? lastSealedTime(connection, seal.key) : known == Int64.min ? nil : known
                resolvedMax[n] = previousMax
                let kind = ChunkValueKind(sealHead.type)
                let (sealedTimes, sealedValues) = try decodeSealed(w.sealScratch, key: seal.key)
                // One chunk per window the samples fall in (a backfill between two flushes spans
                // many), each ending with the sample that closed its window. Series written
                // together are then cut alike and share clocks, and a chunk's body (all but that
                // last sample) lies in its window, where chunk summaries can stand for it.
                let pieces = windowPieces(sealedTimes)
                for (p, piece) in pieces.enumerated() {
                    var times = Array(sealedTimes[piece]), values = Array(sealedValues[piece])
                    if p > 0 && p == pieces.count - 1 {
                        newest.append((seal.key, kind, times, values))
                        continue
                    }
                    var minTime = times[0]
                    var chunkSeq = seq
                    var plain: [UInt8]? = pieces.count == 1 ? w.sealScratch : nil
                    // A seal after everything sealed so far (the age limit, a window's first
                    // sample, a clean stop) joins the series field's last chunk when both lie in
                    // one window and fit in one chunk: fewer rows, same answers.
                    if p == 0, let previousMax, previousMax < minTime,
                       let extended = try extendLastChunk(&w, connection, key: seal.key, tail: (times, values),
                                                          tailBytes: w.sealScratch.count * piece.count / max(1, sealedTimes.count)) {
                        times = extended.times
                        values = extended.values
                        minTime = extended.minTime
                        chunkSeq = extended.seq
                        plain = nil
                        merged += 1
                    }
                    try storeChunk(&w, connection, key: seal.key, seq: chunkSeq, kind: kind, times: times, values: values, plain: plain, maxSpan: &maxSpan)
                    added += 1
                    if p == 0, let previousMax, minTime <= previousMax { overlaps.append(seal.key) }
                }
                try mark.bind(1, seal.key.series)
                try mark.bind(2, seal.key.field)
                try mark.bind(3, seq)
                try mark.run()
            }
            try insertPacked(&w, connection)
            for piece in newest {
                try storeChunk(&w, connection, key: piece.key, seq: seq, kind: piece.kind, times: piece.times, values: piece.values, maxSpan: &maxSpan)
                added += 1
            }
            try insertPacked(&w, connection)
            w.pendingChunks = nil
            if deletesLog {
                let delete = try connection.prepare("DELETE FROM log WHERE seq < ?")
                try delete.bind(1, gcBound)
                try delete.run()
                deleted = connection.changes
            }
            try setMeta("last_seq", seq, connection)
            if !seals.isEmpty {
                try setMeta("chunks", Int64(chunkCount + added - merged), connection)
                if maxSpan != previousSpan { try setMeta("max_span", maxSpan, connection) }
            }
            if indexDirty {
                try connection.execute("UPDATE meta SET value = value + 1 WHERE key = 'index_version'")
            }
        }
        } catch {
            // Clocks inserted by the failed transaction are gone again, and so are its pages.
            w.clocks.removeAll()
            w.pendingChunks = nil
            w.packer = nil
            if indexDirty {
                registry.withLock { r in
                    r.newSeries.insert(contentsOf: newSeries.map(\.0), at: 0)
                    r.newFields.insert(contentsOf: newFields, at: 0)
                }
            }
            throw error
        }
        strings.commit()
        w.strings = strings
        w.nextSeq = seq + 1
        w.log.reset()
        committedSeq.store(seq, ordering: .relaxed)
        w.chunkCount += added - merged
        w.maxSpan = maxSpan
        w.logRows += (writesLog ? 1 : 0) - deleted
        if w.logRows == 0 {
            w.oldestLogSeq = nil
        } else if deletesLog {
            w.oldestLogSeq = (try? connection.scalar("SELECT min(seq) FROM log")) ?? seq
        } else if w.oldestLogSeq == nil {
            w.oldestLogSeq = seq
        }
        w.overlapping.formUnion(overlaps)
        // The copies are gone (the last batch's with the transaction's closure): a head's chunk
        // buffer is then referenced once and its reset keeps the storage instead of copying it.
        let done = seals.enumerated().map { (slot: $0.element.slot, key: $0.element.key,
                                             maxTime: max(sealedMaxTimes[$0.offset], resolvedMax[$0.offset] ?? Int64.min),
                                             result: sealResults[$0.offset]) }
        seals.removeAll()
        let released = head.withLock { h in
            var released = 0
            for seal in done {
                released += h.heads[seal.slot].sealed(at: seq, seal.result)
                h.sealedMax[seal.key] = max(h.sealedMax[seal.key] ?? Int64.min, seal.maxTime)
            }
            return released
        }
        // Megabytes of burst buffers given back: their pages go back to the system once such
        // work pauses (`HeapTrim`).
        if released >= 4 << 20 { HeapTrim.process.noteLargeWork() }
    }

    /// The samples of the series field's last chunk followed by `tail` (later samples), when the
    /// last chunk's window (`homeWindow`) is the one the tail starts in (the tail may end with the sample that
    /// closes that window, as any chunk may) and both fit in one chunk; the old row
    /// is deleted (and its clock with it when nothing else uses it). The merged chunk keeps the
    /// old chunk's seq: only that chunk's span can overlap other chunks (the tail is after
    /// everything sealed), and there the old precedence must hold.
    private func extendLastChunk(_ w: inout WriterState, _ connection: SQLiteConnection, key: HeadKey, tail: (times: [Int64], values: [ChunkValue]),
                                 tailBytes: Int) throws(SQLiteStoreError) -> (times: [Int64], values: [ChunkValue], minTime: Int64, seq: Int64)? {
        guard let tailMin = tail.times.first else { return nil }
        let last = try connection.prepare("SELECT id, seq, data FROM chunks WHERE series_id = ? AND field_id = ? ORDER BY max_time DESC LIMIT 1")
        defer { last.reset() }
        try last.bind(1, key.series)
        try last.bind(2, key.field)
        guard try last.step() else { return nil }
        let (id, lastSeq, data) = (last.int64(0), last.int64(1), last.blob(2))
        last.reset()
        let header = try chunkHeader(data, series: key.series, field: key.field)
        guard chunkWindow(tailMin) <= homeWindow(header.minTime), header.count + tail.times.count <= options.chunkSize,
              data.count + tailBytes <= options.chunkBytes else { return nil }
        var cache: [Int64: [Int64]] = [:]
        let reference = try reference(header, connection, &cache)
        var decoded: (times: [Int64], values: [ChunkValue])
        do {
            decoded = try ChunkCodec.decode(data, reference: reference)
        } catch {
            throw .corruptData(file: path, reason: "chunk of series \(key.series) field \(key.field) seq \(lastSeq): \(error)")
        }
        let delete = try connection.prepare("DELETE FROM chunks WHERE id = ?")
        try delete.bind(1, id)
        try delete.run()
        try releaseClock(&w, connection, header.timeReference)
        decoded.times += tail.times
        decoded.values += tail.values
        return (decoded.times, decoded.values, header.minTime, lastSeq)
    }

    /// Index ranges of `times` (ascending), one per chunk window (`homeWindow` of the piece's
    /// first sample), each but the last also holding the first sample after that window: the sample that closes a window ends its chunk, as
    /// a head sealed by that sample does (no chunk of one sample, no row rewritten for it later).
    func windowPieces(_ times: [Int64]) -> [Range<Int>] {
        guard let first = times.first else { return [] }
        var pieces: [Range<Int>] = []
        var start = 0
        var window = homeWindow(first)
        var i = 1
        while i < times.count {
            let w = chunkWindow(times[i])
            if w > window {
                pieces.append(start..<(i + 1))
                start = i + 1
                if start < times.count { window = homeWindow(times[start]) }
                i = start + 1
                continue
            }
            i += 1
        }
        if start < times.count { pieces.append(start..<times.count) }
        return pieces
    }

    /// The largest max_time of the series field's chunks, nil when it has none: one seek in
    /// `chunks_by_series`, for a series field whose `HeadState.sealedMax` is not known yet.
    func lastSealedTime(_ connection: SQLiteConnection, _ key: HeadKey) throws(SQLiteStoreError) -> Int64? {
        let select = try connection.prepare("SELECT max(max_time) FROM chunks WHERE series_id = ? AND field_id = ?")
        defer { select.reset() }
        try select.bind(1, key.series)
        try select.bind(2, key.field)
        return try select.step() && !select.isNull(0) ? select.int64(0) : nil
    }

    /// The samples of a chunk the head just encoded (its own timestamps).
    private func decodeSealed(_ bytes: [UInt8], key: HeadKey) throws(SQLiteStoreError) -> (times: [Int64], values: [ChunkValue]) {
        do {
            return try ChunkCodec.decode(bytes, reference: nil)
        } catch {
            throw .corruptData(file: path, reason: "sealing series \(key.series) field \(key.field): \(error)")
        }
    }

    /// Inserts the rows of new series (their new strings first) and fields; `strings` keeps the
    /// ids given out, committed by the caller once the transaction has.
    private func insertIndexRows(_ series: [(Int64, SeriesKey)], _ fields: [(measurement: String, name: String, info: FieldInfo)],
                                 strings: inout StringIDs, _ connection: SQLiteConnection) throws(SQLiteStoreError) {
        if !series.isEmpty {
            let keys = series.map { strings.encode($0.1) }
            try strings.insertPending(connection)
            let insert = try connection.prepare("INSERT INTO series(id, key) VALUES (?, ?)")
            for ((id, _), key) in zip(series, keys) {
                try insert.bind(1, id)
                try insert.bind(2, blob: key)
                try insert.run()
            }
            // Ids stay taken when their series are dropped (log rows may still name them).
            let next = try connection.prepare("UPDATE meta SET value = max(value, ?) WHERE key = 'next_series'")
            try next.bind(1, series.map(\.0).max()! + 1)
            try next.run()
        }
        if !fields.isEmpty {
            let insert = try connection.prepare("INSERT INTO fields(id, measurement, name, type, policy) VALUES (?, ?, ?, ?, ?)")
            for field in fields {
                try insert.bind(1, field.info.id)
                try insert.bind(2, field.measurement)
                try insert.bind(3, field.name)
                try insert.bind(4, Int64(field.info.type.rawValue))
                try insert.bind(5, field.info.policy)
                try insert.run()
            }
        }
    }

    func setMeta(_ key: String, _ value: Int64, _ connection: SQLiteConnection) throws(SQLiteStoreError) {
        let update = try connection.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)")
        try update.bind(1, key)
        try update.bind(2, value)
        try update.run()
    }
}
