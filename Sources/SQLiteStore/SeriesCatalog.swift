import TimeSeries

/// Series rows of schema 9: each distinct measurement name, tag key and tag value is stored once
/// in `strings`, and a series row holds only numbers: `series.key` is the varint id of the
/// measurement name followed by a varint key id and a varint value id per tag (sorted by key,
/// as `SeriesKey` keeps them). A collectd series row took about 84 bytes with its names spelled
/// out (host, plugin instance, type and their keys repeated in every row) and now takes about
/// 12. Strings are never deleted (a dropped series' names stay for the next series using them);
/// ids are never reused.
struct StringIDs: Sendable {
    private(set) var ids: [String: Int64] = [:]
    private(set) var next: Int64 = 1
    /// Strings given an id since `commit()`: their `strings` rows are not in the file yet.
    private(set) var pending: [(id: Int64, text: String)] = []

    /// The id of `text`, giving it the next one when it has none.
    mutating func id(_ text: String) -> Int64 {
        if let id = ids[text] { return id }
        let id = next
        next += 1
        ids[text] = id
        pending.append((id, text))
        return id
    }

    /// The ids of the stored strings (`SeriesCatalog.strings`).
    init(_ stored: [Int64: String] = [:]) {
        ids.reserveCapacity(stored.count)
        for (id, text) in stored {
            ids[text] = id
            next = max(next, id + 1)
        }
    }

    /// The pending strings were written.
    mutating func commit() { pending = [] }

    /// The catalog key of `key`, giving new strings ids.
    mutating func encode(_ key: SeriesKey) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1 + 4 * key.tags.count)
        Varint.write(UInt64(id(key.measurement)), to: &out)
        for tag in key.tags {
            Varint.write(UInt64(id(tag.key)), to: &out)
            Varint.write(UInt64(id(tag.value)), to: &out)
        }
        return out
    }

    /// Writes the pending strings (inside the caller's transaction).
    func insertPending(_ connection: SQLiteConnection) throws(SQLiteStoreError) {
        guard !pending.isEmpty else { return }
        let insert = try connection.prepare("INSERT INTO strings(id, text) VALUES (?, ?)")
        for (id, text) in pending {
            try insert.bind(1, id)
            try insert.bind(2, text)
            try insert.run()
        }
    }
}

enum SeriesCatalog {
    /// The first schema with `strings` and catalog keys.
    static let version: Int64 = 9

    /// The key of a catalog row, or nil when it names a string `strings` lacks or is malformed.
    static func decode(_ bytes: [UInt8], strings: [Int64: String]) -> SeriesKey? {
        var reader = ByteReader(bytes[...])
        guard let m = reader.readVarint(), let measurement = strings[Int64(truncatingIfNeeded: m)] else { return nil }
        var tags: [Tag] = []
        while !reader.isAtEnd {
            guard let k = reader.readVarint(), let v = reader.readVarint(),
                  let key = strings[Int64(truncatingIfNeeded: k)], let value = strings[Int64(truncatingIfNeeded: v)] else { return nil }
            tags.append(Tag(key, value))
        }
        return SeriesKey(measurement: measurement, sortedTags: tags)
    }

    /// The `strings` table of a schema-9 file, by id.
    static func strings(_ connection: SQLiteConnection) throws(SQLiteStoreError) -> [Int64: String] {
        var strings: [Int64: String] = [:]
        let texts = try connection.prepare("SELECT id, text FROM strings")
        defer { texts.reset() }
        while try texts.step() { strings[texts.int64(0)] = texts.text(1) }
        return strings
    }

    /// Every series row of a schema-9 file, by id, its names from `strings`.
    static func loadRows(_ connection: SQLiteConnection, strings: [Int64: String], _ body: (Int64, SeriesKey) -> Void) throws(SQLiteStoreError) {
        let rows = try connection.prepare("SELECT id, key FROM series")
        defer { rows.reset() }
        while try rows.step() {
            let id = rows.int64(0)
            guard let key = decode(rows.blob(1), strings: strings) else {
                throw .corruptData(file: connection.path, reason: "series \(id) has an undecodable key")
            }
            body(id, key)
        }
    }

    /// Migration 9, inside the migration transaction: rewrites the schema-8 series rows
    /// (measurement and tag text, `AUTOINCREMENT`) as catalog rows, keeping every id; the id
    /// sequence (ahead of every id when series were dropped) moves to `meta.next_series`.
    static func migrate(_ connection: SQLiteConnection) throws(SQLiteStoreError) {
        let hasSequence = (try connection.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'") ?? 0) > 0
        let sequence = hasSequence ? try connection.scalar("SELECT seq FROM sqlite_sequence WHERE name = 'series'") ?? 0 : 0
        let maxID = try connection.scalar("SELECT max(id) FROM series") ?? 0
        var strings = StringIDs()
        var rows: [(Int64, [UInt8])] = []
        let select = try connection.prepare("SELECT id, measurement, tags FROM series ORDER BY id")
        while try select.step() {
            let id = select.int64(0)
            guard let tags = TagCoding.decode(select.blob(2)) else {
                select.reset()
                throw .corruptData(file: connection.path, reason: "series \(id) has an undecodable tag set")
            }
            rows.append((id, strings.encode(SeriesKey(measurement: select.text(1), sortedTags: tags))))
        }
        select.reset()
        try connection.execute("""
            CREATE TABLE strings(id INTEGER PRIMARY KEY, text TEXT NOT NULL);
            CREATE TABLE series_v9(id INTEGER PRIMARY KEY, key BLOB NOT NULL);
            """)
        try strings.insertPending(connection)
        let insert = try connection.prepare("INSERT INTO series_v9(id, key) VALUES (?, ?)")
        for (id, key) in rows {
            try insert.bind(1, id)
            try insert.bind(2, blob: key)
            try insert.run()
        }
        try connection.execute("DROP TABLE series; ALTER TABLE series_v9 RENAME TO series")
        if hasSequence {
            try connection.execute("DELETE FROM sqlite_sequence WHERE name = 'series'")
        }
        let next = try connection.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('next_series', ?)")
        try next.bind(1, max(sequence, maxID) + 1)
        try next.run()
    }
}
