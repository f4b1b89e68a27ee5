import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport

/// `collectlite import` from a throw-away InfluxDB 1.6.7: over its /query API and through an
/// `influx_inspect export` dump; collectlite then answers dashboard queries as InfluxDB does.
@Suite(.serialized) struct ImportEndToEndTests {
    static let t0 = 1_700_000_000
    static let steps = 360

    /// collectd-like series (10 s apart) and a measurement of every field type.
    static var lineProtocol: String {
        var lines: [String] = []
        for step in 0..<steps {
            let t = t0 + step * 10
            for h in 0..<3 {
                for (instance, value) in [("user", Double(step % 50) + Double(h)), ("system", 0.5 * Double(step % 7))] {
                    lines.append("cpu_value,host=h\(h),instance=0,type=percent,type_instance=\(instance) value=\(value) \(t)")
                }
                lines.append("interface_rx,host=h\(h),instance=eth0,type=if_octets value=\(step * 1000 * (h + 1)) \(t)")
                lines.append("load_shortterm,host=h\(h),type=load value=\(Double(step % 13) / 4) \(t)")
                lines.append("mixed,host=h\(h) i=\(step)i,s=\"v \\\"\(step)\\\"\",b=\(step % 2 == 0),f=\(step).125 \(t)")
            }
        }
        return lines.joined(separator: "\n")
    }

    static let end = t0 + steps * 10
    static var queries: [String] {
        let range = "time >= \(t0)s AND time <= \(end)s"
        return [
            "SHOW MEASUREMENTS",
            "SHOW TAG VALUES FROM \"cpu_value\" WITH KEY = \"host\"",
            "SHOW FIELD KEYS FROM \"mixed\"",
            "SELECT mean(\"value\") FROM \"cpu_value\" WHERE \"host\" = 'h1' AND \"type_instance\" = 'user' AND \(range) GROUP BY time(5m) fill(null)",
            "SELECT non_negative_derivative(mean(\"value\"), 1s) * 8 FROM \"interface_rx\" WHERE \(range) GROUP BY time(5m), \"host\" fill(null)",
            "SELECT max(\"value\") FROM \"load_shortterm\" WHERE \(range) GROUP BY time(10m), \"host\"",
            "SELECT last(\"value\") FROM \"load_shortterm\" GROUP BY \"host\"",
            "SELECT count(*) FROM \"mixed\"",
            "SELECT * FROM \"mixed\" WHERE \"host\" = 'h2' AND \(range) LIMIT 5",
        ]
    }

