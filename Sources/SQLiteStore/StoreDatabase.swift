import Synchronization
import TimeSeries

/// One database file: the writer (head, batch log, sealing) or, read-only, a view of what is durable.
///
/// Locks: `writer` serialises writes, flushes and maintenance; `head` guards the open chunks and
/// is held only briefly (appends, and scans copying one head); `index` holds the published series
/// index snapshot; `readers` is a pool of read connections (WAL lets them run beside the writer).
final class StoreDatabase: Sendable {
    let name: String
    let path: String
    let readOnly: Bool
    let options: SQLiteStore.Options

    let writer: Mutex<WriterState>
    let head = Mutex(HeadState())
    let index: Mutex<IndexState>
    let readers = Mutex<[SQLiteConnection]>([])
    let logView = Mutex(LogView())
    let samplesWritten = Atomic<Int>(0)

    struct WriterState {
        var connection: SQLiteConnection?
        /// The authoritative index (writer mode), including series not yet flushed.
        var index = SeriesIndex()
        var cache: [SeriesKey: Int] = [:]
        var slots: [SeriesSlot] = []
        /// The next log row: every sample since the last flush, in write order.
        var log = BatchLog.Writer()
        var newSeries: [Int64] = []
        var newFields: [(measurement: String, name: String, info: FieldInfo)] = []
        var indexDirty = false
        var nextSeq: Int64 = 1
        var oldestLogSeq: Int64?
        var logRows = 0
        var chunkCount = 0
        var maxSpan: Int64 = 0
        /// Series fields whose sealed chunks may overlap (candidates for compaction).
        var overlapping: Set<HeadKey> = []
        var closed = false
    }

    struct SeriesSlot {
        var id: Int64
        var key: SeriesKey
        var fields: [FieldSlot] = []
        /// The slot written right after this one last time (-1: none), to skip hashing.
        var successor = -1
    }

    struct FieldSlot {
        var name: String
        var info: FieldInfo
        var head: Int
    }

    struct HeadState {
        var heads: [HeadSeries] = []
        var slots: [HeadKey: Int] = [:]
        /// Largest max_time sealed per series field (from the `sealed` table), to spot overlaps.
        var sealedMax: [HeadKey: Int64] = [:]
    }

    struct IndexState {
        var index = SeriesIndex()
        /// meta.index_version the snapshot was loaded at (read-only mode).
        var version: Int64 = -1
    }

    /// Opens (the writer creating the file when missing) and, for the writer, replays the batch log.
    init(name: String, path: String, options: SQLiteStore.Options, readOnly: Bool) throws {
        self.name = name
        self.path = path
        self.readOnly = readOnly
        self.options = options
        var state = WriterState()
        var headState = HeadState()
        if !readOnly {
            let connection = try SQLiteConnection(path: path, readOnly: false)
            _ = try Schema.prepare(connection, readOnly: false)
            state.index = try SeriesIndex.load(connection)
            state.nextSeq = max(try connection.scalar("SELECT value FROM meta WHERE key = 'last_seq'") ?? 0,
                                try connection.scalar("SELECT max(seq) FROM log") ?? 0) + 1
            state.chunkCount = Int(try connection.scalar("SELECT value FROM meta WHERE key = 'chunks'") ?? 0)
            state.maxSpan = try connection.scalar("SELECT value FROM meta WHERE key = 'max_span'") ?? 0
            state.logRows = Int(try connection.scalar("SELECT count(*) FROM log") ?? 0)
            state.oldestLogSeq = try connection.scalar("SELECT min(seq) FROM log")
            state.connection = connection
            try Self.replay(into: &headState, state: &state, connection: connection)
        } else {
            let connection = try SQLiteConnection(path: path, readOnly: true)
            // An empty file is one the writer is still creating: nothing to read yet.
            guard try Schema.prepare(connection, readOnly: true) else { throw SeriesStoreError.databaseNotFound(name) }
            readers.withLock { $0.append(connection) }
        }
        writer = Mutex(state)
        index = Mutex(IndexState(index: state.index, version: -1))
        head.withLock { $0 = headState }
    }

    /// Rebuilds the head from the log rows not yet sealed into chunks.
    private static func replay(into head: inout HeadState, state: inout WriterState, connection: SQLiteConnection) throws(SQLiteStoreError) {
        let sealedRows = try connection.prepare("SELECT series_id, field_id, seq, max_time FROM sealed")
        var sealed: [HeadKey: Int64] = [:]
        while try sealedRows.step() {
            let key = HeadKey(series: sealedRows.int64(0), field: sealedRows.int64(1))
            sealed[key] = sealedRows.int64(2)
            head.sealedMax[key] = sealedRows.int64(3)
        }
        sealedRows.reset()
        var fieldTypes: [Int64: FieldType] = [:]
        for fields in state.index.fields.values {
            for info in fields.values { fieldTypes[info.id] = info.type }
        }
        let rows = try connection.prepare("SELECT seq, data FROM log ORDER BY seq")
        defer { rows.reset() }
        let now = MonotonicClock.now()
        while try rows.step() {
            let seq = rows.int64(0)
            for group in try BatchLog.decode(rows.blob(1), seq: seq, file: connection.path) {
                guard state.index.keys[group.key.series] != nil, let type = fieldTypes[group.key.field],
                      seq > sealed[group.key] ?? 0 else { continue }
                let slot: Int
                if let existing = head.slots[group.key] {
                    slot = existing
                } else {
                    slot = head.heads.count
                    head.heads.append(HeadSeries(key: group.key, type: type, baseSeq: state.nextSeq - 1))
                    head.slots[group.key] = slot
                }
                for (time, value) in zip(group.times, group.values) {
                    head.heads[slot].insert(time: time, value: value)
                }
                if head.heads[slot].firstSeq == 0 {
                    head.heads[slot].firstSeq = seq
                    head.heads[slot].openedAt = now
                }
            }
        }
    }

    /// A read connection from the pool (opening one when none is free).
    func withReader<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        let pooled = readers.withLock { $0.popLast() }
        let connection = try pooled ?? SQLiteConnection(path: path, readOnly: true)
        defer { readers.withLock { if $0.count < 8 { $0.append(connection) } } }
        return try body(connection)
    }

    /// Closes every connection; the writer must have checkpointed first.
    func closeConnections() {
        writer.withLock { w in
            w.connection?.close()
            w.connection = nil
            w.closed = true
        }
        readers.withLock { pool in
            for connection in pool { connection.close() }
            pool = []
        }
    }
}

// The connection is only ever used by one thread at a time: the writer's under the writer
// lock, readers' after being taken out of the pool.
extension SQLiteConnection: @unchecked Sendable {}
