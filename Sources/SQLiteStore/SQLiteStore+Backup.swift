import CSQLite

/// File-level operations for `collectlite backup` and `restore`: consistent copies of database
/// files, their integrity check and compaction. They work on paths, beside (not through) an open
/// store, so they can run in another process while `serve` writes.
extension SQLiteStore {
    /// Copies the database file `source` into a new file `destination`, page by page through
    /// SQLite's online backup API.
    ///
    /// The whole copy runs inside one read transaction on `source`, so it is the file exactly as
    /// it was when the copy began (every flush committed by then, none after). In WAL mode a
    /// reader never blocks the writer, so a server keeps ingesting while the copy runs; the WAL
    /// merely cannot be truncated until it ends. `pagesPerStep` pages are copied per step, and
    /// `progress(copied, total)` is called after each.
    /// - Throws: `SQLiteStoreError` when either file cannot be opened or a step fails;
    ///   `destination` is removed then.
    public static func copyDatabaseFile(from source: String, to destination: String, pagesPerStep: Int32 = 1024,
                                        progress: (Int, Int) -> Void = { _, _ in }) throws {
        let reader = try SQLiteConnection(path: source, readOnly: true)
        defer { reader.close() }
        try FileSystem.remove(destination)
        let target = try SQLiteConnection(path: destination, readOnly: false)
        var finished = false
        defer {
            target.close()
            if !finished {
                for suffix in ["", "-wal", "-shm", "-journal"] { try? FileSystem.remove(destination + suffix) }
            }
        }
        // The snapshot: a read transaction begun by a first read, held until every page is copied.
        try reader.execute("BEGIN")
        defer { try? reader.execute("COMMIT") }
        _ = try reader.scalar("SELECT count(*) FROM sqlite_master")
        guard let backup = sqlite3_backup_init(target.handle, "main", reader.handle, "main") else {
            throw target.error(sqlite3_errcode(target.handle))
        }
        var rc: Int32 = SQLITE_OK
        while true {
            rc = sqlite3_backup_step(backup, pagesPerStep)
            let total = Int(sqlite3_backup_pagecount(backup))
            progress(total - Int(sqlite3_backup_remaining(backup)), total)
            if rc == SQLITE_DONE { break }
            // Only the destination can be busy or locked here (nobody else knows it); wait a little.
            if rc == SQLITE_BUSY || rc == SQLITE_LOCKED {
                sqlite3_sleep(10)
                continue
            }
            if rc != SQLITE_OK { break }
        }
        let finish = sqlite3_backup_finish(backup)
        guard rc == SQLITE_DONE, finish == SQLITE_OK else {
            throw target.error(rc == SQLITE_DONE ? finish : rc)
        }
        // A plain rollback-journal file: one self-contained file, no -wal or -shm beside it.
        try target.execute("PRAGMA journal_mode = DELETE")
        finished = true
    }

    /// `PRAGMA integrity_check` of a database file: an empty list when it is sound, else
    /// SQLite's findings.
    public static func integrityCheck(_ path: String) throws -> [String] {
        let connection = try SQLiteConnection(path: path, readOnly: true)
        defer { connection.close() }
        let rows = try connection.prepare("PRAGMA integrity_check")
        defer { rows.reset() }
        var findings: [String] = []
        while try rows.step() {
            let text = rows.text(0)
            if text != "ok" { findings.append(text) }
        }
        return findings
    }

    /// Rewrites a database file that no other process uses without its free pages (`VACUUM`),
    /// left in rollback-journal mode: one self-contained file.
    public static func vacuumFile(_ path: String) throws {
        let connection = try SQLiteConnection(path: path, readOnly: false)
        defer { connection.close() }
        try connection.execute("PRAGMA journal_mode = DELETE")
        try connection.execute("VACUUM")
    }
}
