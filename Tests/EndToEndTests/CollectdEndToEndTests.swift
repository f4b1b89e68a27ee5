import CollectdProtocol
import CollectdReceiver
import Foundation
import Testing
import TestSupport
import TimeSeries

/// Real collectd (Interval 1; cpu, interface, load, memory) sending to `collectlite serve`,
/// and the committed captures of real collectd packets replayed over UDP.
@Suite(.serialized) struct CollectdEndToEndTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("CollectdProtocolTests/Fixtures").path

    /// True when collectd can run; fails the test under CI=true when it is missing.
    static func collectdAvailable() -> Bool {
        if FileManager.default.isExecutableFile(atPath: Environment.collectd) { return true }
        #expect(!Environment.isCI, "CI=true but \(Environment.collectd) is missing (apt-get install collectd-core)")
        return false
    }

    static func collectdConfig(port: Int, dir: String, security: SecurityLevel) -> String {
        let server: String
        if security == .none {
            server = "  Server \"127.0.0.1\" \"\(port)\""
        } else {
            server = """
                  <Server "127.0.0.1" "\(port)">
                    SecurityLevel \(security == .sign ? "Sign" : "Encrypt")
                    Username "e2e"
                    Password "e2e-secret"
                  </Server>
                """
        }
        return """
            Hostname "e2e-host"
            FQDNLookup false
            Interval 1
            BaseDir "\(dir)"
            PIDFile "\(dir)/collectd.pid"
            AutoLoadPlugin false
            TypesDB "/usr/share/collectd/types.db"
            LoadPlugin cpu
            LoadPlugin interface
            LoadPlugin load
            LoadPlugin memory
            LoadPlugin network
            <Plugin network>
            \(server)
            </Plugin>

            """
    }

    @Test(arguments: [SecurityLevel.none, .encrypt])
    func realCollectdArrivesWithTheRightNamesAndTags(security: SecurityLevel) async throws {
        guard Self.collectdAvailable() else { return }
        let dir = try TemporaryDirectory("collectd-\(security.rawValue)")
        defer { dir.remove() }
        try "e2e: e2e-secret\n".write(toFile: dir.path + "/auth", atomically: true, encoding: .utf8)
        let server = try ServeEndToEndTests.serve(dir.path + "/data", [
            "--collectd-security-level", security.rawValue, "--collectd-auth-file", dir.path + "/auth",
        ])
        let port = try await server.collectdPort()
        try Self.collectdConfig(port: port, dir: dir.path, security: security).write(toFile: dir.path + "/collectd.conf", atomically: true, encoding: .utf8)
        let collectd = try ServerProcess(executable: Environment.collectd, arguments: ["-f", "-C", dir.path + "/collectd.conf"])

        // Wait (bounded) until three load samples are durable: collectd sends every second.
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline, collectd.isRunning {
            let loads = (try? StoredData(dataDirectory: dir.path + "/data"))?.samples["load_shortterm,host=e2e-host,type=load"]?["value"]?.count ?? 0
            if loads >= 3 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        // collectd inherits a signal mask with SIGTERM blocked from the test process.
        collectd.signal(SIGKILL)
        _ = await collectd.waitForExit()
        await ServeEndToEndTests.stop(server)

        let stored = try StoredData(dataDirectory: dir.path + "/data")
        let load = try #require(stored.samples["load_shortterm,host=e2e-host,type=load"]?["value"], "log:\n\(server.log)\ncollectd:\n\(collectd.log)")
        #expect(load.count >= 3)
        #expect(zip(load, load.dropFirst()).allSatisfy { $0.time < $1.time })
        for m in ["load_midterm", "load_longterm"] { #expect(stored.series(of: m) == ["\(m),host=e2e-host,type=load"]) }
        #expect(stored.series(of: "cpu_value").contains { $0.hasPrefix("cpu_value,host=e2e-host,instance=0,type=cpu,type_instance=") })
        #expect(stored.series(of: "memory_value").contains("memory_value,host=e2e-host,type=memory,type_instance=used"))
        for direction in ["rx", "tx"] {
            for type in ["if_octets", "if_packets", "if_errors", "if_dropped"] {
                #expect(stored.series(of: "interface_\(direction)").contains("interface_\(direction),host=e2e-host,instance=lo,type=\(type)"),
                        "interface_\(direction) \(type) missing: \(stored.series(of: "interface_\(direction)"))")
            }
        }
        // Times are whole milliseconds (the default precision).
        #expect(load.allSatisfy { $0.time % 1_000_000 == 0 })
    }

    @Test(arguments: ["plain", "sign", "encrypt"])
    func replayedCapturesAreStoredExactlyOnce(mode: String) async throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures + "/" + mode).filter { $0.hasSuffix(".bin") }.sorted()
        try #require(!files.isEmpty, "no captures in \(Self.fixtures)/\(mode)")
        let datagrams = try files.map { [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/\(mode)/" + $0))) }

        // What the decoder and mapping say must be stored (ns precision: nothing collapses).
        let authFile = try AuthFile(path: Self.fixtures + "/auth_file")
        let decoder = CollectdDecoder(securityLevel: .none, authFile: authFile)
        let mapper = CollectdMapper(typesDB: .embedded, options: MappingOptions(precision: .ns))
        var expected: [String: Double] = [:]
        for d in datagrams {
            var points: [Point] = []
            for list in decoder.decode(d).valueLists { _ = mapper.map(list, into: &points) }
            for p in points { for f in p.fields { expected["\(p.key) \(f.name) \(p.time)"] = f.value.doubleValue } }
        }
        try #require(!expected.isEmpty)

        let dir = try TemporaryDirectory("replay-\(mode)")
        defer { dir.remove() }
        let server = try ServeEndToEndTests.serve(dir.path, [
            "--collectd-precision", "ns", "--collectd-auth-file", Self.fixtures + "/auth_file",
            "--collectd-security-level", mode == "plain" ? "none" : mode,
        ])
        let sender = UDPSender(port: try await server.collectdPort())
        for d in datagrams { #expect(sender.send(d)) }
        await ServeEndToEndTests.stop(server)

        let stored = try StoredData(dataDirectory: dir.path)
        var actual: [String: Double] = [:]
        for (series, fields) in stored.samples {
            for (field, samples) in fields {
                for s in samples { actual["\(series) \(field) \(s.time)"] = s.value.doubleValue }
            }
        }
        #expect(actual.count == expected.count)
        #expect(Set(actual.keys) == Set(expected.keys))
        #expect(actual.allSatisfy { expected[$0.key] == $0.value })
        let summary = try #require(ServerProcess.line(containing: "collectd receiver stopped", in: server.log))
        #expect(ServeEndToEndTests.figures(summary)["datagrams"] == datagrams.count)
    }
}
