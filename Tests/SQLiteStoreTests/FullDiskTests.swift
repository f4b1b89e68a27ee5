import Foundation
import Testing
import TestSupport
import TimeSeries
@testable import SQLiteStore

/// A file that cannot grow (`PRAGMA max_page_count` stands in for a full disk: SQLite answers
/// both with SQLITE_FULL): writes fail with SQLite's own message, every acknowledged batch
/// stays, and the store goes on once there is room again, without a restart.
@Suite struct FullDiskTests {
    static func batch(_ b: Int) -> [Point] {
        (0..<400).map { i in
            Point(measurement: "m", tags: [Tag("k", "v\(i % 40)")],
                  fields: [Field("v", .float(Double(b * 400 + i) * 1.000001)), Field("b", .integer(Int64(b)))],
                  time: Int64(b * 400 + i + 1) * 1_000_000_000)
        }
    }

    /// Points per batch number, read from the store.
    static func batches(_ store: SQLiteStore) throws -> [Int64: Int] {
        var counts: [Int64: Int] = [:]
        for entry in try store.series(database: "db", filter: .names(["m"]), where: .always) {
            for sample in try store.samples(database: "db", series: entry.id, field: "b") {
                guard case .integer(let b) = sample.value else { continue }
                counts[b, default: 0] += 1
            }
        }
        return counts
    }

    @Test func fullFileRefusesWithSQLitesMessageKeepsAcknowledgedBatchesAndRecovers() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path)
        try store.write(Self.batch(0), database: "db", policy: nil)
        try store.flush()
        let db = try #require(store.openDatabases().first)
        try db.writer.withLock { w in
            let connection = try #require(w.connection)
            let pages = try #require(try connection.scalar("PRAGMA page_count"))
            try connection.execute("PRAGMA max_page_count = \(pages + 3)")
        }
        var acknowledged = [0]
        var failures: [String] = []
        for b in 1..<200 where failures.count < 3 {
            do {
                try store.write(Self.batch(b), database: "db", policy: nil)
                try store.flush()
                acknowledged.append(b)
            } catch {
                failures.append("\(error)")
            }
        }
        // Every failure names the cause, not only the first: a later one used to read
        // "not an error", the message of the rollback that followed the failed step.
        #expect(failures.count == 3)
        for failure in failures {
            #expect(failure.contains("sqlite error 13") && failure.contains("database or disk is full"), "\(failure)")
        }
        #expect(acknowledged.count > 1, "the file had room for a few batches")
        let whileFull = try Self.batches(store)
        for b in acknowledged { #expect(whileFull[Int64(b)] == 400, "batch \(b) while full") }

        // Room again: the next flush stores what waited (as InfluxDB keeps a failed write in
        // its cache, a refused batch is kept too), with no restart.
        try db.writer.withLock { w in try #require(w.connection).execute("PRAGMA max_page_count = 1073741823") }
        try store.flush()
        let after = try Self.batches(store)
        for b in acknowledged { #expect(after[Int64(b)] == 400, "batch \(b) after recovery") }
        try store.write(Self.batch(500), database: "db", policy: nil)
        try store.flush()
        try store.close()

        let reopened = try SQLiteStore(dataDirectory: directory.path)
        let again = try Self.batches(reopened)
        #expect(again[500] == 400)
        #expect(again == after.merging([500: 400]) { a, _ in a })
        try reopened.close()
    }
}
