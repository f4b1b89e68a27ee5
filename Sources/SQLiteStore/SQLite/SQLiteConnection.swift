import CSQLite
import CSQLitePool

/// One SQLite connection with a prepared-statement cache. Not thread-safe: the owner
/// (writer lock or reader pool) guarantees one thread at a time.
final class SQLiteConnection {
    let path: String
    private(set) var handle: OpaquePointer?
    private var statements: [String: SQLiteStatement] = [:]

    /// Installed once, before the process's first connection: SQLite's small allocations (the
    /// record of every inserted row) then come from a pool instead of malloc.
    static let allocator: Int32 = csqlite_install_pool()

    /// Opens `path`; `readOnly` never creates or modifies the file.
    init(path: String, readOnly: Bool) throws(SQLiteStoreError) {
        _ = Self.allocator
        self.path = path
        var db: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = Self.message(for: rc, on: db)
            sqlite3_close_v2(db)
            throw .sqlite(file: path, code: rc, message: message)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        // Readers and the writer in other processes wait for each other's locks instead of failing.
        sqlite3_busy_timeout(db, 10_000)
    }

    deinit { close() }

    /// How long a statement waits for a lock held by another connection before SQLITE_BUSY.
    func setBusyTimeout(milliseconds: Int32) {
        if let handle { sqlite3_busy_timeout(handle, milliseconds) }
    }

    func close() {
        for statement in statements.values { statement.finalize() }
        statements = [:]
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// The error for result code `rc`, with SQLite's message for this connection.
    func error(_ rc: Int32) -> SQLiteStoreError {
        .sqlite(file: path, code: rc, message: Self.message(for: rc, on: handle))
    }

    /// SQLite's message for `rc`: the connection's own when it still describes `rc`, else the
    /// code's generic text. A connection's message is that of its latest call, so after a
    /// failed step that was followed by a reset or a rollback it reads "not an error".
    static func message(for rc: Int32, on handle: OpaquePointer?) -> String {
        if let handle, sqlite3_errcode(handle) & 0xff == rc & 0xff {
            return String(cString: sqlite3_errmsg(handle))
        }
        return String(cString: sqlite3_errstr(rc))
    }

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws(SQLiteStoreError) {
        var message: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &message)
        if rc != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(message)
            throw .sqlite(file: path, code: rc, message: text)
        }
    }

    /// A cached prepared statement, reset and with bindings cleared.
    func prepare(_ sql: String) throws(SQLiteStoreError) -> SQLiteStatement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        var raw: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard rc == SQLITE_OK, let raw else { throw error(rc) }
        let statement = SQLiteStatement(raw, connection: self)
        statements[sql] = statement
        return statement
    }

    /// The first column of the first row of `sql` as an integer, or nil when there is no row or it is NULL.
    /// Whether the database has a table `name` (in the current snapshot, inside a transaction).
    func hasTable(_ name: String) throws(SQLiteStoreError) -> Bool {
        let statement = try prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?")
        defer { statement.reset() }
        try statement.bind(1, name)
        return try statement.step() && statement.int64(0) > 0
    }

    func scalar(_ sql: String, _ arguments: Int64...) throws(SQLiteStoreError) -> Int64? {
        let statement = try prepare(sql)
        defer { statement.reset() }
        for (i, argument) in arguments.enumerated() { try statement.bind(i + 1, argument) }
        guard try statement.step(), !statement.isNull(0) else { return nil }
        return statement.int64(0)
    }

    /// Runs one cached statement that returns no rows: parsed once per connection, where
    /// `execute` parses its text on every call.
    func run(_ sql: String) throws(SQLiteStoreError) {
        let statement = try prepare(sql)
        defer { statement.reset() }
        _ = try statement.step()
    }

    /// Runs `body` in a transaction (`BEGIN IMMEDIATE` for writes), rolling back when it throws.
    /// BEGIN and COMMIT are cached statements: a query's read transaction parsed both every time.
    func transaction<T>(immediate: Bool = true, _ body: () throws(SQLiteStoreError) -> T) throws(SQLiteStoreError) -> T {
        try run(immediate ? "BEGIN IMMEDIATE" : "BEGIN")
        do {
            let result = try body()
            try run("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    var changes: Int { Int(sqlite3_changes64(handle)) }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
}
