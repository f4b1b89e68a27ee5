/// The file layout: schema version, tables, pragmas and the checks run at open.
///
/// See `Docs/storage-format.md` ("SQLite layout") for why each table and pragma is there.
enum Schema {
    /// Stored in `PRAGMA user_version`.
    static let version: Int32 = 1
    /// Stored in `PRAGMA application_id` ("CLit"), so foreign SQLite files are recognised.
    static let applicationID: Int64 = 0x434C_6974

    /// Migrations by target version; entry `v` turns a version `v - 1` file into version `v`.
    static let migrations: [(version: Int32, sql: String)] = [
        (1, """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE series(id INTEGER PRIMARY KEY AUTOINCREMENT, measurement TEXT NOT NULL,
            tags BLOB NOT NULL, UNIQUE(measurement, tags));
        CREATE TABLE fields(id INTEGER PRIMARY KEY, measurement TEXT NOT NULL, name TEXT NOT NULL,
            type INTEGER NOT NULL, UNIQUE(measurement, name));
        CREATE TABLE chunks(id INTEGER PRIMARY KEY, series_id INTEGER NOT NULL, field_id INTEGER NOT NULL,
            max_time INTEGER NOT NULL, seq INTEGER NOT NULL, min_time INTEGER NOT NULL,
            count INTEGER NOT NULL, data BLOB NOT NULL);
        CREATE INDEX chunks_by_series ON chunks(series_id, field_id, max_time);
        CREATE TABLE sealed(series_id INTEGER NOT NULL, field_id INTEGER NOT NULL, seq INTEGER NOT NULL,
            max_time INTEGER NOT NULL,
            PRIMARY KEY(series_id, field_id)) WITHOUT ROWID;
        CREATE TABLE log(seq INTEGER PRIMARY KEY, data BLOB NOT NULL);
        INSERT INTO meta(key, value) VALUES ('last_seq', 0), ('index_version', 1);
        """),
    ]

    /// Pragmas set on every writer connection (journal_mode and auto_vacuum persist in the file).
    /// The writer only appends at the right edge of its B-trees: a 2 MiB page cache is plenty,
    /// and it is resident memory of the server.
    static let writerPragmas = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        PRAGMA cache_size = -2048;
        PRAGMA temp_store = MEMORY;
        PRAGMA journal_size_limit = 67108864;
        """

    /// Checks that `connection` holds a collectlite database (or a new empty file) and brings
    /// its schema up to date. Nothing is written before the checks pass.
    /// - Returns: false when the file is empty and `readOnly` (nothing to read yet).
    static func prepare(_ connection: SQLiteConnection, readOnly: Bool) throws(SQLiteStoreError) -> Bool {
        let file = connection.path
        let storedID: Int64
        let tables: Int64
        let current: Int64
        do {
            // One snapshot: a writer in another process may be creating the schema right now.
            (storedID, tables, current) = try connection.transaction(immediate: false) { () throws(SQLiteStoreError) in
                (try connection.scalar("PRAGMA application_id") ?? 0,
                 try connection.scalar("SELECT count(*) FROM sqlite_master") ?? 0,
                 try connection.scalar("PRAGMA user_version") ?? 0)
            }
        } catch {
            if case .sqlite(_, let code, let message) = error, code & 0xff == 26 || code & 0xff == 11 {
                throw .foreignFile(file: file, reason: "\(message) (sqlite code \(code))")
            }
            throw error
        }
        let fresh = storedID == 0 && tables == 0
        if !fresh && storedID != applicationID {
            throw .foreignFile(file: file, reason: "application_id is \(storedID), tables: \(tables)")
        }
        if current > Int64(version) { throw .unsupportedVersion(file: file, version: Int32(current)) }
        if readOnly {
            if fresh { return false }
            if current < Int64(version) {
                throw .foreignFile(file: file, reason: "schema version \(current) needs migrating; open it once with the server")
            }
            return true
        }
        if fresh {
            // auto_vacuum only takes effect before the first table exists.
            try connection.execute("PRAGMA auto_vacuum = INCREMENTAL")
        }
        try connection.execute(writerPragmas)
        let pending = migrations.filter { Int64($0.version) > current }
        if !pending.isEmpty {
            try connection.transaction { () throws(SQLiteStoreError) in
                for migration in pending { try connection.execute(migration.sql) }
                try connection.execute("PRAGMA application_id = \(applicationID); PRAGMA user_version = \(version)")
            }
        }
        return true
    }}
