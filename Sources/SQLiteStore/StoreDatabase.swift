import Synchronization
import TimeSeries

/// One database file: the writer (head, batch log, sealing) or, read-only, a view of what is durable.
///
/// Locks, always taken in this order: `writer` serialises appends, flushes and maintenance;
/// `registry` guards the authoritative series index and the field refs (held briefly, so the
/// receive thread can resolve a new series while a flush writes SQL); `head` guards the open
/// chunks and is held only briefly (appends, and scans copying one head). `index` holds the
/// snapshot readers use, refreshed on demand when `indexStale` says the registry moved on;
/// `readers` is a pool of read connections (WAL lets them run beside the writer).
final class StoreDatabase: Sendable {
    /// Distinguishes this open database from every other one of the process (refs carry it).
    let token: UInt32
    let name: String
    let path: String
    let readOnly: Bool
    let options: SQLiteStore.Options
    /// The file has `chunks.summary` (schema 7): scans read it. A read-only view of an older file
    /// decodes every chunk.
    let readsSummaries: Bool

    let writer: Mutex<WriterState>
    let registry: Mutex<Registry>
    let indexStale = Atomic<Bool>(false)
    /// The store's catalog version (`SQLiteStore.catalogVersion`), moved after each index change.
    let catalog: CatalogClock
    /// The last log sequence number a flush committed (new heads start from it).
    let committedSeq = Atomic<Int64>(0)
    /// The writer's largest chunk span (`meta.max_span`), raised before a chunk of a larger span
    /// is committed: a scan that reads it after its snapshot began gets a bound at least as large
    /// as that snapshot's, without a statement to read it (`scan(series:field:policy:range:descending:)`).
    let publishedMaxSpan = Atomic<Int64>(0)
    let head = Mutex(HeadState())
    let index: Mutex<IndexState>
    let readers = Mutex<[SQLiteConnection]>([])
    /// Clocks decoded by earlier scans (`clockTimes`), so a dashboard refresh does not decode them again.
    let decodedClocks = Mutex(DecodedClocks())
    /// Float chunks decoded by earlier scans of this file (`DecodedChunks`).
    let decodedChunks = DecodedChunks()
    let logView = Mutex(LogView())
    let samplesWritten = Atomic<Int>(0)

    struct WriterState {
        var connection: SQLiteConnection?
        /// The next log row: every sample since the last flush, in write order.
        var log = BatchLog.Writer()
        var nextSeq: Int64 = 1
        var oldestLogSeq: Int64?
        var logRows = 0
        var chunkCount = 0
        var maxSpan: Int64 = 0
        /// Series fields whose sealed chunks may overlap (candidates for compaction).
        var overlapping: Set<HeadKey> = []
        /// Where the next background compaction step resumes (nil: from the first series field).
        var compactCursor: HeadKey?
        /// Ids of the strings series rows name (`SeriesCatalog`).
        var strings = StringIDs()
        /// Chunks removed by compaction since the file was opened (for stats).
        var compactedChunks = 0
        /// WAL truncations since the file was opened (for stats).
        var walTruncations = 0
        var closed = false
        /// Reused buffer a seal encodes its chunk into.
        var sealScratch: [UInt8] = []
        /// Clocks written recently, for the next seals to share (`StoreDatabase+Clocks`).
        var clocks = ClockCache()
        var clocksWritten = 0
        /// Chunk rows of the running flush not yet appended (nil: `storeChunk` appends at once).
        var pendingChunks: [PendingChunk]?
        var pendingBytes = 0
        /// What the packer knows of the chunk table's last page (`insertPacked`).
        var packer: PagePacker?
        var pageSize = 0
    }

    /// What a field ref stands for, so a ref whose series was dropped can bring it back.
    struct RefIdentity {
        var key: SeriesKey
        var field: String
        var type: FieldType
        var policy: Int64
    }

    /// The writer's series index and the refs handed out for it.
    struct Registry {
        /// The authoritative index, including series not yet flushed.
        var index = SeriesIndex()
        /// Series and fields created since the last flush (their rows are not in the file yet).
        var newSeries: [Int64] = []
        var newFields: [(measurement: String, name: String, info: FieldInfo)] = []
        /// Ref slot → identity; `HeadState.refHeads` has the same slots (and each head its
        /// series field's slot).
        var refs: [RefIdentity] = []
    }

    struct HeadState {
        var heads = HeadTable()
        /// Ref slot → index in `heads`, or -1 when the ref's series was dropped.
        var refHeads: [Int32] = []
        /// Per series field, a time at or after every sealed chunk's max_time (to spot overlaps, and
        /// so a scan skips the SQL of series fields with nothing sealed in its range). Absent:
        /// not known yet (nothing is loaded at open); a seal or a scan looks it up in the chunk
        /// index (`lastSealedTime`) and keeps it, Int64.min when nothing is sealed.
        var sealedMax: [HeadKey: Int64] = [:]
        /// What the last look at every head for due seals (`dueSeals(.due)`) found: no head was
        /// due, none changes before `nextAgeDue` (monotonic ns) unless `heads.generation` moves,
        /// and the oldest log row a head needs is `minFirstSeq`.
        var idleScan: (generation: UInt64, nextAgeDue: UInt64, minFirstSeq: Int64)?
    }

    struct IndexState {
        var snapshot = IndexSnapshot(SeriesIndex())
        /// meta.index_version the snapshot was loaded at (read-only mode).
        var version: Int64 = -1
    }

