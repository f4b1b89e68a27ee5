/// The file layout: schema version, tables, pragmas and the checks run at open.
///
/// See `Docs/storage-format.md` ("SQLite layout") for why each table and pragma is there.
enum Schema {
    /// Stored in `PRAGMA user_version`.
    static let version: Int32 = 13
    /// Stored in `PRAGMA application_id` ("CLit"), so foreign SQLite files are recognised.
    static let applicationID: Int64 = 0x434C_6974
    /// Page size of new files (existing files keep theirs). Chunk rows of 1–3 KB leave on
    /// average half a row of slack at the end of each page; 16 KiB pages keep that near 5 %
    /// where 4 KiB pages lose about 20 % (Docs/storage-format.md, "Figures").
    static let pageSize = 16384
    /// The oldest schema version a read-only process can read without migrating it: the
    /// readers' SQL only names columns every version since 1 has, except `chunks.summary`,
    /// which they read only from files of `summaryVersion` or newer.
    static let oldestReadable: Int32 = 1
    /// The first version with `chunks.summary`.
    static let summaryVersion: Int64 = 7

    /// The current schema, for a new file (with `runningTables`, which the writer creates).
    static let create = """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE strings(id INTEGER PRIMARY KEY, text TEXT NOT NULL);
        CREATE TABLE series(id INTEGER PRIMARY KEY, key BLOB NOT NULL);
        CREATE TABLE fields(id INTEGER PRIMARY KEY, measurement TEXT NOT NULL, name TEXT NOT NULL, type INTEGER NOT NULL,
            policy INTEGER NOT NULL DEFAULT 1);
        CREATE TABLE policies(id INTEGER PRIMARY KEY, name TEXT NOT NULL, position INTEGER NOT NULL,
            duration INTEGER NOT NULL, shard_duration INTEGER NOT NULL, replication INTEGER NOT NULL, is_default INTEGER NOT NULL);
        CREATE TABLE chunks(id INTEGER PRIMARY KEY, series_id INTEGER NOT NULL, field_id INTEGER NOT NULL,
            max_time INTEGER NOT NULL, seq INTEGER NOT NULL, times_id INTEGER, data BLOB NOT NULL, summary BLOB);
        CREATE INDEX chunks_by_series ON chunks(series_id, field_id, max_time);
        CREATE TABLE times(id INTEGER PRIMARY KEY, data BLOB NOT NULL, refs INTEGER NOT NULL DEFAULT 0);
        INSERT INTO meta(key, value) VALUES ('last_seq', 0), ('index_version', 1), ('next_series', 1);
        """