    static func post(_ url: String, _ body: String) async throws -> Int {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    /// Serves `directory` and compares its answers with InfluxDB's.
    static func expectSameAnswers(_ directory: String, as influxPort: Int, _ label: String) async throws {
        let server = try ServeEndToEndTests.serve(directory)
        let ours = try await HTTPEndToEndTests.answers(try await server.httpPort(), queries)
        await ServeEndToEndTests.stop(server)
        let theirs = try await HTTPEndToEndTests.answers(influxPort, queries)
        for (q, (a, b)) in zip(queries, zip(ours, theirs)) {
            #expect(a == b, "\(label): \(q)\ncollectlite: \(a)\ninfluxdb:    \(b)")
        }
    }

    static func run(_ arguments: [String]) async throws -> (Int32, String) {
        try await BackupEndToEndTests.run(arguments)
    }

    @Test func importsFromInfluxDBAndFromAnExportFileAndAnswersAsInfluxDB() async throws {
        guard ThrowawayInfluxDB.isInstalled else {
            if ThrowawayInfluxDB.isCI { Issue.record("influxd not found (set INFLUXD or install influxdb 1.x); required under CI=true") }
            return
        }
        let influx = try await ThrowawayInfluxDB.start()
        defer { influx.stop() }
        let base = "http://127.0.0.1:\(influx.port)"
        #expect(try await Self.post(base + "/query?q=CREATE%20DATABASE%20collectd", "") == 200)
        #expect(try await Self.post(base + "/write?db=collectd&precision=s", Self.lineProtocol) == 204)
        let pulled = try TemporaryDirectory("import-pull")
        let resumed = try TemporaryDirectory("import-resume")
        let fromFile = try TemporaryDirectory("import-file")
        defer { pulled.remove(); resumed.remove(); fromFile.remove() }

        // Over /query into a data directory.
        let (status, log) = try await Self.run(["import", "--from-influxdb", base, "--database", "collectd", "--data-dir", pulled.path,
                                                "--slice-values", "2000"])
        #expect(status == 0, "\(log)")
        #expect(log.contains("every value of the source is in the target"), "\(log)")
        #expect(log.contains("collectd.autogen.mixed"), "\(log)")
        #expect(!FileManager.default.fileExists(atPath: pulled.path + "/collectlite-import.json"))
        try await Self.expectSameAnswers(pulled.path, as: influx.port, "--from-influxdb")

        // A second run, through a running collectlite's /write, changes nothing.
        let before = try StoredData(dataDirectory: pulled.path)
        let server = try ServeEndToEndTests.serve(pulled.path)
        let port = try await server.httpPort()
        let (again, againLog) = try await Self.run(["import", "--from-influxdb", base, "--database", "collectd",
                                                    "--to", "http://127.0.0.1:\(port)", "--state", pulled.path + "/../import-again.json"])
        #expect(again == 0, "\(againLog)")
        #expect(againLog.contains("every value of the source is in the target"), "\(againLog)")
        await ServeEndToEndTests.stop(server)
        let after = try StoredData(dataDirectory: pulled.path)
        #expect(after.count == before.count)
        #expect(after.samples == before.samples, "a second import changed stored values")

        // Killed after its first slices, an import resumes where it stopped.
        let first = try ServerProcess.collectlite(["import", "--from-influxdb", base, "--database", "collectd", "--data-dir", resumed.path,
                                                   "--slice-values", "60", "--batch-points", "50"])
        let statePath = resumed.path + "/collectlite-import.json"
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, first.isRunning, !FileManager.default.fileExists(atPath: statePath) {
            try await Task.sleep(for: .milliseconds(2))
        }
        first.signal(SIGKILL)
        let killed = await first.waitForExit()
        #expect(killed == 128 + SIGKILL, "the import ended before it could be killed:\n\(first.log)")
        let (second, secondLog) = try await Self.run(["import", "--from-influxdb", base, "--database", "collectd", "--data-dir", resumed.path,
                                                      "--slice-values", "60", "--batch-points", "50"])
        #expect(second == 0, "\(secondLog)")
        #expect(secondLog.contains("resuming the import recorded in"), "\(secondLog)")
        #expect(secondLog.contains("every value of the source is in the target"), "\(secondLog)")
        #expect(try StoredData(dataDirectory: resumed.path).samples == before.samples)

        // From the dump influx_inspect export writes (gzip).
        guard InfluxExport.isAvailable else {
            if ThrowawayInfluxDB.isCI { Issue.record("go or golang-github-influxdb-influxdb-dev missing; required under CI=true") }
            return
        }
        let dump = fromFile.path + "/export.lp.gz"
        try InfluxExport.export(influxDirectory: influx.directory, to: dump, compress: true)
        let (fileStatus, fileLog) = try await Self.run(["import", "--file", dump, "--data-dir", fromFile.path + "/data"])
        #expect(fileStatus == 0, "\(fileLog)")
        #expect(fileLog.contains("every value of the source is in the target"), "\(fileLog)")
        try await Self.expectSameAnswers(fromFile.path + "/data", as: influx.port, "--file")
        #expect(try StoredData(dataDirectory: fromFile.path + "/data").samples == before.samples)
    }

    /// A line-protocol file that repeats points (a batch sent twice) imports completely: the
    /// report counts the repeats apart instead of calling them missing.
    @Test func repeatedPointsInAFileAreNotReportedMissing() async throws {
        let dir = try TemporaryDirectory("import-repeats")
        defer { dir.remove() }
        let t0: Int64 = 1_700_000_000_000_000_000
        let batch = (0..<100).map { "load,host=h\($0 % 4) shortterm=\($0),midterm=1 \(t0 + Int64($0) * 10_000_000_000)" }
        let other = (0..<10).map { "memory,host=h0 value=\($0) \(t0 + Int64($0) * 10_000_000_000)" }
        let file = dir.path + "/repeats.lp"
        try (batch + other + batch.prefix(30)).joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let (status, log) = try await ServerProcess.runCollectlite(["import", "--file", file, "--database", "collectd", "--data-dir", dir.path + "/data"])
        #expect(status == 0, "\(log)")
        #expect(log.contains("every value of the source is in the target"), "\(log)")
        #expect(log.contains("the file repeats 60 values"), "\(log)")
        #expect(try StoredData(dataDirectory: dir.path + "/data").count == 210)
    }
}
