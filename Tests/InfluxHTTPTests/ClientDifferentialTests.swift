import Foundation
import Testing
import TestSupport
@testable import InfluxHTTP

/// Other real clients from Debian, run against collectlite and against a throw-away influxd
/// 1.6.7, their outputs compared line by line: Ruby's influxdb gem (ruby-influxdb: databases,
/// users, grants, continuous queries, retention policies, errors, chunked and epoch queries)
/// and aioinflux (python3-aioinflux: writes as dicts, line protocol and lists, SHOW helpers,
/// a chunked query read chunk by chunk). Scripts in Fixtures/clients.
@Suite(.serialized) struct ClientDifferentialTests {
    static let clients = AuthScenario.directory.appendingPathComponent("clients")

    static func available(_ program: String, _ check: [String]) -> Bool {
        (try? runProgram(program, check))??.status == 0
    }

    /// The script's lines against both servers; lines naming the server's version are left out.
    static func compare(_ program: String, _ script: String) async throws {
        let path = clients.appendingPathComponent(script).path
        guard ThrowawayInfluxDB.isInstalled else {
            if ThrowawayInfluxDB.isCI { Issue.record("influxd not found; required under CI=true") }
            return
        }
        let influx = try await ThrowawayInfluxDB.start()
        defer { influx.stop() }
        let expected = try #require(try runProgram(program, [path, String(influx.port)]))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("clients-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let users = try UserRegistry(directory: directory.path, rounds: 1000)
        let got = try await LiveServer.with(users: users) { server in try #require(try runProgram(program, [path, String(server.port)])) }
        #expect(expected.status == 0, "\(expected.err)")
        #expect(got.status == 0, "\(got.err)")
        let lines = { (text: String) in text.split(separator: "\n").filter { !$0.contains("1.6.7") } }
        #expect(lines(expected.out).count > 15)
        let differences = zip(lines(got.out), lines(expected.out)).filter { $0 != $1 }.map { "got:    \($0)\nexpect: \($1)" }
        #expect(differences.isEmpty && lines(got.out).count == lines(expected.out).count,
                "\(differences.count) lines differ:\n\(differences.prefix(10).joined(separator: "\n"))\n--- got\n\(got.out)")
    }

    @Test func rubyInfluxDBGemAnswersAsWithInfluxDB() async throws {
        guard requireProgram("Ruby's influxdb gem (Debian ruby-influxdb)",
                             available: Self.available("/usr/bin/ruby", ["-e", "require 'influxdb'"])) else { return }
        try await Self.compare("/usr/bin/ruby", "ruby_influxdb.rb")
    }

    @Test func aioinfluxAnswersAsWithInfluxDB() async throws {
        guard requireProgram("aioinflux (Debian python3-aioinflux)",
                             available: Self.available("/usr/bin/python3", ["-c", "import aioinflux"])) else { return }
        try await Self.compare("/usr/bin/python3", "aioinflux_client.py")
    }
}
