import ChunkEncoding

/// A chunk row a flush has encoded but not yet appended (see `insertPacked`).
struct PendingChunk {
    var key: HeadKey
    var maxTime: Int64
    var seq: Int64
    var timesID: Int64?
    var summary: [UInt8]?
    var data: [UInt8]
}

/// Chunk rows appended so the chunk table's pages fill (`PagePacker`).
extension StoreDatabase {
    /// A flush appends its chunk rows in batches of at most this many rows or bytes: enough
    /// rows of mixed sizes to fill pages, little memory when a window edge seals every series.
    static let packBatch = 512
    static let packBatchBytes = 2 << 20

    func insertChunkRow(_ connection: SQLiteConnection, _ row: PendingChunk) throws(SQLiteStoreError) {
        let insert = try connection.prepare("INSERT INTO chunks(series_id, field_id, max_time, seq, times_id, summary, data) VALUES (?, ?, ?, ?, ?, ?, ?)")
        try insert.bind(1, row.key.series)
        try insert.bind(2, row.key.field)
        try insert.bind(3, row.maxTime)
        try insert.bind(4, row.seq)
        if let timesID = row.timesID { try insert.bind(5, timesID) }  // unbound: NULL
        if let summary = row.summary { try insert.bind(6, blob: summary) }
        try insert.run(binding: 7, blobInPlace: row.data)
    }

    /// Appends the pending chunk rows in the order `PagePacker` chooses, watching the file's
    /// allocated page count (after the rows the packer cannot place for sure) to learn where
    /// SQLite started a new page. Runs inside the caller's transaction; the rows stay pending
    /// (`w.pendingChunks` is not nil) for the next ones.
    func insertPacked(_ w: inout WriterState, _ connection: SQLiteConnection) throws(SQLiteStoreError) {
        guard let rows = w.pendingChunks, !rows.isEmpty else { return }
        w.pendingChunks = []
        w.pendingBytes = 0
        if w.pageSize == 0 { w.pageSize = Int(try connection.scalar("PRAGMA page_size") ?? 4096) }
        let pageSize = w.pageSize
        // The rowids the rows will get (only their varint length matters).
        let rowid = (try connection.scalar("SELECT max(id) FROM chunks") ?? 0) + Int64(rows.count)
        let cells = rows.map { row in
            PagePacker.cellBytes(pageSize: pageSize, rowid: rowid, columns: [
                .null, .integer(row.key.series), .integer(row.key.field), .integer(row.maxTime), .integer(row.seq),
                row.timesID.map { .integer($0) } ?? .null, .blob(row.data.count), row.summary.map { .blob($0.count) } ?? .null,
            ])
        }
        let allocatedSQL = "SELECT (SELECT page_count FROM pragma_page_count()) - (SELECT freelist_count FROM pragma_freelist_count())"
        var allocated = try connection.scalar(allocatedSQL) ?? 0
        var packer = w.packer ?? PagePacker(pageSize: pageSize)
        try packer.append(cells: cells) { (i: Int, fits: Bool) throws(SQLiteStoreError) -> Bool in
            try insertChunkRow(connection, rows[i])
            // A row that fits the last page allocates none (an interior page split, once in
            // hundreds of leaves, is seen at the next check and only delays the packer's resync).
            if fits { return false }
            let now = try connection.scalar(allocatedSQL) ?? 0
            defer { allocated = now }
            return now > allocated
        }
        w.packer = packer
    }
}
