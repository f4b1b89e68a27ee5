import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InfluxQL
import Testing
@testable import InfluxHTTP

@Suite struct QueryEndpointTests {
    static func form() -> HTTPFields {
        var h = HTTPFields()
        h[.contentType] = "application/x-www-form-urlencoded"
        return h
    }

    @Test func getPassesEveryParameter() async throws {
        let queries = RecordingQueries()
        try await Harness(queries: queries).run { client async throws in
            let r = try await client.execute(
                uri: "/query?db=collectd&rp=autogen&epoch=ms&pretty=true&chunked=true&chunk_size=100&q=SELECT+mean(%22value%22)+FROM+%22cpu_value%22",
                method: .get)
            #expect(r.status.code == 200)
            #expect(r.text == #"{"results":[{"statement_id":0}]}"# + "\n")
            #expect(r.headers[.contentType] == "application/json")
        }
        let q = try #require(queries.last)
        var expected = QueryRequest(query: #"SELECT mean("value") FROM "cpu_value""#, database: "collectd", retentionPolicy: "autogen",
                                    epoch: "ms", format: .json, pretty: true, chunked: true, chunkSize: 100, readOnly: true)
        // The server asks for the JSON straight in its response buffer (no Accept-Encoding: not gzipped).
        expected.bodyTarget = .buffer(gzip: false)
        #expect(q == expected)
    }

    @Test func semicolonsStayInsideQ() async throws {
        let queries = RecordingQueries()
        try await Harness(queries: queries).run { client async throws in
            _ = try await client.execute(uri: "/query?q=SHOW+DATABASES;SHOW+MEASUREMENTS&db=x", method: .get)
        }
        #expect(queries.last?.query == "SHOW DATABASES;SHOW MEASUREMENTS")
        #expect(queries.last?.database == "x")
    }

    @Test func postFormBodyCarriesQ() async throws {
        let queries = RecordingQueries()
        try await Harness(queries: queries).run { client async throws in
            let r = try await client.execute(uri: "/query?db=collectd&epoch=ms", method: .post, headers: Self.form(),
                                             body: ByteBuffer(string: "q=SHOW+TAG+VALUES+WITH+KEY+%3D+%22host%22&rp=autogen"))
            #expect(r.status.code == 200)
        }
        #expect(queries.last?.query == #"SHOW TAG VALUES WITH KEY = "host""#)
        #expect(queries.last?.retentionPolicy == "autogen")
        #expect(queries.last?.epoch == "ms")
    }

    @Test func formBodyOverridesURLValue() async throws {
        let queries = RecordingQueries()
        try await Harness(queries: queries).run { client async throws in
            _ = try await client.execute(uri: "/query?q=from_url&db=a", method: .post, headers: Self.form(), body: ByteBuffer(string: "q=from_body"))
        }
        #expect(queries.last?.query == "from_body")
        #expect(queries.last?.database == "a")
    }

    @Test func rawInfluxQLBody() async throws {
        let queries = RecordingQueries()
        try await Harness(queries: queries).run { client async throws in
            var h = HTTPFields()
            h[.contentType] = "application/vnd.influxql"
            _ = try await client.execute(uri: "/query?db=a", method: .post, headers: h, body: ByteBuffer(string: "SHOW DATABASES"))
        }
        #expect(queries.last?.query == "SHOW DATABASES")
    }

    @Test func missingQIs400AsInfluxDB() async throws {
        try await Harness().run { client async throws in
            let r = try await client.execute(uri: "/query", method: .get)
            #expect(r.status.code == 400)
            #expect(r.text == #"{"error":"missing required parameter \"q\""}"# + "\n")
            var h = HTTPFields()
            h[.accept] = "application/csv"
            let csv = try await client.execute(uri: "/query?q=", method: .get, headers: h)
            #expect(csv.status.code == 400)
            #expect(csv.headers[.contentType] == "text/csv")
            #expect(csv.text == "error\n\"missing required parameter \"\"q\"\"\"\n")
        }
    }

    /// InfluxDB 1.6.7 compares `Accept` whole (recorded with curl from influxd): a list or a
    /// parameter is JSON.
    @Test(arguments: [("application/csv", QueryRequest.Format.csv), ("text/csv", .csv), ("application/x-msgpack", .msgpack),
                      ("application/json, application/csv;q=0.9", .json), ("text/csv; charset=utf-8", .json), ("*/*", .json)])
    func acceptSelectsTheFormat(_ accept: String, _ format: QueryRequest.Format) async throws {
        let queries = RecordingQueries()
        try await Harness(queries: queries).run { client async throws in
            var h = HTTPFields()
            h[.accept] = accept
            let r = try await client.execute(uri: "/query?q=SHOW+DATABASES", method: .get, headers: h)
            #expect(r.headers[.contentType] == InfluxResponder.contentType(format))
        }
        #expect(queries.last?.format == format)
    }

