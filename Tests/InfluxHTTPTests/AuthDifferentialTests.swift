import Foundation
import Testing
import TestSupport
import TimeSeries
@testable import InfluxHTTP

/// Users, grants and their enforcement through real HTTP, against answers recorded from
/// InfluxDB 1.6.7 with `auth-enabled = true` (Fixtures/auth-*.txt): every privilege, every
/// statement kind, /query (POST and GET) and /write, status codes and bodies byte for byte.
@Suite(.serialized) struct AuthDifferentialTests {
    @Test func scenarioIsRecorded() throws {
        let cases = try AuthScenario.cases()
        #expect(cases.count >= 399)
        #expect(Set(cases.map(\.expected.status)) == [200, 204, 400, 401, 403, 404, 500])
    }

    @Test func collectliteAnswersAsInfluxDB() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("collectlite-auth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let users = try UserRegistry(directory: directory.path, rounds: 1000)
        let configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, authEnabled: true)
        let differences = try await LiveServer.with(configuration: configuration, users: users) { server in
            try await AuthScenario.differences(base: "http://127.0.0.1:\(server.port)")
        }
        #expect(differences.isEmpty, "\(differences.count) differences:\n\(differences.prefix(20).joined(separator: "\n"))")
    }

    @Test func recordingStillMatchesLiveInfluxDB() async throws {
        guard ThrowawayInfluxDB.isInstalled else {
            if ThrowawayInfluxDB.isCI { Issue.record("influxd not found (set INFLUXD or install influxdb 1.x); required under CI=true") }
            return
        }
        let influx = try await ThrowawayInfluxDB.start(authEnabled: true)
        defer { influx.stop() }
        let differences = try await AuthScenario.differences(base: "http://127.0.0.1:\(influx.port)")
        #expect(differences.isEmpty, "\(differences.count) differences:\n\(differences.prefix(20).joined(separator: "\n"))")
    }
}
