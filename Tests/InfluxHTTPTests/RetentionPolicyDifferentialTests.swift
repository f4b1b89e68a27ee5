import Foundation
import QueryEngine
import SQLiteStore
import Testing
import TestSupport
import TimeSeries
@testable import InfluxHTTP

/// Retention policies, SELECT INTO and continuous-query statements as InfluxDB 1.6.7 answers
/// them, through real HTTP (Fixtures/rp-steps.txt, recorded in rp-cases.txt): DDL and its
/// errors, writes with `rp=`, reads of `rp.measurement` and `db.rp.measurement`, INTO with
/// `:MEASUREMENT`, tags as tags or fields, and dropping a policy with its data.
@Suite(.serialized) struct RetentionPolicyDifferentialTests {
    @Test func collectliteAnswersAsInfluxDB() async throws {
        #expect(try AuthScenario.cases("rp").count >= 200)
        let differences = try await LiveServer.with { server in
            try await AuthScenario.differences("rp", base: "http://127.0.0.1:\(server.port)")
        }
        #expect(differences.isEmpty, "\(differences.count) differences:\n\(differences.prefix(20).joined(separator: "\n"))")
    }

    /// The same steps on the SQLite store; afterwards the policies, their samples and the
    /// continuous queries are in the files: a reopened store and a read-only one see them.
    @Test func theSQLiteStoreAnswersAsInfluxDBAndKeepsItAll() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rp-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStore(dataDirectory: directory, options: .init(chunkSize: 4))
        let differences = try await LiveServer.with(store: store) { server in
            try await AuthScenario.differences("rp", base: "http://127.0.0.1:\(server.port)")
        }
        #expect(differences.isEmpty, "\(differences.count) differences:\n\(differences.prefix(20).joined(separator: "\n"))")
        let before = try store.retentionPolicies(database: "db0")
        let queries = try store.continuousQueries(database: "db0")
        let samples = try store.series(database: "db0", filter: .names(["cpu"]), where: .always).map {
            try store.samples(database: "db0", policy: "rp1", series: $0.id, field: "value")
        }
        try store.close()
        for readOnly in [false, true] {
            let reopened = try SQLiteStore(dataDirectory: directory, readOnly: readOnly)
            #expect(try reopened.retentionPolicies(database: "db0") == before)
            #expect(try reopened.continuousQueries(database: "db0") == queries)
            let again = try reopened.series(database: "db0", filter: .names(["cpu"]), where: .always).map {
                try reopened.samples(database: "db0", policy: "rp1", series: $0.id, field: "value")
            }
            #expect(again == samples)
            #expect(queries.queries.count == 3 && !samples.joined().isEmpty)
            try reopened.close()
        }
    }

    @Test func recordingStillMatchesLiveInfluxDB() async throws {
        guard ThrowawayInfluxDB.isInstalled else {
            if ThrowawayInfluxDB.isCI { Issue.record("influxd not found (set INFLUXD or install influxdb 1.x); required under CI=true") }
            return
        }
        let influx = try await ThrowawayInfluxDB.start()
        defer { influx.stop() }
        let differences = try await AuthScenario.differences("rp", base: "http://127.0.0.1:\(influx.port)")
        #expect(differences.isEmpty, "\(differences.count) differences:\n\(differences.prefix(20).joined(separator: "\n"))")
    }
}
