import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import InfluxHTTP

@Suite struct StatusEndpointTests {
    @Test func pingAnswers204WithInfluxHeaders() async throws {
        try await Harness().run { client async throws in
            try await client.execute(uri: "/ping", method: .get) { r in
                #expect(r.status.code == 204)
                #expect(r.body.readableBytes == 0)
                #expect(r.headers[HTTPField.Name("X-Influxdb-Version")!] == "1.6.7-collectlite")
                #expect(r.headers[HTTPField.Name("X-Influxdb-Build")!] == "OSS")
                #expect(r.headers[HTTPField.Name("Request-Id")!]?.count == 36)
                #expect(r.headers[HTTPField.Name("X-Request-Id")!] == r.headers[HTTPField.Name("Request-Id")!])
                #expect(r.headers[.contentType] == "application/json")
            }
        }
    }

    @Test func requestIdsDiffer() async throws {
        try await Harness().run { client async throws in
            let a = try await client.execute(uri: "/ping", method: .get).headers[HTTPField.Name("Request-Id")!]
            let b = try await client.execute(uri: "/ping", method: .get).headers[HTTPField.Name("Request-Id")!]
            #expect(a != b)
        }
    }

    @Test func headPing() async throws {
        try await Harness().run { client async throws in
            #expect(try await client.execute(uri: "/ping", method: .head).status.code == 204)
        }
    }

    @Test func verbosePingIsAPingAsIn1_6_7() async throws {
        try await Harness().run { client async throws in
            let r = try await client.execute(uri: "/ping?verbose=true", method: .get)
            #expect(r.status.code == 204)
            #expect(r.headers[.init("X-Influxdb-Version")!] == "1.6.7-collectlite")
        }
    }

    /// InfluxDB 1.6.7's CORS (recorded with curl from influxd): a request with an `Origin` gets
    /// these four headers on every endpoint's answer, `OPTIONS /query` and `OPTIONS /write` are
    /// preflights answered 200 with an empty body; the router's 404 and 405 get none of them.
    @Test func browsersGetInfluxDBsCORSHeaders() async throws {
        let cors: [String: String] = [
            "Access-Control-Allow-Headers": "Accept, Accept-Encoding, Authorization, Content-Length, Content-Type, X-CSRF-Token, X-HTTP-Method-Override",
            "Access-Control-Allow-Methods": "DELETE, GET, OPTIONS, POST, PUT",
            "Access-Control-Allow-Origin": "http://grafana.example:3000",
            "Access-Control-Expose-Headers": "Date, X-InfluxDB-Version, X-InfluxDB-Build",
        ]
        @Sendable func corsHeaders(_ headers: HTTPFields) -> [String: String] {
            var out: [String: String] = [:]
            for field in headers where field.name.rawName.hasPrefix("Access-Control-") { out[field.name.rawName] = field.value }
            return out
        }
        let origin: HTTPFields = [.origin: "http://grafana.example:3000"]
        try await Harness().run { client async throws in
            for (uri, method, status) in [("/query?q=SHOW+DATABASES", HTTPRequest.Method.get, 200), ("/query", .get, 400),
                                          ("/query", .options, 200), ("/write", .options, 200), ("/write?db=x", .post, 204),
                                          ("/ping", .get, 204), ("/ping", .head, 204)] {
                let r = try await client.execute(uri: uri, method: method, headers: origin)
                #expect(r.status.code == status, "\(method) \(uri)")
                #expect(corsHeaders(r.headers) == cors, "\(method) \(uri)")
                if method == .options {
                    #expect(r.body.readableBytes == 0 && r.headers[.contentType] == nil)
                }
            }
            let plain = try await client.execute(uri: "/write", method: .options)
            #expect(plain.status.code == 200 && corsHeaders(plain.headers).isEmpty)
            for (uri, method, status, allow) in [("/ping", HTTPRequest.Method.options, 405, "GET, HEAD"),
                                                 ("/query", .put, 405, "OPTIONS, GET, POST"), ("/write", .get, 405, "OPTIONS, POST"),
                                                 ("/nothing", .get, 404, nil)] {
                let r = try await client.execute(uri: uri, method: method, headers: origin)
                #expect(r.status.code == status, "\(method) \(uri)")
                #expect(corsHeaders(r.headers).isEmpty, "\(method) \(uri)")
                #expect(r.headers[.allow] == allow)
                #expect(r.headers[.init("X-Content-Type-Options")!] == "nosniff")
            }
        }
    }

    @Test func pingRejectsPost() async throws {
        try await Harness().run { client async throws in
            let r = try await client.execute(uri: "/ping", method: .post)
            #expect(r.status.code == 405)
            #expect(r.text == "Method Not Allowed\n")
        }
    }

    @Test func healthLooksLikeInfluxDB18() async throws {
        try await Harness().run { client async throws in
            let r = try await client.execute(uri: "/health", method: .get)
            #expect(r.status.code == 200)
            #expect(r.text == #"{"name":"influxdb","message":"ready for queries and writes","status":"pass","checks":[],"version":"1.6.7-collectlite"}"# + "\n")
        }
    }

