import Foundation
import Testing
import TestSupport

/// A 1-second continuous query in `collectlite serve` and in a real InfluxDB 1.6.7 fed the
/// same points while both run: every whole second both computed holds the same aggregates.
/// RESAMPLE FOR 3s recomputes each second twice more, so a point that reached one server after
/// that second's first run (a busy machine) is counted by both in the end.
@Suite(.serialized) struct ContinuousQueryEndToEndTests {
    static func curl(_ args: [String], stdin: String? = nil) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = ["-s", "-m", "30"] + args
        let out = Pipe()
        let input = Pipe()
        p.standardOutput = out
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    static func query(_ port: Int, _ q: String) throws -> String {
        try curl(["-XPOST", "http://127.0.0.1:\(port)/query?db=cq&epoch=ns", "--data-urlencode", "q=\(q)"])
    }

    /// The `values` rows of every series of the first result, keyed "host time".
    static func rows(_ body: String) -> [String: String] {
        guard let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
              let result = (json["results"] as? [[String: Any]])?.first,
              let series = result["series"] as? [[String: Any]] else { return [:] }
        var out: [String: String] = [:]
        for s in series {
            let host = (s["tags"] as? [String: String])?["host"] ?? ""
            for row in s["values"] as? [[Any]] ?? [] {
                out["\(host) \(row[0])"] = row.dropFirst().map { "\($0)" }.joined(separator: ",")
            }
        }
        return out
    }

    @Test func aOneSecondCQWritesWhatInfluxDBWrites() async throws {
        guard ThrowawayInfluxDB.isInstalled else {
            if ThrowawayInfluxDB.isCI { Issue.record("influxd not found; required under CI=true") }
            return
        }
        let influx = try await ThrowawayInfluxDB.start(continuousQueries: true)
        defer { influx.stop() }
        let dir = try TemporaryDirectory("cq")
        defer { dir.remove() }
        let server = try ServeEndToEndTests.serve(dir.path)
        let port = try await server.httpPort()
        let ports = [influx.port, port]
        let setup = """
            CREATE DATABASE cq; CREATE RETENTION POLICY agg ON cq DURATION INF REPLICATION 1; \
            CREATE CONTINUOUS QUERY c1 ON cq RESAMPLE EVERY 1s FOR 3s BEGIN SELECT count(value) AS n, sum(value) AS s, max(value) AS hi \
            INTO agg.per_second FROM m GROUP BY time(1s), host END
            """
        for p in ports { #expect(try Self.query(p, setup).contains(#"{"statement_id":2}"#)) }
        // Six seconds of points stamped with the wall clock, the same to both servers; none in
        // the last 100 ms of a second, so a point never arrives after its second's CQ ran.
        let second: Int64 = 1_000_000_000
        let start = Int64(Date().timeIntervalSince1970 * 1e9)
        var i = 0
        while Int64(Date().timeIntervalSince1970 * 1e9) < start + 6 * second {
            let now = Int64(Date().timeIntervalSince1970 * 1e9)
            if now % second < 900_000_000 {
                let body = "m,host=a value=\(i % 7) \(now)\nm,host=b value=\(i % 3).5 \(now)"
                for p in ports { _ = try Self.curl(["-XPOST", "http://127.0.0.1:\(p)/write?db=cq", "--data-binary", "@-"], stdin: body) }
                i += 1
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .milliseconds(4600))
        let q = "SELECT n, s, hi FROM agg.per_second GROUP BY host"
        let (expected, actual) = (Self.rows(try Self.query(influx.port, q)), Self.rows(try Self.query(port, q)))
        // Whole seconds after the first boundary and before the last write, computed by both.
        let first = (start / second + 1) * second
        let last = (start / second + 5) * second
        func inWindow(_ key: String) -> Bool {
            let t = Int64(key.split(separator: " ")[1]) ?? 0
            return t >= first && t < last
        }
        let common = Set(expected.keys).intersection(actual.keys).filter(inWindow)
        // Every second of the window, for both hosts, from collectlite; influxd's CQ service,
        // on a loaded machine (the whole suite running), has been seen to run only every third
        // second, so of its seconds at least one per host must be there to compare.
        #expect(actual.keys.filter(inWindow).count >= 6, "collectlite: \(actual.keys.sorted())")
        #expect(common.count >= 2, "influxd: \(expected.keys.sorted())\ncollectlite: \(actual.keys.sorted())")
        for key in common.sorted() { #expect(expected[key] == actual[key], "\(key)") }
        #expect(server.log.contains("continuous query ran"))
        let metrics = try Self.curl(["http://127.0.0.1:\(port)/metrics"])
        #expect(metrics.contains("collectlite_cq_runs_total"))
        await ServeEndToEndTests.stop(server)
    }
}