    @Test func gzipResponses() async throws {
        try await Harness().run { client async throws in
            var h = HTTPFields()
            h[.acceptEncoding] = "gzip, deflate"
            let r = try await client.execute(uri: "/query?q=SHOW+DATABASES", method: .get, headers: h)
            #expect(r.headers[.contentEncoding] == "gzip")
            #expect(String(buffer: try r.body.gunzipped()) == #"{"results":[{"statement_id":0}]}"# + "\n")
            let plain = try await client.execute(uri: "/query?q=SHOW+DATABASES", method: .get)
            #expect(plain.headers[.contentEncoding] == nil)
        }
    }

    /// An answer past `offloadBytes` is compressed on the thread pool, with the same bytes.
    @Test func largeGzipResponse() async throws {
        var rng = SystemRandomNumberGenerator()
        let numbers = (0..<20_000).map { _ in String(Double.random(in: 0..<1, using: &rng)) }
        let body = Array(("[" + numbers.joined(separator: ",") + "]\n").utf8)
        #expect(body.count >= InfluxResponder.offloadBytes)
        try await Harness(queries: RecordingQueries(reply: QueryReply(status: 200, body: body))).run { client async throws in
            var h = HTTPFields()
            h[.acceptEncoding] = "gzip"
            let r = try await client.execute(uri: "/query?q=SELECT+1", method: .get, headers: h)
            #expect(r.headers[.contentEncoding] == "gzip")
            #expect(Array(try r.body.gunzipped().readableBytesView) == body)
        }
    }

    @Test(arguments: [("gzip", true), ("deflate, gzip;q=1.0", true), ("GZIP", true), ("gzip;q=0", false), ("identity", false), ("gzipx", false)])
    func acceptEncodingNegotiation(_ header: String, _ gzip: Bool) {
        #expect(InfluxResponder.acceptsGzip(header) == gzip)
    }

    @Test func engineStatusAndBodyArePassedThrough() async throws {
        let body = Array(#"{"error":"error parsing query: found SELEC, expected SELECT, DELETE, SHOW, CREATE, DROP, EXPLAIN, GRANT, REVOKE, ALTER, SET, KILL at line 1, char 1"}"#.utf8)
        var reply = QueryReply(status: 400, body: body)
        reply.error = "error parsing query: found SELEC, expected SELECT, DELETE, SHOW, CREATE, DROP, EXPLAIN, GRANT, REVOKE, ALTER, SET, KILL at line 1, char 1"
        let queries = RecordingQueries(reply: reply)
        let message = reply.error
        try await Harness(queries: queries).run { client async throws in
            let r = try await client.execute(uri: "/query?q=SELEC", method: .get)
            #expect(r.status.code == 400)
            #expect(Array(r.body.readableBytesView) == body)
            // InfluxDB repeats a refused request's error in a header.
            #expect(r.headers[HTTPField.Name("X-Influxdb-Error")!] == message)
        }
    }

    /// `params` as InfluxDB 1.6.7 reads it (answers recorded in Fixtures/writes-cases.txt).
    @Test func boundParametersAreDecodedAsInfluxDB() {
        let decoded = try? BoundParameters.decode(#"{"a":2,"b":2.5,"c":"x","d":true,"e":{"identifier":"cpu"},"f":null,"g":{}}"#).get()
        #expect(decoded?["a"] == .integer(2) && decoded?["b"] == .number(2.5) && decoded?["c"] == .string("x"))
        #expect(decoded?["d"] == .boolean(true) && decoded?["e"] == .identifier("cpu"))
        #expect(decoded?["f"] == .invalid("unable to bind parameter with type <nil>"))
        #expect(decoded?["g"] == .invalid("bound object parameter value must have exactly one entry"))
        #expect(BoundParameters.decode("[1]") == .failure(.init(message:
            "error parsing query parameters: json: cannot unmarshal array into Go value of type map[string]interface {}")))
        #expect(BoundParameters.decode(#"{"v":1e0}"#) == .failure(.init(message:
            #"error parsing json value: strconv.ParseInt: parsing "1e0": invalid syntax"#)))
    }

    @Test(arguments: [HTTPRequest.Method.put, .delete, .patch])
    func otherMethodsAre405(_ method: HTTPRequest.Method) async throws {
        try await Harness().run { client async throws in
            #expect(try await client.execute(uri: "/query?q=SHOW+DATABASES", method: method).status.code == 405)
        }
    }

    @Test(arguments: [("a=1&b=2", [("a", "1"), ("b", "2")]), ("q=a+b%3Bc", [("q", "a b;c")]), ("flag&x=", [("flag", ""), ("x", "")]),
                      ("bad=%zz%4", [("bad", "%zz%4")]), ("u=%C3%A9", [("u", "é")])])
    func formDecoding(_ text: String, _ expected: [(String, String)]) {
        let got = FormDecoding.decode(Array(text.utf8))
        #expect(got.map(\.0) == expected.map(\.0))
        #expect(got.map(\.1) == expected.map(\.1))
    }
}
