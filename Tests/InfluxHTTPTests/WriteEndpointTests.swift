import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TimeSeries
@testable import InfluxHTTP

@Suite struct WriteEndpointTests {
    func values(_ store: MemoryStore, _ db: String, _ measurement: String, field: String = "v") throws -> [Sample] {
        let series = try store.series(database: db, filter: .names([measurement]), where: .always)
        return try series.flatMap { try store.samples(database: db, series: $0.id, field: field) }.sorted { $0.time < $1.time }
    }

    @Test func writeStoresPointsAndCreatesTheDatabase() async throws {
        let h = Harness()
        try await h.run { client async throws in
            let r = try await client.execute(uri: "/write?db=telegraf", method: .post,
                                             body: ByteBuffer(string: "cpu,host=a v=1.5 10\ncpu,host=b v=2 20\n"))
            #expect(r.status.code == 204)
            #expect(r.body.readableBytes == 0)
        }
        #expect(try h.store.databases() == ["telegraf"])
        let series = try h.store.series(database: "telegraf", filter: .all, where: .always)
        #expect(series.map(\.key.description) == ["cpu,host=a", "cpu,host=b"])
    }

    @Test func missingDatabaseIs400() async throws {
        try await Harness().run { client async throws in
            let r = try await client.execute(uri: "/write", method: .post, body: ByteBuffer(string: "m v=1"))
            #expect(r.status.code == 400)
            #expect(r.text == #"{"error":"database is required"}"# + "\n")
        }
    }

    @Test func getIsNotAllowed() async throws {
        try await Harness().run { client async throws in
            #expect(try await client.execute(uri: "/write?db=x", method: .get).status.code == 405)
        }
    }

    @Test(arguments: [("s", Int64(5_000_000_000)), ("ms", 5_000_000), ("u", 5_000), ("n", 5), ("h", 18_000_000_000_000), ("bogus", 5)])
    func precisionParameter(_ precision: String, _ expected: Int64) async throws {
        let h = Harness()
        try await h.run { client async throws in
            let r = try await client.execute(uri: "/write?db=d&precision=\(precision)", method: .post, body: ByteBuffer(string: "m v=1 5"))
            #expect(r.status.code == 204)
        }
        #expect(try values(h.store, "d", "m").map(\.time) == [expected])
    }

    @Test func pointsWithoutTimestampGetServerTime() async throws {
        let h = Harness(now: 1_700_000_000_123_456_789)
        try await h.run { client async throws in
            _ = try await client.execute(uri: "/write?db=d", method: .post, body: ByteBuffer(string: "m v=1"))
            _ = try await client.execute(uri: "/write?db=d&precision=s", method: .post, body: ByteBuffer(string: "n v=1"))
        }
        #expect(try values(h.store, "d", "m").map(\.time) == [1_700_000_000_123_456_789])
        #expect(try values(h.store, "d", "n").map(\.time) == [1_700_000_000_000_000_000])
    }

    @Test func partialWriteKeepsGoodLinesAndNamesBadOnes() async throws {
        let h = Harness()
        try await h.run { client async throws in
            let r = try await client.execute(uri: "/write?db=d", method: .post,
                                             body: ByteBuffer(string: "m v=1 1\nbad line\nm v=3 3\nother x"))
            #expect(r.status.code == 400)
            // InfluxDB 1.6.7's answer: the lines that failed to parse, and dropped=0.
            #expect(r.text == #"{"error":"partial write: unable to parse 'bad line': invalid field format\nunable to parse 'other x': invalid field format dropped=0"}"# + "\n")
        }
        #expect(try values(h.store, "d", "m").map(\.time) == [1, 3])
    }

    @Test func onlyBadLinesIs400WithoutPartialPrefix() async throws {
        try await Harness().run { client async throws in
            let r = try await client.execute(uri: "/write?db=d", method: .post, body: ByteBuffer(string: "m,t v=1 1"))
            #expect(r.status.code == 400)
            #expect(r.text == #"{"error":"unable to parse 'm,t v=1 1': missing tag value"}"# + "\n")
            #expect(r.headers[HTTPField.Name("X-Influxdb-Error")!] == "unable to parse 'm,t v=1 1': missing tag value")
        }
    }

    @Test func fieldTypeConflictIsInfluxDBsPartialWrite() async throws {
        let h = Harness()
        try await h.run { client async throws in
            _ = try await client.execute(uri: "/write?db=d", method: .post, body: ByteBuffer(string: "m v=1 1"))
            let r = try await client.execute(uri: "/write?db=d&precision=s", method: .post, body: ByteBuffer(string: "m v=1 1\nm v=2i 2"))
            #expect(r.status.code == 400)
            // Recorded from InfluxDB 1.6.7 for the same two writes.
            #expect(r.text == #"{"error":"partial write: field type conflict: input field \"v\" on measurement \"m\" is type integer, already exists as type float dropped=1"}"# + "\n")
        }
    }

