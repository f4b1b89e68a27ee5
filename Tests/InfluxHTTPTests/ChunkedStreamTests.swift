import QueryEngine
import Testing
import TestSupport
import TimeSeries
@testable import InfluxHTTP

/// A streamed `chunked=true` answer (`QueryExecutor.stream`, read through open cursors a chunk at
/// a time) is byte for byte the answer computed whole and split into chunks.
@Suite struct ChunkedStreamTests {
    /// Two measurements, series with gaps in every field, several series at the same times (ties
    /// the merge breaks as InfluxDB's heap does), a string field, integers and floats.
    static func store(seed: UInt64) throws -> MemoryStore {
        var rng = SeededGenerator(seed: seed)
        let store = MemoryStore()
        var points: [Point] = []
        for host in ["h1", "h2", "h3", "h4"] {
            for inst in ["a", "b"] {
                for i in 0..<Int(rng.next() % 40 + 10) {
                    // Coarse times: many rows of different series share a time.
                    let time = Int64(i) * 10_000_000_000 + Int64(rng.next() % 3) * 10_000_000_000
                    var fields: [Field] = []
                    if rng.next() % 4 != 0 { fields.append(Field("value", .float(Double(rng.next() % 100) / 4))) }
                    if rng.next() % 3 != 0 { fields.append(Field("counter", .integer(Int64(rng.next() % 20)))) }
                    if rng.next() % 5 == 0 { fields.append(Field("s", .string(["x", "y", "z"][Int(rng.next() % 3)]))) }
                    if fields.isEmpty { continue }
                    points.append(Point(measurement: "m", tags: [Tag("host", host), Tag("inst", inst)], fields: fields, time: time))
                }
            }
            points.append(Point(measurement: "m2", tags: [Tag("host", host)], fields: [Field("value", .float(1))], time: 20_000_000_000))
        }
        // 40 series: an aggregate over them is evaluated in several blocks of groups.
        for inst in 0..<40 {
            for i in 0..<Int(rng.next() % 6) {
                points.append(Point(measurement: "m3", tags: [Tag("inst", "\(inst)")], fields: [Field("value", .float(Double(rng.next() % 50)))],
                                    time: Int64(i) * 30_000_000_000))
            }
        }
        try store.write(points, database: "db")
        return store
    }

    static let queries = [
        "SELECT * FROM m",
        "SELECT value FROM m",
        "SELECT value, host FROM m",
        "SELECT value, counter FROM m GROUP BY host",
        "SELECT * FROM m GROUP BY *",
        "SELECT value FROM /m/",
        "SELECT value FROM m WHERE counter > 5",
        "SELECT value, s FROM m WHERE host = 'h2' AND time >= 50s AND time < 300s",
        "SELECT value * 2 AS double, counter FROM m WHERE inst = 'a'",
        "SELECT s FROM m GROUP BY inst",
        "SELECT value FROM m WHERE host = 'nowhere'",
        "SELECT value FROM nothing",
        // Aggregates whose groups stand alone, evaluated a block of groups at a time.
        "SELECT mean(value) FROM m WHERE time >= 0s AND time < 10m GROUP BY time(1m)",
        "SELECT mean(value), max(counter) FROM m WHERE time >= 30s AND time < 7m GROUP BY time(1m), host",
        "SELECT count(value) FROM m GROUP BY host, inst",
        "SELECT sum(value), count(counter) FROM /m/ GROUP BY *",
        "SELECT derivative(mean(value), 1s) FROM m WHERE time >= 0s AND time <= 400s GROUP BY time(30s), *",
        "SELECT max(value), min(value) FROM m WHERE time >= 0s AND time <= 400s GROUP BY time(20s) fill(0)",
        "SELECT mean(value) FROM m WHERE time >= 0s AND time < 400s GROUP BY time(30s), host LIMIT 3 OFFSET 2",
        "SELECT first(value), last(value), spread(counter) FROM m GROUP BY inst",
        "SELECT percentile(value, 90) FROM m WHERE host = 'h1' GROUP BY inst",
        "SELECT count(value) FROM m WHERE host = 'nowhere' AND time >= 0s AND time < 1m GROUP BY time(10s)",
        "SELECT count(value), last(value) FROM m3 GROUP BY *",
        "SELECT mean(value) FROM m3 WHERE time >= 0s AND time < 3m GROUP BY time(1m), inst fill(none)",
    ]

    @Test(arguments: [1, 3, 7, 100, 10_000])
    func streamedChunksAreTheSplitAnswer(size: Int) throws {
        for seed in [1, 2, 3] as [UInt64] {
            let executor = QueryExecutor(store: try Self.store(seed: seed))
            let engine = EngineQueries(executor: executor)
            for q in Self.queries {
                let request = QueryRequest(query: q, database: "db", epoch: "ns", chunked: true, chunkSize: size)
                let options = QueryOptions(database: "db")
                #expect(executor.stream(q, options: options, chunkSize: size) != nil, "\(q) should stream")
                let streamed = try #require(engine.respondNow(request, inline: false))
                let whole = EngineQueries.encodeStreaming(executor.execute(q, options: options), request)
                #expect(Self.drain(streamed.chunks) == Self.drain(whole.chunks), "\(q), size \(size), seed \(seed)")
            }
        }
    }

    @Test func otherStatementsAreNotStreamed() throws {
        let executor = QueryExecutor(store: try Self.store(seed: 1))
        for q in [
            "SELECT mean(value) FROM m GROUP BY time(1m)", "SELECT value FROM m ORDER BY time DESC", "SELECT value FROM m LIMIT 3",
            "SELECT value FROM m SLIMIT 1", "SELECT value INTO m3 FROM m", "SELECT value FROM (SELECT value FROM m)",
            "SELECT value FROM m; SELECT value FROM m2", "SHOW DATABASES", "SELECT FROM",
            // The first bucket without a start time, SLIMIT and DESC look across groups; fields beside a selector.
            "SELECT mean(value) FROM m3 WHERE time < 3m GROUP BY time(1m), inst",
            "SELECT mean(value) FROM m3 WHERE time >= 0s AND time < 3m GROUP BY time(1m), inst SLIMIT 2",
            "SELECT mean(value) FROM m3 WHERE time >= 0s AND time < 3m GROUP BY time(1m), inst ORDER BY time DESC",
            "SELECT max(value), inst FROM m3",
        ] {
            #expect(executor.stream(q, options: QueryOptions(database: "db"), chunkSize: 2) == nil, "\(q)")
        }
    }

    static func drain(_ chunks: QueryChunks?) -> [String] {
        var out: [String] = []
        while let piece = chunks?.next() { out.append(String(decoding: piece, as: UTF8.self)) }
        return out
    }
}
