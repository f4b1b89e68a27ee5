import TimeSeries

/// What a read-only store knows of the batch log: the decoded samples of every log row,
/// per series field, refreshed incrementally (rows are only appended and deleted oldest first).
struct LogView: Sendable {
    struct Segment: Sendable {
        var seq: Int64
        var times: [Int64]
        var values: [FieldValue]
    }

    private var loadedThrough: Int64 = 0
    private var oldestKept: Int64 = 0
    private(set) var segments: [HeadKey: [Segment]] = [:]

    /// Drops segments whose rows are gone and loads rows added since the last refresh.
    mutating func refresh(_ connection: SQLiteConnection) throws(SQLiteStoreError) {
        // One read transaction: the writer drops the log table when it stops cleanly, and
        // between a look for the table and a read of it in statements of their own, the read
        // failed ("no such table: log").
        try connection.transaction(immediate: false) { () throws(SQLiteStoreError) in try load(connection) }
    }

    private mutating func load(_ connection: SQLiteConnection) throws(SQLiteStoreError) {
        // A cleanly stopped file has no log table (`Schema.runningTables`).
        guard try connection.hasTable("log"), let oldest = try connection.scalar("SELECT min(seq) FROM log") else {
            segments = [:]
            return
        }
        if oldest > oldestKept {
            for (key, list) in segments {
                let kept = list.filter { $0.seq >= oldest }
                segments[key] = kept.isEmpty ? nil : kept
            }
            oldestKept = oldest
        }
        let rows = try connection.prepare("SELECT seq, data FROM log WHERE seq > ? ORDER BY seq")
        defer { rows.reset() }
        try rows.bind(1, loadedThrough)
        while try rows.step() {
            let seq = rows.int64(0)
            for group in try BatchLog.decode(rows.blob(1), seq: seq, file: connection.path) {
                segments[group.key, default: []].append(Segment(seq: seq, times: group.times, values: group.values))
            }
            loadedThrough = seq
        }
    }

    /// Rows currently known (for stats).
    var sampleCount: Int {
        segments.values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.times.count } }
    }
}
