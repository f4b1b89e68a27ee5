import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LineProtocol
import QueryEngine
import Testing
import TimeSeries
@testable import InfluxHTTP

/// Replays the requests Grafana's InfluxDB datasource (InfluxQL mode) sends — see
/// shared notes "grafana-influxql" — against the real query engine, and checks the fields
/// Grafana reads.
@Suite struct GrafanaWireTests {
    static let t0: Int64 = 1_699_999_980_000_000_000  // a whole minute, so GROUP BY time(1m) starts at t0

    /// collectd-shaped data written through /write: two hosts, cpu and interface counters.
    static func harness() async throws -> Harness {
        let store = MemoryStore()
        var users = UserFile()
        try users.add(name: "grafana", hash: try PasswordHash(password: "pw", rounds: 1000))
        let path = "/tmp/collectlite-grafana-\(UInt64.random(in: 0...UInt64.max)).users"
        try users.save(path: path)
        let h = Harness(store: store, configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, authFile: path),
                        queries: EngineQueries(executor: QueryExecutor(store: store)))
        var lines: [String] = []
        for i in 0..<60 {
            let t = t0 + Int64(i) * 10_000_000_000
            for host in ["srv.lan", "b"] {
                lines.append("cpu_value,host=\(host),instance=0,type=cpu,type_instance=user value=\(Double(i % 7)) \(t)")
                lines.append("cpu_value,host=\(host),instance=0,type=cpu,type_instance=system value=\(Double(i % 3)) \(t)")
                lines.append("interface_rx,host=\(host),instance=eth0,type=if_octets value=\(Double(i * 1000)) \(t)")
            }
        }
        let body = lines.joined(separator: "\n")
        try await h.run { client async throws in
            let r = try await client.execute(uri: "/write?db=collectd&u=grafana&p=pw", method: .post,
                                             body: ByteBuffer(string: body))
            #expect(r.status.code == 204)
        }
        return h
    }

    static func grafanaHeaders(form: Bool = false) -> HTTPFields {
        var h = HTTPFields()
        h[.authorization] = basic("grafana", "pw")
        h[.acceptEncoding] = "gzip"
        h[.userAgent] = "Grafana/11.3.0"
        if form { h[.contentType] = "application/x-www-form-urlencoded" }
        return h
    }

    /// GET (or POST form) as Grafana's backend sends it; returns the decoded JSON.
    static func ask(_ client: any TestClientProtocol, _ q: String, post: Bool = false, rp: String? = nil) async throws -> (Int, JSONValue) {
        var params = "db=collectd&epoch=ms"
        if let rp { params += "&rp=\(rp)" }
        let encoded = FormDecoding.escape(q)
        let r: TestResponse
        if post {
            r = try await client.execute(uri: "/query?\(params)", method: .post, headers: grafanaHeaders(form: true),
                                         body: ByteBuffer(string: "q=\(encoded)"))
        } else {
            r = try await client.execute(uri: "/query?\(params)&q=\(encoded)", method: .get, headers: grafanaHeaders())
        }
        #expect(r.headers[.contentEncoding] == "gzip")
        let body = try r.body.gunzipped()
        return (Int(r.status.code), try JSONValue.parse(Array(body.readableBytesView)))
    }

    @Test(arguments: ["SHOW measurements", "SHOW MEASUREMENTS LIMIT 1"])
    func healthCheck(_ q: String) async throws {
        let h = try await Self.harness()
        try await h.run { client async throws in
            let (status, json) = try await Self.ask(client, q)
            #expect(status == 200)
            let series = json["results"]?.arrayValue.first?["series"]?.arrayValue.first
            #expect(series?["name"] == .string("measurements"))
            #expect(series?["columns"] == .array([.string("name")]))
            #expect(series?["values"]?.arrayValue.first == .array([.string("cpu_value")]))
        }
    }

    @Test func retentionPoliciesListAutogenFirst() async throws {
        let h = try await Self.harness()
        try await h.run { client async throws in
            let (status, json) = try await Self.ask(client, #"SHOW RETENTION POLICIES on "collectd""#)
            #expect(status == 200)
            let series = json["results"]?.arrayValue.first?["series"]?.arrayValue.first
            #expect(series?["columns"]?.arrayValue.map(\.cellText) == ["name", "duration", "shardGroupDuration", "replicaN", "default"])
            #expect(series?["values"]?.arrayValue.first?.arrayValue.first == .string("autogen"))
        }
    }

    @Test(arguments: [
        #"SHOW TAG VALUES WITH KEY = "host""#, "SHOW TAG VALUES WITH KEY=host", "SHOW TAG VALUES FROM cpu_value WITH KEY=host ;",
        #"show tag values from "cpu_value" with key = "host" where "host" =~ /^(srv\.lan|b)$/"#,
    ])
    func templateVariableQueries(_ q: String) async throws {
        let h = try await Self.harness()
        try await h.run { client async throws in
            for post in [false, true] {
                let (status, json) = try await Self.ask(client, q, post: post)
                #expect(status == 200)
                let series = json["results"]?.arrayValue.first?["series"]?.arrayValue ?? []
                #expect(!series.isEmpty)
                #expect(series.first?["columns"]?.arrayValue.map(\.cellText) == ["key", "value"])
                let hosts = Set(series.flatMap { $0["values"]?.arrayValue.map { $0.arrayValue.last?.cellText ?? "" } ?? [] })
                #expect(hosts == ["b", "srv.lan"])
            }
        }
    }

    @Test func builderQueryWithPolicyAndMultiValueVariable() async throws {
        let h = try await Self.harness()
        let from = Self.t0 / 1_000_000
        let to = from + 600_000
        let q = #"SELECT mean("value") FROM "autogen"."cpu_value" WHERE ("host" =~ /^(srv\.lan|b)$/ AND "type_instance" = 'user') AND time >= \#(from)ms and time <= \#(to)ms GROUP BY time(1m), "host" fill(null)"#
        try await h.run { client async throws in
            for post in [false, true] {
                let (status, json) = try await Self.ask(client, q, post: post, rp: "autogen")
                #expect(status == 200)
                let series = json["results"]?.arrayValue.first?["series"]?.arrayValue ?? []
                #expect(series.count == 2)
                for s in series {
                    #expect(s["name"] == .string("cpu_value"))
                    #expect(s["columns"]?.arrayValue.first == .string("time"))
                    let first = s["values"]?.arrayValue.first?.arrayValue
                    #expect(first?.first == .number(String(from)))
                    // user values cycle 0…6 every 10 s: the first minute averages 0,1,2,3,4,5 → 2.5
                    #expect(first?.last == .number("2.5"))
                }
                #expect(series.map { $0["tags"]?["host"]?.cellText ?? "" } == ["b", "srv.lan"])
            }
        }
    }

    @Test func derivativeTimesEightForBits() async throws {
        let h = try await Self.harness()
        let from = Self.t0 / 1_000_000
        let q = #"SELECT non_negative_derivative(mean("value"), 1s) *8 FROM "interface_rx" WHERE ("host" =~ /^srv\.lan$/ AND "type" = 'if_octets') AND time >= \#(from)ms and time <= \#(from + 600_000)ms GROUP BY time(1m) fill(null)"#
        try await h.run { client async throws in
            let (status, json) = try await Self.ask(client, q)
            #expect(status == 200)
            let values = json["results"]?.arrayValue.first?["series"]?.arrayValue.first?["values"]?.arrayValue ?? []
            #expect(values.count >= 5)
            // 1000 bytes per 10 s = 100 B/s = 800 bit/s
            #expect(values.dropFirst().first?.arrayValue.last == .number("800"))
        }
    }

    @Test func browserPathGetsOneResultPerStatementInOrder() async throws {
        let h = try await Self.harness()
        try await h.run { client async throws in
            let (status, json) = try await Self.ask(client, "SHOW MEASUREMENTS; SELECT value FROM nothing; SHOW TAG KEYS FROM cpu_value")
            #expect(status == 200)
            let results = json["results"]?.arrayValue ?? []
            #expect(results.map { $0["statement_id"]?.cellText ?? "" } == ["0", "1", "2"])
            #expect(results[1] == .object([("statement_id", .number("1"))]))
            #expect(results[2]["series"]?.arrayValue.first?["columns"] == .array([.string("tagKey")]))
        }
    }

    @Test func parseErrorIs400WithInfluxText() async throws {
        let h = try await Self.harness()
        try await h.run { client async throws in
            let (status, json) = try await Self.ask(client, "SELEC")
            #expect(status == 400)
            // Recorded from InfluxDB 1.6.7.
            #expect(json["error"] == .string("error parsing query: found SELEC, expected SELECT, DELETE, SHOW, CREATE, DROP, EXPLAIN, GRANT, REVOKE, ALTER, SET, KILL at line 1, char 1"))
        }
    }

    @Test func wrongPasswordIs401ForGrafana() async throws {
        let h = try await Self.harness()
        try await h.run { client async throws in
            var headers = HTTPFields()
            headers[.authorization] = basic("grafana", "nope")
            let r = try await client.execute(uri: "/query?db=collectd&q=SHOW+measurements", method: .get, headers: headers)
            #expect(r.status.code == 401)
        }
    }
}
