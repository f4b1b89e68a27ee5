import Foundation
import Testing
@testable import SQLiteStore
import TestSupport
import TimeSeries

/// Chunk rows appended in the packer's order fill the chunk table's pages (`PagePacker`,
/// `StoreDatabase.insertPacked`).
struct PagePackerTests {
    /// Bytes of the table's leaf pages in use (cells and pointers) and free, from SQLite's own
    /// page accounting; the last leaf page, still filling, is left out of `free`.
    static func leafPages(_ connection: SQLiteConnection, _ table: String) throws -> (used: Int64, free: Int64, pages: Int64) {
        // The last leaf in tree order (not the highest page number: a clean stop's incremental
        // vacuum moves pages) is the one rows are appended to, so its free space is not slack.
        let select = try connection.prepare("SELECT pageno, pgsize, unused FROM dbstat WHERE name = '\(table)' AND pagetype = 'leaf' ORDER BY path")
        defer { select.reset() }
        var rows: [(page: Int64, size: Int64, unused: Int64)] = []
        while try select.step() { rows.append((select.int64(0), select.int64(1), select.int64(2))) }
        let last = rows.last?.page
        return (rows.reduce(0) { $0 + $1.size - 8 - $1.unused },
                rows.filter { $0.page != last }.reduce(0) { $0 + $1.unused }, Int64(rows.count))
    }

    @Test("cell sizes match SQLite's page accounting for chunk rows of every shape")
    func cellSizesMatchSQLite() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        for pageSize in [4096, 16384] {
            let connection = try SQLiteConnection(path: directory.path + "/cells-\(pageSize).sqlite", readOnly: false)
            defer { connection.close() }
            try connection.execute("""
                PRAGMA page_size = \(pageSize);
                CREATE TABLE chunks(id INTEGER PRIMARY KEY, series_id INTEGER NOT NULL, field_id INTEGER NOT NULL,
                    max_time INTEGER NOT NULL, seq INTEGER NOT NULL, times_id INTEGER, data BLOB NOT NULL, summary BLOB);
                """)
            var rng = SeededGenerator(seed: UInt64(pageSize))
            var expected = 0
            let insert = try connection.prepare("INSERT INTO chunks(id, series_id, field_id, max_time, seq, times_id, data, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            for n in 0..<400 {
                let rowid = Int64(n) * Int64.random(in: 1...5_000_000, using: &rng) + 1
                let ints: [Int64] = (0..<4).map { _ in
                    [0, 1, 127, -129, 40_000, 9_000_000, 3_000_000_000, 1_796_040_000_000_000_000].randomElement(using: &rng)!
                }
                let times: Int64? = Bool.random(using: &rng) ? Int64.random(in: 0...1 << 40, using: &rng) : nil
                let data = [UInt8](repeating: 7, count: min(pageSize / 2, [0, 5, 60, 130, 2_000, 9_000].randomElement(using: &rng)! + Int.random(in: 0...9, using: &rng)))
                let summary: [UInt8]? = Bool.random(using: &rng) ? [UInt8](repeating: 1, count: Int.random(in: 1...200, using: &rng)) : nil
                try insert.bind(1, rowid)
                for (i, v) in ints.enumerated() { try insert.bind(2 + i, v) }
                if let times { try insert.bind(6, times) }
                try insert.bind(7, blob: data)
                if let summary { try insert.bind(8, blob: summary) }
                _ = try insert.step()
                insert.reset()
                expected += PagePacker.cellBytes(pageSize: pageSize, rowid: rowid, columns: [.null] + ints.map { .integer($0) } + [
                    times.map { .integer($0) } ?? .null, .blob(data.count), summary.map { .blob($0.count) } ?? .null,
                ])
            }
            let used = try Self.leafPages(connection, "chunks").used
            #expect(used == Int64(expected), "page size \(pageSize)")
        }
    }

    @Test("the packer's order leaves almost no page space empty where the given order leaves a tenth")
    func packedOrderFillsPages() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        var rng = SeededGenerator(seed: 42)
        // Chunk-like rows of 100 B to 6 KiB, as a window edge seals them.
        let sizes = (0..<1_500).map { _ in Int.random(in: 0..<10, using: &rng) < 3 ? Int.random(in: 3_000...6_000, using: &rng) : Int.random(in: 100...2_000, using: &rng) }
        var slack: [Double] = []
        for packed in [false, true] {
            let connection = try SQLiteConnection(path: directory.path + "/order-\(packed).sqlite", readOnly: false)
            defer { connection.close() }
            try connection.execute("PRAGMA page_size = 16384; CREATE TABLE t(id INTEGER PRIMARY KEY, data BLOB NOT NULL);")
            let insert = try connection.prepare("INSERT INTO t(data) VALUES (?)")
            let append = { (i: Int) throws(SQLiteStoreError) in
                try insert.bind(1, blob: [UInt8](repeating: 3, count: sizes[i]))
                _ = try insert.step()
                insert.reset()
            }
            let allocated = "SELECT (SELECT page_count FROM pragma_page_count()) - (SELECT freelist_count FROM pragma_freelist_count())"
            try connection.transaction { () throws(SQLiteStoreError) in
                if packed {
                    var packer = PagePacker(pageSize: 16384)
                    let cells = sizes.map { PagePacker.cellBytes(pageSize: 16384, rowid: 1_500, columns: [.null, .blob($0)]) }
                    // In batches, as a flush appends them.
                    for start in stride(from: 0, to: sizes.count, by: 256) {
                        let batch = Array(start..<min(sizes.count, start + 256))
                        var pages = try connection.scalar(allocated) ?? 0
                        try packer.append(cells: batch.map { cells[$0] }) { (j: Int, fits: Bool) throws(SQLiteStoreError) -> Bool in
                            try append(batch[j])
                            let now = try connection.scalar(allocated) ?? 0
                            defer { pages = now }
                            return now > pages
                        }
                    }
                } else {
                    for i in sizes.indices { try append(i) }
                }
            }
            let pages = try Self.leafPages(connection, "t")
            slack.append(Double(pages.free) / Double(pages.used + pages.free))
        }
        #expect(slack[0] > 0.08)
        #expect(slack[1] < 0.02, "\(slack)")
    }

    @Test("a window edge sealing many series of mixed sizes leaves the chunk table's pages nearly full")
    func sealedWindowFillsPages() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let hour: Int64 = 3_600_000_000_000
        let store = try SQLiteStore(dataDirectory: directory.path, options: .init(chunkWindow: hour))
        var rng = SeededGenerator(seed: 8)
        let base: Int64 = 1_796_040_000_000_000_000
        // 300 series, 370 samples each across an hour's edge; value noise from none to 40 bits,
        // so their chunks range from tens of bytes to kilobytes.
        for s in 0..<300 {
            let key = SeriesKey(measurement: "m", tags: [Tag("instance", "\(s)")])
            let bits = s % 41
            let points = (0..<370).map { i in
                Point(key: key, fields: [Field("value", .float(Double(UInt64.random(in: 0...UInt64(1) << bits, using: &rng))))],
                      time: base + Int64(i) * 10_000_000_000)
            }
            try store.write(points, database: "db")
        }
        try store.flush()
        try store.close()
        let connection = try SQLiteConnection(path: directory.path + "/db.sqlite", readOnly: true)
        defer { connection.close() }
        let pages = try Self.leafPages(connection, "chunks")
        #expect(pages.pages >= 15)
        #expect(Double(pages.free) / Double(pages.used + pages.free) < 0.02, "\(pages)")
    }
}
