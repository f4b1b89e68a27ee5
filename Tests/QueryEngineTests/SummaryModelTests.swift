import Foundation
import Testing
@testable import QueryEngine
import SQLiteStore
import TestSupport
import TimeSeries

/// Count and the selectors may take a sealed chunk's count or stored summary instead of
/// decoding it (`SummaryRequest`). Over random series (ties, -0.0, fractions, late samples that
/// overlap sealed chunks, unsealed heads) and random bucketings, ranges and fills, every answer
/// must be byte for byte the one decoding every chunk gives, and the one of a store without
/// chunks at all (`MemoryStore`).
@Suite struct SummaryModelTests {
    static let second: Int64 = 1_000_000_000

    struct Fixture {
        var store: SQLiteStore
        var memory: MemoryStore
        var directory: TemporaryDirectory
    }

    static func fixture(seed: UInt64) throws -> Fixture {
        var rng = SeededGenerator(seed: seed)
        let directory = TemporaryDirectory()
        let options = SQLiteStore.Options(chunkSize: Int.random(in: 8...64, using: &rng), chunkBytes: 1 << 20,
                                          chunkWindow: [60, 300, 7 * 60][Int.random(in: 0...2, using: &rng)] * second,
                                          clockMinimumSamples: 4, summaryMinimumSamples: 2)
        let store = try SQLiteStore(dataDirectory: directory.path, options: options)
        let memory = MemoryStore()
        var next = [Int64](repeating: 0, count: 12)
        var level = [Double](repeating: 0, count: 12)
        for round in 0..<8 {
            var points: [Point] = []
            for s in 0..<12 {
                let key = SeriesKey(measurement: s < 9 ? "m" : "k", tags: [Tag("host", "h\(s % 4)"), Tag("inst", "i\(s)")])
                for _ in 0..<Int.random(in: 5...60, using: &rng) {
                    next[s] += Int64.random(in: 1...10, using: &rng) * second
                    let value: Double
                    switch Int.random(in: 0...5, using: &rng) {
                    case 0: value = [0.0, -0.0][Int.random(in: 0...1, using: &rng)]
                    case 1: value = level[s]  // a tie with the last value
                    case 2: value = Double(Int.random(in: -50...50, using: &rng)) / 4
                    case 3: value = Double.random(in: -1e9...1e9, using: &rng)
                    default: value = Double(Int.random(in: 0...20, using: &rng))
                    }
                    level[s] = value
                    points.append(Point(key: key, fields: [Field("v", .float(value))], time: next[s]))
                }
                // Now and then a late sample inside what is already sealed, or a repeat.
                if round > 2 && Bool.random(using: &rng) {
                    let t = Int64.random(in: 1...max(1, next[s] / second - 1), using: &rng) * second + 1
                    points.append(Point(key: key, fields: [Field("v", .float(Double(Int.random(in: -9...9, using: &rng))))], time: t))
                }
            }
            try store.write(points, database: "db")
            try memory.write(points, database: "db")
            try store.flush()
            if round == 5 { try store.compact() }
        }
        return Fixture(store: store, memory: memory, directory: directory)
    }

    static func json(_ r: QueryResponse) -> String {
        String(decoding: ResultWriter.json(r, epoch: .ns, pretty: false), as: UTF8.self)
    }

    static func queries(_ rng: inout SeededGenerator, count: Int) -> [String] {
        var out: [String] = []
        let intervals = ["1s", "10s", "1m", "90s", "5m", "7m", "30m", "1h"]
        let fills = ["", " fill(none)", " fill(0)", " fill(previous)", " fill(null)"]
        for _ in 0..<count {
            let call = ["count", "min", "max", "first", "last"][Int.random(in: 0...4, using: &rng)]
            let interval = intervals[Int.random(in: 0..<intervals.count, using: &rng)]
            let offset = Bool.random(using: &rng) ? "" : ", \(Int.random(in: 1...59, using: &rng))s"
            let lo = Int64.random(in: 0...1_800, using: &rng), hi = lo + Int64.random(in: 1...3_600, using: &rng)
            var range = ["time >= \(lo)s AND time < \(hi)s", "time > \(lo)s", "time < \(hi)s", "time >= 0"][Int.random(in: 0...3, using: &rng)]
            if Int.random(in: 0...4, using: &rng) == 0 { range = "host = 'h1' AND " + range }
            let by = ["", ", host", ", *"][Int.random(in: 0...2, using: &rng)]
            let from = ["m", "k", "/.*/"][Int.random(in: 0...2, using: &rng)]
            out.append("SELECT \(call)(v) FROM \(from) WHERE \(range) GROUP BY time(\(interval)\(offset))\(by)\(fills[Int.random(in: 0..<fills.count, using: &rng)])")
            if Int.random(in: 0...3, using: &rng) == 0 {
                out.append("SELECT count(v) FROM \(from) WHERE \(range)\(by.isEmpty ? "" : " GROUP BY host")")
            }
        }
        return out
    }

    @Test("summaries answer as decoding every chunk does", arguments: [1, 2, 3] as [UInt64])
    func summariesEqualDecoding(seed: UInt64) throws {
        let f = try Self.fixture(seed: seed)
        defer {
            try? f.store.close()
            f.directory.cleanup()
        }
        let executor = QueryExecutor(store: f.store)
        let reference = QueryExecutor(store: f.memory)
        var rng = SeededGenerator(seed: seed &+ 100)
        var used: [String: Double] = [:]
        for q in Self.queries(&rng, count: 150) {
            var with = QueryOptions(database: "db", now: 4 * 3_600 * Self.second)
            var without = with
            without.summaries = false
            with.parallelism = Int.random(in: 1...3, using: &rng)
            let before = Self.summarized(executor)
            let summarized = Self.json(executor.execute(q, options: with))
            used[String(q.prefix(9)), default: 0] += Self.summarized(executor) - before
            let decoded = Self.json(executor.execute(q, options: without))
            #expect(!summarized.contains("\"error\""), "\(q): \(summarized)")
            #expect(summarized == decoded, "\(q)")
            #expect(summarized == Self.json(reference.execute(q, options: without)), "\(q)")
        }
        // Every aggregate took the summary path somewhere, or this test proves nothing.
        for call in ["SELECT co", "SELECT mi", "SELECT ma", "SELECT fi", "SELECT la"] {
            #expect((used[call] ?? 0) > 0, "\(call): \(used)")
        }
    }

    static func summarized(_ executor: QueryExecutor) -> Double {
        executor.stats().flatMap(\.values).first { $0.0 == "chunks_summarized_total" }?.1 ?? 0
    }

    /// A read-only process reads the summaries the server wrote and answers alike.
    @Test func readOnlyReaderUsesSummaries() throws {
        let f = try Self.fixture(seed: 9)
        defer { f.directory.cleanup() }
        try f.store.close()
        let reader = try SQLiteStore(dataDirectory: f.directory.path, readOnly: true)
        defer { try? reader.close() }
        let executor = QueryExecutor(store: reader)
        let reference = QueryExecutor(store: f.memory)
        let q = "SELECT max(v) FROM m WHERE time >= 0 AND time < 2h GROUP BY time(30m), host fill(none)"
        let options = QueryOptions(database: "db", now: 4 * 3_600 * Self.second)
        #expect(Self.json(executor.execute(q, options: options)) == Self.json(reference.execute(q, options: options)))
        #expect(Self.summarized(executor) > 0)
    }
}
