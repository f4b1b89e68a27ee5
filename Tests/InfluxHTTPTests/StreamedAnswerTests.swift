import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import QueryEngine
import Testing
import TimeSeries
@testable import InfluxHTTP

/// `chunked=true` answers leave the server chunk by chunk (gzip flushed per chunk); the bytes a
/// client reads must be those of the whole-body encoding the differential suites check.
@Suite struct StreamedAnswerTests {
    static func engine() throws -> (MemoryStore, EngineQueries) {
        let store = MemoryStore()
        var points: [Point] = []
        for host in 0..<3 {
            for t in 0..<25 {
                points.append(Point(measurement: "m", tags: [TimeSeries.Tag("host", "h\(host)")], fields: [Field("v", .float(Double(t) / 4))],
                                    time: Int64(t) * 1_000_000_000))
            }
        }
        try store.write(points, database: "db1")
        return (store, EngineQueries(executor: QueryExecutor(store: store)))
    }

    @Test(arguments: [(false, "7"), (true, "7"), (true, "10000"), (false, "1")])
    func streamedBodyEqualsWholeBody(_ gzip: Bool, _ chunkSize: String) async throws {
        let (store, engine) = try Self.engine()
        let q = #"SELECT * FROM m GROUP BY "host"; SHOW DATABASES; SELECT * FROM nothing"#
        let whole = await engine.handle(QueryRequest(query: q, database: "db1", epoch: "s", chunked: true, chunkSize: Int(chunkSize)))
        let uri = "/query?db=db1&epoch=s&chunked=true&chunk_size=\(chunkSize)&q=" + FormDecoding.escape(q)
        try await Harness(store: store, queries: engine).run { client in
            var headers = HTTPFields()
            if gzip { headers[.acceptEncoding] = "gzip" }
            let r = try await client.execute(uri: uri, method: .get, headers: headers)
            #expect(r.status.code == 200)
            #expect(r.headers[.contentEncoding] == (gzip ? "gzip" : nil))
            let body = gzip ? try r.body.gunzipped() : r.body
            #expect(Array(body.readableBytesView) == whole.body)
        }
        #expect(String(decoding: whole.body, as: UTF8.self).split(separator: "\n").count > 3)
    }

    @Test(arguments: [
        ("SHOW TAG VALUES FROM \"cpu_value\" WITH KEY = \"host\"", true), ("show tag values with key = host;", true),
        ("SHOW MEASUREMENTS LIMIT 100", true), ("SHOW FIELD KEYS FROM cpu_value", true), ("SHOW TAG KEYS", true),
        ("SHOW DATABASES", true), ("SHOW RETENTION POLICIES ON \"db\"", true),
        ("SHOW SERIES", false), ("SELECT * FROM m", false), ("SHOW DATABASES; SELECT * FROM m", false), ("SHOW STATS", false),
        ("DROP MEASUREMENT m", false), ("SHOW", false), ("", false),
    ])
    func indexOnlyStatementsRunWithoutAThreadHop(_ query: String, _ inline: Bool) {
        #expect(EngineQueries.readsIndexOnly(query) == inline)
    }
}