    @Test func gzipBodies() async throws {
        let h = Harness()
        try await h.run { client async throws in
            var headers = HTTPFields()
            headers[.contentEncoding] = "gzip"
            let body = try ByteBuffer(string: "m v=5 5\n").gzipped()
            let r = try await client.execute(uri: "/write?db=d", method: .post, headers: headers, body: body)
            #expect(r.status.code == 204)
            let bad = try await client.execute(uri: "/write?db=d", method: .post, headers: headers, body: ByteBuffer(string: "notgzip at all"))
            #expect(bad.status.code == 400)
            #expect(bad.text == #"{"error":"gzip: invalid header"}"# + "\n")
        }
        #expect(try values(h.store, "d", "m").map(\.value) == [.float(5)])
    }

    /// A compressed body past `offloadBytes` is inflated on the thread pool, with the same result.
    @Test func largeGzipBody() async throws {
        let h = Harness()
        var rng = SystemRandomNumberGenerator()
        let lines = (1...20_000).map { "m,host=h\($0 % 97) v=\(Double.random(in: 0..<1, using: &rng)) \($0)" }
        let body = try ByteBuffer(string: lines.joined(separator: "\n")).gzipped()
        #expect(body.readableBytes >= InfluxResponder.offloadBytes)
        try await h.run { client async throws in
            var headers = HTTPFields()
            headers[.contentEncoding] = "gzip"
            let r = try await client.execute(uri: "/write?db=d", method: .post, headers: headers, body: body)
            #expect(r.status.code == 204)
        }
        #expect(try values(h.store, "d", "m").count == 20_000)
    }

    @Test func bodyLimitIs413AsInfluxDB() async throws {
        let h = Harness(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, maxBodySize: 60))
        try await h.run { client async throws in
            let big = (1...10).map { "m v=1 \($0)" }.joined(separator: "\n")
            let r = try await client.execute(uri: "/write?db=d", method: .post, body: ByteBuffer(string: big))
            #expect(r.status.code == 413)
            #expect(r.text == #"{"error":"Request Entity Too Large"}"# + "\n")
            // A small gzip body that inflates past the limit is refused too.
            var headers = HTTPFields()
            headers[.contentEncoding] = "gzip"
            let bomb = try ByteBuffer(string: String(repeating: "m v=1 1\n", count: 1000)).gzipped()
            #expect(bomb.readableBytes < 60)
            let r2 = try await client.execute(uri: "/write?db=d", method: .post, headers: headers, body: bomb)
            #expect(r2.status.code == 413)
        }
    }

    @Test func retentionPolicy() async throws {
        try await Harness().run { client async throws in
            #expect(try await client.execute(uri: "/write?db=d&rp=autogen", method: .post, body: ByteBuffer(string: "m v=1")).status.code == 204)
            let r = try await client.execute(uri: "/write?db=d&rp=nope", method: .post, body: ByteBuffer(string: "m v=1"))
            #expect(r.status.code == 500)
            #expect(r.text == #"{"error":"retention policy not found: nope"}"# + "\n")
        }
    }

    @Test func emptyBodyIs204() async throws {
        try await Harness().run { client async throws in
            #expect(try await client.execute(uri: "/write?db=d", method: .post, body: ByteBuffer()).status.code == 204)
        }
    }

    /// A new measurement whose fields clash within one shard group fails that group's write
    /// whole; InfluxDB 1.6.7 answers "field type conflict" and still writes the other groups.
    @Test func clashingNewFieldsFailTheirShardGroup() async throws {
        let h = Harness()
        try await h.run { client async throws in
            let r = try await client.execute(uri: "/write?db=d&precision=s", method: .post,
                                             body: ByteBuffer(string: "m value=\"str\",value=.5 1\nn v=1 2\nn v=3 9000000\nm v=2 9000001"))
            #expect(r.status.code == 400)
            #expect(r.text == #"{"error":"field type conflict"}"# + "\n")
        }
        #expect(try values(h.store, "d", "n", field: "v").map(\.time) == [9_000_000_000_000_000])
        #expect(try values(h.store, "d", "m", field: "v").map(\.time) == [9_000_001_000_000_000])
    }

    @Test func allFieldTypesRoundTrip() async throws {
        let h = Harness()
        try await h.run { client async throws in
            let r = try await client.execute(uri: "/write?db=d", method: .post,
                                             body: ByteBuffer(string: #"m f=1.5,i=-2i,b=true,s="x \"y\"" 9"#))
            #expect(r.status.code == 204)
            // InfluxDB 1.6 refuses unsigned values (`3u`) unless built to accept them.
            let u = try await client.execute(uri: "/write?db=d", method: .post, body: ByteBuffer(string: "m u=3u 9"))
            #expect(u.status.code == 400)
            #expect(u.text == #"{"error":"unable to parse 'm u=3u 9': invalid number"}"# + "\n")
        }
        #expect(try values(h.store, "d", "m", field: "f").map(\.value) == [.float(1.5)])
        #expect(try values(h.store, "d", "m", field: "i").map(\.value) == [.integer(-2)])
        #expect(try values(h.store, "d", "m", field: "b").map(\.value) == [.boolean(true)])
        #expect(try values(h.store, "d", "m", field: "s").map(\.value) == [.string(#"x "y""#)])
    }
}
