import Dispatch
import Foundation
import Synchronization
import Testing
@testable import SQLiteStore
import TestSupport
import TimeSeries

/// The WAL stays bounded while another thread queries without pause: SQLite's own checkpoints
/// cannot reset a WAL a reader is using, `truncateWAL` waits for a gap between queries.
struct WALBoundTests {
    @Test func walIsTruncatedWhileQueriesRunContinuously() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanup() }
        let store = try SQLiteStore(dataDirectory: directory.path, options: .init(chunkSize: 64))
        let keys = (0..<200).map { SeriesKey(measurement: "m", tags: [Tag("host", "h\($0)")]) }
        try store.write(keys.map { Point(key: $0, fields: [Field("v", .float(0))], time: 0) }, database: "db")
        try store.flush()
        let ids = try store.series(database: "db", filter: .all, where: .always).map(\.id)
        let stop = Atomic<Bool>(false)
        let queries = Atomic<Int>(0)
        // A thread of its own (not the shared pools other tests keep busy).
        let done = DispatchSemaphore(value: 0)
        let reader = Thread {
            while !stop.load(ordering: .relaxed) {
                for id in ids.prefix(20) { _ = try? store.samples(database: "db", series: id, field: "v") }
                queries.add(1, ordering: .relaxed)
            }
            done.signal()
        }
        reader.start()
        while queries.load(ordering: .relaxed) == 0 { usleep(1_000) }
        var largest = 0
        var truncated = 0
        for round in 1...120 {
            try store.write(keys.map { Point(key: $0, fields: [Field("v", .float(Double(round)))], time: Int64(round)) }, database: "db")
            try store.flush()
            if round % 5 == 0 { truncated += store.truncateWAL() }
            largest = max(largest, Int(FileSystem.size(directory.path + "/db.sqlite-wal")))
        }
        stop.store(true, ordering: .relaxed)
        done.wait()
        #expect(queries.load(ordering: .relaxed) > 10)
        #expect(truncated > 0)
        // Five flushes of 200 samples between truncations: a few pages each, never megabytes.
        #expect(largest < 2 << 20, "WAL reached \(largest) bytes")
        let groups = store.stats()
        #expect(groups.first?.values.first { $0.name == "wal_truncations_total" }?.value ?? 0 > 0)
        try store.close()
    }
}
