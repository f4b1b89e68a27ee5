import QueryEngine
import Testing
import TimeSeries
@testable import InfluxHTTP

@Suite struct EngineQueriesTests {
    static func engine() throws -> EngineQueries {
        let store = MemoryStore()
        try store.write([
            Point(measurement: "m", fields: [Field("v", .float(2))], time: 1),
            Point(measurement: "m", fields: [Field("v", .float(2))], time: 2),
            Point(measurement: "m", fields: [Field("v", .float(1))], time: 1_000_000_000),
        ], database: "db1")
        return EngineQueries(executor: QueryExecutor(store: store))
    }

    func text(_ reply: QueryReply) -> String { String(decoding: reply.body, as: UTF8.self) }

    @Test func chunkedAnswersAreOneJSONObjectPerChunkAsInfluxDB() async throws {
        let reply = try await Self.engine().handle(QueryRequest(query: "SELECT * FROM m", database: "db1", epoch: "ns", chunked: true, chunkSize: 1))
        #expect(reply.status == 200)
        // Shape recorded from InfluxDB 1.6.7 with chunked=true&chunk_size=1.
        #expect(text(reply) == """
            {"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","v"],"values":[[1,2]],"partial":true}],"partial":true}]}
            {"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","v"],"values":[[2,2]],"partial":true}],"partial":true}]}
            {"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","v"],"values":[[1000000000,1]]}]}]}

            """)
    }

    @Test func chunkedWithDefaultSizeIsOneObject() async throws {
        let reply = try await Self.engine().handle(QueryRequest(query: "SELECT * FROM m; SHOW DATABASES", database: "db1", epoch: "s", chunked: true))
        let lines = text(reply).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first == #"{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","v"],"values":[[0,2],[0,2],[1,1]]}]}]}"#)
    }

    @Test(arguments: [("ms", "[[0,2],[0,2],[1000,1]]"), ("u", "[[0,2],[0,2],[1000000,1]]"), ("xx", "[[1,2],[2,2],[1000000000,1]]"),
                      ("h", "[[0,2],[0,2],[0,1]]")])
    func epochs(_ epoch: String, _ values: String) async throws {
        let reply = try await Self.engine().handle(QueryRequest(query: "SELECT * FROM m", database: "db1", epoch: epoch))
        #expect(text(reply) == #"{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","v"],"values":"# + values + "}]}]}\n")
    }

    @Test func noEpochGivesRFC3339() async throws {
        let reply = try await Self.engine().handle(QueryRequest(query: "SELECT * FROM m LIMIT 1", database: "db1"))
        #expect(text(reply).contains(#"["1970-01-01T00:00:00.000000001Z",2]"#))
    }

    @Test func csvAndCSVParseErrors() async throws {
        let e = try Self.engine()
        let csv = await e.handle(QueryRequest(query: "SELECT * FROM m", database: "db1", format: .csv))
        // Recorded from InfluxDB 1.6.7 (Accept: application/csv).
        #expect(text(csv) == "name,tags,time,v\nm,,1,2\nm,,2,2\nm,,1000000000,1\n")
        let bad = await e.handle(QueryRequest(query: "SELEC", format: .csv))
        #expect(bad.status == 400)
        #expect(text(bad) == "error\n\"error parsing query: found SELEC, expected SELECT, DELETE, SHOW, CREATE, DROP, EXPLAIN, GRANT, REVOKE, ALTER, SET, KILL at line 1, char 1\"\n")
    }

    @Test func prettyJSON() async throws {
        let reply = try await Self.engine().handle(QueryRequest(query: "SHOW DATABASES", pretty: true))
        #expect(text(reply).hasPrefix("{\n    \"results\": [\n"))
    }

    @Test func unknownDatabaseIsAStatementErrorWith200() async throws {
        let reply = try await Self.engine().handle(QueryRequest(query: "SELECT * FROM m", database: "nodb"))
        #expect(reply.status == 200)
        #expect(text(reply) == #"{"results":[{"statement_id":0,"error":"database not found: nodb"}]}"# + "\n")
    }
}

@Suite struct ResultTableTests {
    @Test func columnsAlignLikeTheInfluxCLI() throws {
        let json = #"{"results":[{"statement_id":0,"series":[{"name":"cpu","tags":{"host":"a"},"columns":["time","dc","value"],"values":[[1700000000000000000,"x",1.5],[1700000010000000000,"x",3]]},{"name":"cpu","tags":{"host":"b"},"columns":["time","dc","value"],"values":[[1700000000000000000,"x",22]]}]}]}"#
        // Matches `influx -execute 'SELECT * FROM cpu GROUP BY host'` from influxdb-client 1.6.7.
        #expect(try ResultTable.render(json: Array(json.utf8)) == """
            name: cpu
            tags: host=a
            time                dc value
            ----                -- -----
            1700000000000000000 x  1.5
            1700000010000000000 x  3

            name: cpu
            tags: host=b
            time                dc value
            ----                -- -----
            1700000000000000000 x  22

            """)
    }

    @Test func errorsAndNullsAndEmptyResults() throws {
        #expect(try ResultTable.render(json: Array(#"{"error":"boom"}"#.utf8)) == "ERR: boom\n")
        let json = #"{"results":[{"statement_id":0,"error":"database not found: x"},{"statement_id":1},{"statement_id":2,"series":[{"name":"m","columns":["time","v"],"values":[["2023-11-14T22:13:20Z",null]]}]}]}"#
        #expect(try ResultTable.render(json: Array(json.utf8)) == "ERR: database not found: x\n\nname: m\ntime                 v\n----                 -\n2023-11-14T22:13:20Z\n")
    }

    @Test(arguments: [#"{"a":[1,2.5e3,-0.1,true,false,null,"x\"\\\n\u00e9\ud83d\ude00"]}"#, "[]", "{}", #"  "s"  "#])
    func jsonParses(_ text: String) throws {
        _ = try JSONValue.parse(Array(text.utf8))
    }

    @Test func jsonKeepsNumbersAsWritten() throws {
        let v = try JSONValue.parse(Array(#"{"t":1700000000000000001,"f":0.1,"s":"\u00e9\ud83d\ude00"}"#.utf8))
        #expect(v["t"] == .number("1700000000000000001"))
        #expect(v["f"] == .number("0.1"))
        #expect(v["s"] == .string("é😀"))
    }

    @Test(arguments: ["", "{", #"{"a"}"#, "[1,]", "nul", #""abc"#, "{} x"])
    func badJSONIsAnError(_ text: String) {
        #expect(throws: InfluxHTTPError.self) { try JSONValue.parse(Array(text.utf8)) }
    }
}