    /// Opens (the writer creating the file when missing) and, for the writer, replays the batch log.
    init(token: UInt32, name: String, path: String, options: SQLiteStore.Options, readOnly: Bool,
         catalog: CatalogClock = CatalogClock()) throws {
        self.token = token
        self.catalog = catalog
        self.name = name
        self.path = path
        self.readOnly = readOnly
        self.options = options
        var state = WriterState()
        var registryState = Registry()
        var headState = HeadState()
        var summaries = true
        if !readOnly {
            let connection = try SQLiteConnection(path: path, readOnly: false)
            _ = try Schema.prepare(connection, readOnly: false)
            try connection.execute(Schema.runningTables)
            try Self.createInitialPolicy(connection, duration: options.defaultRetention ?? 0)
            // The writer's file is migrated: it has `strings`, read once for both.
            let strings = try SeriesCatalog.strings(connection)
            registryState.index = try SeriesIndex.load(connection, strings: strings)
            state.strings = StringIDs(strings)
            state.nextSeq = max(try connection.scalar("SELECT value FROM meta WHERE key = 'last_seq'") ?? 0,
                                try connection.scalar("SELECT max(seq) FROM log") ?? 0) + 1
            state.chunkCount = Int(try connection.scalar("SELECT value FROM meta WHERE key = 'chunks'") ?? 0)
            state.maxSpan = try connection.scalar("SELECT value FROM meta WHERE key = 'max_span'") ?? 0
            state.logRows = Int(try connection.scalar("SELECT count(*) FROM log") ?? 0)
            state.oldestLogSeq = try connection.scalar("SELECT min(seq) FROM log")
            state.connection = connection
            try Self.replay(into: &headState, index: registryState.index, nextSeq: state.nextSeq, connection: connection)
        } else {
            let connection = try SQLiteConnection(path: path, readOnly: true)
            // An empty file is one the writer is still creating: nothing to read yet.
            guard try Schema.prepare(connection, readOnly: true) else { throw SeriesStoreError.databaseNotFound(name) }
            summaries = (try connection.scalar("PRAGMA user_version") ?? 0) >= Schema.summaryVersion
            readers.withLock { $0.append(connection) }
        }
        let committed = state.nextSeq - 1
        readsSummaries = summaries
        writer = Mutex(state)
        index = Mutex(IndexState(snapshot: IndexSnapshot(registryState.index), version: -1))
        registry = Mutex(registryState)
        head.withLock { $0 = headState }
        committedSeq.store(committed, ordering: .relaxed)
        publishedMaxSpan.store(writer.withLock { $0.maxSpan }, ordering: .sequentiallyConsistent)
    }

    /// A new file (or one migrated from schema 2) gets `autogen`, the default policy, keeping
    /// samples for `duration` (0: forever). Once: a database whose policies were all dropped
    /// stays without.
    private static func createInitialPolicy(_ connection: SQLiteConnection, duration: Int64) throws(SQLiteStoreError) {
        guard (try connection.scalar("SELECT count(*) FROM meta WHERE key = 'policies_created'") ?? 0) == 0 else { return }
        try connection.transaction { () throws(SQLiteStoreError) in
            if (try connection.scalar("SELECT count(*) FROM policies") ?? 0) == 0 {
                try writePolicies(.initial(duration: duration), ids: ["autogen": 1], connection)
            }
            try connection.execute("INSERT INTO meta(key, value) VALUES ('policies_created', 1)")
        }
    }

    /// Rebuilds the head from the log rows not yet sealed into chunks.
    private static func replay(into head: inout HeadState, index: SeriesIndex, nextSeq: Int64, connection: SQLiteConnection) throws(SQLiteStoreError) {
        let sealedRows = try connection.prepare("SELECT series_id, field_id, seq FROM sealed")
        var sealed: [HeadKey: Int64] = [:]
        while try sealedRows.step() {
            sealed[HeadKey(series: sealedRows.int64(0), field: sealedRows.int64(1))] = sealedRows.int64(2)
        }
        sealedRows.reset()
        var fieldTypes: [Int64: FieldType] = [:]
        for (id, info) in index.allFields { fieldTypes[id] = info.type }
        let rows = try connection.prepare("SELECT seq, data FROM log ORDER BY seq")
        defer { rows.reset() }
        let now = MonotonicClock.now()
        while try rows.step() {
            let seq = rows.int64(0)
            for group in try BatchLog.decode(rows.blob(1), seq: seq, file: connection.path) {
                guard index.table[group.key.series] != nil, let type = fieldTypes[group.key.field],
                      seq > sealed[group.key] ?? 0 else { continue }
                let slot = openHead(&head, group.key, type: type, baseSeq: nextSeq - 1)
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
        // Readers first: SQLite checkpoints the WAL into the database and deletes the -wal and
        // -shm files when the last connection closes, so that must be the writer's.
        readers.withLock { pool in
            for connection in pool { connection.close() }
            pool = []
        }
        writer.withLock { w in
            w.connection?.close()
            w.connection = nil
            w.closed = true
        }
    }
}

// The connection is only ever used by one thread at a time: the writer's under the writer
// lock, readers' after being taken out of the pool.
extension SQLiteConnection: @unchecked Sendable {}

/// A store's catalog version: one counter shared by its databases, moved after every change of
/// a series index (and of the set of databases), so that a reader that loaded the version before
/// reading the index knows, when the version is still the same, that nothing it read has changed.
final class CatalogClock: Sendable {
    private let value = Atomic<UInt64>(0)

    init() {}

    /// Loaded before what it guards is read (acquiring: the changes before the move are seen).
    var version: UInt64 { value.load(ordering: .acquiring) }

    /// After the change is in place (and published as stale): readers that load the new version
    /// then see the change.
    func advance() { value.add(1, ordering: .releasing) }
}

extension StoreDatabase {
    /// The series index changed: readers refresh their snapshot, plans made before are stale.
    func indexChanged() {
        indexStale.store(true, ordering: .releasing)
        catalog.advance()
    }
}