    /// Upgrades by target version; entry `v` turns a version `v - 1` file into version `v`.
    static let migrations: [(version: Int32, sql: String)] = [
        // Version 2: chunk rows lose min_time and count (the chunk header holds both), series and
        // fields lose their UNIQUE indexes (the single writer's in-memory index keeps keys unique),
        // about 0.3 bytes per value on a 2-hour day. The series id sequence carries over, so
        // ids of dropped series are never reused.
        (2, """
        CREATE TABLE chunks_v2(id INTEGER PRIMARY KEY, series_id INTEGER NOT NULL, field_id INTEGER NOT NULL,
            max_time INTEGER NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL);
        INSERT INTO chunks_v2(id, series_id, field_id, max_time, seq, data)
            SELECT id, series_id, field_id, max_time, seq, data FROM chunks ORDER BY id;
        DROP TABLE chunks;
        ALTER TABLE chunks_v2 RENAME TO chunks;
        CREATE INDEX chunks_by_series ON chunks(series_id, field_id, max_time);
        CREATE TABLE series_v2(id INTEGER PRIMARY KEY AUTOINCREMENT, measurement TEXT NOT NULL, tags BLOB NOT NULL);
        INSERT INTO series_v2(id, measurement, tags) SELECT id, measurement, tags FROM series ORDER BY id;
        DELETE FROM sqlite_sequence WHERE name = 'series_v2';
        INSERT INTO sqlite_sequence(name, seq) SELECT 'series_v2', seq FROM sqlite_sequence WHERE name = 'series';
        DROP TABLE series;
        ALTER TABLE series_v2 RENAME TO series;
        CREATE TABLE fields_v2(id INTEGER PRIMARY KEY, measurement TEXT NOT NULL, name TEXT NOT NULL, type INTEGER NOT NULL);
        INSERT INTO fields_v2 SELECT id, measurement, name, type FROM fields ORDER BY id;
        DROP TABLE fields;
        ALTER TABLE fields_v2 RENAME TO fields;
        """),
        // Version 3: retention policies. Every field row belongs to one policy (its samples are
        // that policy's); existing fields belong to autogen (id 1), which the writer creates
        // at open (`StoreDatabase.createInitialPolicy`). Continuous queries get a table of their own
        // when the first one is created (`StoreDatabase.continuousQueriesTable`): a page less per file.
        (3, """
        ALTER TABLE fields ADD COLUMN policy INTEGER NOT NULL DEFAULT 1;
        CREATE TABLE policies(id INTEGER PRIMARY KEY, name TEXT NOT NULL, position INTEGER NOT NULL,
            duration INTEGER NOT NULL, shard_duration INTEGER NOT NULL, replication INTEGER NOT NULL, is_default INTEGER NOT NULL);
        """),
        // Version 4: shared clocks. A chunk may code its timestamps against a time sequence in
        // `times` (series written together share one: the data sources of a value list, the
        // value lists of one plugin read); `times_id` names it, and the partial index finds the
        // chunks still using a clock when one of them is deleted.
        (4, """
        ALTER TABLE chunks ADD COLUMN times_id INTEGER;
        CREATE TABLE times(id INTEGER PRIMARY KEY, data BLOB NOT NULL);
        CREATE INDEX chunks_by_times ON chunks(times_id) WHERE times_id IS NOT NULL;
        """),
        // Version 5: no table changes. Chunks may now use integer order 3 (a constant codes its
        // first value and nothing after it), which readers of version 4 reject as corrupt; the
        // version number makes them refuse the file as too new instead. `sqlite_stat1` is no
        // longer written (`PRAGMA optimize` at close added a 16 KiB page for a query planner
        // that has one index per query to choose); an existing one stays.
        (5, ""),
        // Version 6: each clock counts the chunk rows referencing it (`refs`), so the index
        // `chunks_by_times`, which only answered "is this clock still used?", is gone: 0.05 B per
        // value on the 2-hour real-data run (4 pages of 16 KiB for 1 940 series).
        (6, """
        ALTER TABLE times ADD COLUMN refs INTEGER NOT NULL DEFAULT 0;
        UPDATE times SET refs = (SELECT count(*) FROM chunks WHERE chunks.times_id = times.id);
        DELETE FROM times WHERE refs = 0;
        DROP INDEX chunks_by_times;
        """),
        // Version 7: float chunks of at least `Options.summaryMinimumSamples` samples carry a
        // `ChunkSummary` (first, last, min, max), so count and the selectors over buckets that
        // wholly contain a chunk skip decoding it. Older rows stay NULL and are decoded.
        (7, "ALTER TABLE chunks ADD COLUMN summary BLOB;"),
        // Version 8: no table changes. Chunks coded against a clock may be version 4 (run-coded
        // times), which readers of version 7 reject as unsupported; the version number makes them
        // refuse the file as too new instead.
        (8, ""),
        // Version 9: series rows hold string ids (`SeriesCatalog`): about 84 bytes per collectd
        // series row become 12, and the id sequence moves from `sqlite_sequence` to
        // `meta.next_series`. Done in Swift (`SeriesCatalog.migrate`) after this SQL.
        (9, ""),
        // Version 10: no table changes. Clocks may code their times as deltas from an interval
        // (the order byte's high bit), which readers of version 9 reject as corrupt; the version
        // number makes them refuse the file as too new instead.
        (10, ""),
        // Version 11: `sealed` loses max_time (the writer looks up a series field's newest sealed
        // time in `chunks_by_series` when it first needs it) and keeps rows only while log rows
        // remain, so a cleanly stopped file has none: 4 pages of 16 KiB on the 2-hour real run.
        (11, """
        CREATE TABLE sealed_v11(series_id INTEGER NOT NULL, field_id INTEGER NOT NULL, seq INTEGER NOT NULL,
            PRIMARY KEY(series_id, field_id)) WITHOUT ROWID;
        INSERT INTO sealed_v11(series_id, field_id, seq) SELECT series_id, field_id, seq FROM sealed
            WHERE seq >= (SELECT min(seq) FROM log);
        DROP TABLE sealed;
        ALTER TABLE sealed_v11 RENAME TO sealed;
        """),
        // Version 12: a clean stop drops `log` and `sealed` (both empty then) and the writer
        // creates them when it opens the file (`runningTables`); readers take a missing table as
        // an empty one. Readers of version 11 would fail on such a file; the version number makes
        // them refuse it as too new instead.
        (12, ""),
        // Version 13: no table changes. Chunk summaries may hold differences and a tail gap in
        // milliseconds (`ChunkSummary` flag bits 1 and 2), which readers of version 12 reject
        // as corrupt; the version number makes them refuse the file as too new instead.
        (13, ""),
    ]

    /// The writer's batch log and seal marks, dropped by a clean stop and created by the writer
    /// at open (`StoreDatabase.close`): as in `create`.
    static let runningTables = """
        CREATE TABLE IF NOT EXISTS sealed(series_id INTEGER NOT NULL, field_id INTEGER NOT NULL, seq INTEGER NOT NULL,
            PRIMARY KEY(series_id, field_id)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS log(seq INTEGER PRIMARY KEY, data BLOB NOT NULL);
        """

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
            if current < Int64(oldestReadable) {
                throw .foreignFile(file: file, reason: "schema version \(current) needs migrating; open it once with the server")
            }
            return true
        }
        if fresh {
            // auto_vacuum and page_size only take effect before the first table exists (and
            // page_size before the switch to WAL).
            try connection.execute("PRAGMA page_size = \(pageSize); PRAGMA auto_vacuum = INCREMENTAL")
        }
        try connection.execute(writerPragmas)
        if fresh {
            try connection.transaction { () throws(SQLiteStoreError) in
                try connection.execute(create)
                try connection.execute("PRAGMA application_id = \(applicationID); PRAGMA user_version = \(version)")
            }
            return true
        }
        let pending = migrations.filter { Int64($0.version) > current }
        if !pending.isEmpty {
            try connection.transaction { () throws(SQLiteStoreError) in
                for migration in pending {
                    try connection.execute(migration.sql)
                    if Int64(migration.version) == SeriesCatalog.version { try SeriesCatalog.migrate(connection) }
                }
                try connection.execute("PRAGMA application_id = \(applicationID); PRAGMA user_version = \(version)")
            }
            // The old tables' pages go back to the file system.
            try connection.execute("PRAGMA incremental_vacuum")
        }
        return true
    }}
