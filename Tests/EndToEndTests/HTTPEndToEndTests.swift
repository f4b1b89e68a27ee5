import CollectdProtocol
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

extension ServerProcess {
    /// The HTTP port from the "http listening on http://host:port" line.
    func httpPort() async throws -> Int {
        guard let line = await line(containing: "http listening on http://"),
              let colon = line.lastIndex(of: ":"),
              let port = Int(line[line.index(after: colon)...].prefix { $0.isNumber })
        else { throw E2EError("no HTTP listening line in log:\n\(log)") }
        return port
    }
}

/// One `collectlite serve` process: collectd packets in over UDP, InfluxQL answers out over HTTP,
/// as Grafana asks them; then `collectlite query` on the data directory after shutdown.
@Suite(.serialized) struct HTTPEndToEndTests {
    /// The answers to queries on database collectd (epoch ms), decoded, from a server's /query.
    static func answers(_ port: Int, _ queries: [String]) async throws -> [NSDictionary] {
        var out: [NSDictionary] = []
        for q in queries {
            let (status, json) = try await get(port, "/query", ["db": "collectd", "q": q, "epoch": "ms"])
            #expect(status == 200, "\(q): \(json)")
            out.append(json as NSDictionary)
        }
        return out
    }

    static func get(_ port: Int, _ path: String, _ query: [String: String]) async throws -> (Int, [String: Any]) {
        var components = URLComponents(string: "http://127.0.0.1:\(port)\(path)")!
        components.queryItems = query.map { URLQueryItem(name: $0.key, value: $0.value) }
        let (data, response) = try await URLSession.shared.data(from: components.url!)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return (status, json)
    }

    /// `results[0].series` of an answer.
    static func series(_ json: [String: Any]) -> [[String: Any]] {
        let results = json["results"] as? [[String: Any]] ?? []
        return results.first?["series"] as? [[String: Any]] ?? []
    }

    @Test func grafanaQueriesAnswerWhatCollectdSent() async throws {
        let dir = try TemporaryDirectory("http")
        defer { dir.remove() }
        let server = try ServeEndToEndTests.serve(dir.path)
        let sender = UDPSender(port: try await server.collectdPort())
        let http = try await server.httpPort()

        // 3 hosts × 60 s; if_octets rx grows by 1000 bytes per second → 8000 bit/s.
        var encoder = CollectdEncoder()
        var datagrams: [[UInt8]] = []
        let t0 = ServeEndToEndTests.t0
        for step in 0..<60 {
            for host in 0..<3 {
                let time = t0 + Int64(step) * 1_000_000_000
                datagrams += encoder.append(ValueList(host: "web\(host).lan", plugin: "interface", pluginInstance: "eth0", type: "if_octets",
                                                      time: time, interval: 1_000_000_000, values: [.derive(Int64(step) * 1000), .derive(0)]))
                datagrams += encoder.append(ValueList(host: "web\(host).lan", plugin: "load", type: "load",
                                                      time: time, interval: 1_000_000_000, values: [.gauge(0.5), .gauge(1), .gauge(2)]))
            }
        }
        datagrams += encoder.flush()
        for d in datagrams { #expect(sender.send(d)) }

        // The health check Grafana sends, until every measurement is visible.
        let deadline = ContinuousClock.now + .seconds(30)
        var names: [String] = []
        while ContinuousClock.now < deadline {
            let (status, json) = try await Self.get(http, "/query", ["q": "SHOW measurements", "db": "collectd"])
            #expect(status == 200)
            names = (Self.series(json).first?["values"] as? [[Any]] ?? []).compactMap { $0.first as? String }
            if names.count == 5 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(names == ["interface_rx", "interface_tx", "load_longterm", "load_midterm", "load_shortterm"])

        // Wait until the last sample arrived, then ask the bit/s panel's question.
        let t0ms = t0 / 1_000_000
        let filter = "time >= \(t0ms)ms and time <= \(t0ms + 59_000)ms"
        while ContinuousClock.now < deadline {
            let (_, json) = try await Self.get(http, "/query", ["q": "SELECT count(\"value\") FROM \"interface_rx\" WHERE \(filter)", "db": "collectd"])
            let count = (Self.series(json).first?["values"] as? [[Any]])?.first?[1] as? Int
            if count == 180 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let q = "SELECT non_negative_derivative(mean(\"value\"), 1s) *8 FROM \"autogen\".\"interface_rx\" WHERE (\"host\" =~ /^(web0\\.lan|web2\\.lan)$/ AND \"type\" = 'if_octets') AND \(filter) GROUP BY time(10s), \"host\" fill(null)"
        let (status, json) = try await Self.get(http, "/query", ["q": q, "db": "collectd", "epoch": "ms", "rp": "autogen"])
        #expect(status == 200)
        let series = Self.series(json)
        #expect(series.map { ($0["tags"] as? [String: String])?["host"] } == ["web0.lan", "web2.lan"])
        for s in series {
            #expect(s["columns"] as? [String] == ["time", "non_negative_derivative"])
            let rows = s["values"] as? [[Any]] ?? []
            #expect(rows.count == 5)
            for row in rows {
                #expect(row[1] as? Double == 8000 || row[1] as? Int == 8000, "row \(row)")
            }
        }

        // A parse error has InfluxDB's shape.
        let (badStatus, bad) = try await Self.get(http, "/query", ["q": "SELECT FROM", "db": "collectd"])
        #expect(badStatus == 400)
        #expect((bad["error"] as? String)?.hasPrefix("error parsing query: ") == true)

        await ServeEndToEndTests.stop(server)

        // The CLI reads the same answer straight from the data directory.
        let cli = try ServerProcess.collectlite([
            "query", "--data-dir", dir.path, "--format", "csv",
            "SELECT last(\"value\") FROM \"load_shortterm\" WHERE \(filter) GROUP BY \"host\"",
        ])
        #expect(await cli.waitForExit() == 0)
        let lines = cli.log.split(separator: "\n").filter { $0.hasPrefix("load_shortterm") }
        #expect(lines.count == 3, "CLI output:\n\(cli.log)")
        #expect(lines.allSatisfy { $0.hasSuffix(",0.5") }, "CLI output:\n\(cli.log)")
    }
}
