import CSQLite

/// A prepared statement: bind, step, read columns. Owned by its connection's cache.
final class SQLiteStatement {
    private var raw: OpaquePointer?
    private unowned let connection: SQLiteConnection

    init(_ raw: OpaquePointer, connection: SQLiteConnection) {
        self.raw = raw
        self.connection = connection
    }

    func finalize() {
        sqlite3_finalize(raw)
        raw = nil
    }

    func reset() {
        sqlite3_reset(raw)
        sqlite3_clear_bindings(raw)
    }

    func bind(_ index: Int, _ value: Int64) throws(SQLiteStoreError) {
        try check(sqlite3_bind_int64(raw, Int32(index), value))
    }

    func bind(_ index: Int, _ value: String) throws(SQLiteStoreError) {
        try check(sqlite3_bind_text(raw, Int32(index), value, -1, csqlite_transient()))
    }

    func bind(_ index: Int, blob: [UInt8]) throws(SQLiteStoreError) {
        let rc = blob.withUnsafeBytes { bytes in
            // A zero-length blob still needs a non-null pointer or SQLite stores NULL.
            sqlite3_bind_blob64(raw, Int32(index), bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), UInt64(bytes.count), csqlite_transient())
        }
        try check(rc)
    }

    /// Binds `blob` without SQLite copying it, runs the statement, and unbinds it before `blob`
    /// may go away (an insert of a chunk allocates nothing on our side).
    func run(binding index: Int, blobInPlace blob: [UInt8]) throws(SQLiteStoreError) {
        let rc = blob.withUnsafeBytes { bytes -> Int32 in
            let bound = sqlite3_bind_blob64(raw, Int32(index), bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), UInt64(bytes.count), nil)
            guard bound == SQLITE_OK else { return bound }
            let stepped = sqlite3_step(raw)
            sqlite3_reset(raw)
            sqlite3_bind_null(raw, Int32(index))
            return stepped == SQLITE_DONE ? SQLITE_OK : stepped
        }
        try check(rc)
    }

    /// Advances to the next row; false when done.
    func step() throws(SQLiteStoreError) -> Bool {
        let rc = sqlite3_step(raw)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw connection.error(rc)
    }

    /// Steps a statement that returns no rows, then resets it.
    func run() throws(SQLiteStoreError) {
        defer { reset() }
        _ = try step()
    }

    func int64(_ column: Int) -> Int64 { sqlite3_column_int64(raw, Int32(column)) }

    func isNull(_ column: Int) -> Bool { sqlite3_column_type(raw, Int32(column)) == SQLITE_NULL }

    func text(_ column: Int) -> String {
        guard let pointer = sqlite3_column_text(raw, Int32(column)) else { return "" }
        let count = Int(sqlite3_column_bytes(raw, Int32(column)))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    func blob(_ column: Int) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(raw, Int32(column)))
        guard count > 0, let pointer = sqlite3_column_blob(raw, Int32(column)) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// `body` with the column's bytes in SQLite's own buffer (valid only during the call, and
    /// only until the statement steps or resets): no copy.
    func withBlob<T>(_ column: Int, _ body: (UnsafeRawBufferPointer) throws(SQLiteStoreError) -> T) throws(SQLiteStoreError) -> T {
        let count = Int(sqlite3_column_bytes(raw, Int32(column)))
        guard count > 0, let pointer = sqlite3_column_blob(raw, Int32(column)) else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    private func check(_ rc: Int32) throws(SQLiteStoreError) {
        if rc != SQLITE_OK { throw connection.error(rc) }
    }
}
