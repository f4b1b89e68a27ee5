import Foundation
import SQLiteStore
import Testing
import TestSupport
@testable import InfluxHTTP

/// `/write` as InfluxDB 1.6.7 reads line protocol, through real HTTP (Fixtures/writes-steps.txt,
/// recorded in writes-cases.txt): each error InfluxDB names first (tags, fields, numbers,
/// booleans, strings, timestamps, a `\r` before the newline), precisions, escapes, the key
/// `time`, field type conflicts in a new and in an existing measurement, and what is stored;
/// then `consistency=` on `/write` and bound parameters (`params=`) on `/query`.
/// Found with Fixtures/random-writes.py, which compares random bodies against a live influxd.
@Suite(.serialized) struct WriteDifferentialTests {
    @Test func collectliteAnswersAsInfluxDB() async throws {
        #expect(try AuthScenario.cases("writes").count >= 300)
        let differences = try await LiveServer.with { server in
            try await AuthScenario.differences("writes", base: "http://127.0.0.1:\(server.port)")
        }
        #expect(differences.isEmpty, "\(differences.count) differences:\n\(differences.prefix(20).joined(separator: "\n"))")
    }

    /// The same steps on the SQLite store.
    @Test func theSQLiteStoreAnswersAsInfluxDB() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("writes-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStore(dataDirectory: directory)
        let differences = try await LiveServer.with(store: store) { server in
            try await AuthScenario.differences("writes", base: "http://127.0.0.1:\(server.port)")
        }
        #expect(differences.isEmpty, "\(differences.count) differences:\n\(differences.prefix(20).joined(separator: "\n"))")
        try store.close()
    }

    @Test func recordingStillMatchesLiveInfluxDB() async throws {
        guard let differences = try await AuthScenario.differencesOnInfluxDB("writes") else { return }
        #expect(differences.isEmpty, "\(differences.count) differences:\n\(differences.prefix(20).joined(separator: "\n"))")
    }
}