    /// InfluxDB's expvar page as Telegraf's `influxdb` input reads it: a JSON object whose
    /// values with `name`, `tags` and `values` become points (`influxdb_<name>`).
    @Test func debugVarsHoldsEveryStatsGroupAsAPoint() async throws {
        try await Harness().run { client async throws in
            _ = try await client.execute(uri: "/write?db=db0", method: .post, body: ByteBuffer(string: "cpu value=1 1000000000"))
            let r = try await client.execute(uri: "/debug/vars", method: .get)
            #expect(r.status.code == 200)
            #expect(r.headers[.contentType] == "application/json; charset=utf-8")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(r.text.utf8)) as? [String: Any])
            let system = try #require(object["system"] as? [String: Any])
            #expect(system["uptime"] is Int && system["started"] is String && system["currentTime"] is String)
            #expect(object["cmdline"] is [String])
            let points = object.values.compactMap { $0 as? [String: Any] }.filter { $0["name"] != nil }
            #expect(!points.isEmpty)
            for point in points {
                #expect(point["name"] is String && point["tags"] is [String: String])
                let values = try #require(point["values"] as? [String: Any])
                #expect(!values.isEmpty && values.values.allSatisfy { $0 is NSNumber })
            }
            #expect(points.contains { $0["name"] as? String == "httpd" })
            #expect(try await client.execute(uri: "/debug/vars", method: .post).status.code == 405)
        }
    }

    @Test func unknownPathIs404AsInfluxDB() async throws {
        try await Harness().run { client async throws in
            let r = try await client.execute(uri: "/nothing", method: .get)
            #expect(r.status.code == 404)
            #expect(r.text == "404 page not found\n")
            #expect(r.headers[.contentType] == "text/plain; charset=utf-8")
        }
    }

    @Test func metricsExposeProvidersAndHTTPCounters() async throws {
        try await Harness().run { client async throws in
            _ = try await client.execute(uri: "/ping", method: .get)
            _ = try await client.execute(uri: "/write?db=m", method: .post, body: ByteBuffer(string: "cpu v=1 1"))
            let r = try await client.execute(uri: "/metrics", method: .get)
            #expect(r.status.code == 200)
            #expect(r.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = r.text
            #expect(text.contains("# TYPE collectlite_collectd_packets_total counter"))
            #expect(text.contains(#"collectlite_collectd_packets_total{listener="0.0.0.0:25826"} 12"#))
            #expect(text.contains("# TYPE collectlite_collectd_queue_length gauge"))
            #expect(text.contains(#"collectlite_http_requests_total{endpoint="ping",status="204"} 1"#))
            #expect(text.contains("collectlite_http_points_written_total 1"))
            #expect(text.contains("collectlite_httpd_points_written_ok_total 1"))
        }
    }

    @Test(arguments: ["a b", "ok_name", "9lives", "x.y"])
    func prometheusNamesAreSanitised(_ name: String) {
        let s = PrometheusText.sanitize(name)
        #expect(s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
        #expect(s.first.map { !("0"..."9").contains($0) } == true)
    }

    @Test(arguments: [("0.0.0.0:8086", "0.0.0.0", 8086), (":9000", "0.0.0.0", 9000), ("[::1]:8086", "::1", 8086),
                      ("127.0.0.1:0", "127.0.0.1", 0), ("8087", "0.0.0.0", 8087)])
    func bindParsing(_ text: String, _ host: String, _ port: Int) throws {
        let (h, p) = try HTTPServerConfiguration.parseBind(text)
        #expect(h == host)
        #expect(p == port)
    }

    @Test(arguments: ["host:", "[::1]8086", "h:99999", "h:x"])
    func badBinds(_ text: String) {
        #expect(throws: InfluxHTTPError.self) { try HTTPServerConfiguration.parseBind(text) }
    }
}

/// Request ids: version-4 UUID text, all distinct, from a sequence seeded once per process.
struct RequestIDTests {
    @Test func idsAreDistinctVersion4UUIDs() {
        var seen = Set<String>()
        for _ in 0..<100_000 {
            let id = RequestID.make()
            let bytes = Array(id.utf8)
            #expect(bytes.count == 36)
            #expect([8, 13, 18, 23].allSatisfy { bytes[$0] == UInt8(ascii: "-") })
            #expect(bytes[14] == UInt8(ascii: "4"))
            #expect([UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: "b")].contains(bytes[19]))
            seen.insert(id)
        }
        #expect(seen.count == 100_000)
        // Consecutive counters scatter over every hex digit.
        #expect(RequestID.mix(1) != RequestID.mix(2))
        #expect(RequestID.text(high: 0x0123_4567_89ab_cdef, low: 0xfedc_ba98_7654_3210) == "01234567-89ab-4def-bedc-ba9876543210")
    }
}
