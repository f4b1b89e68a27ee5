import Foundation
import Testing
import QueryEngine

/// Re-runs the differential suite against a live influxd 1.x when one is installed
/// (fails instead of skipping when CI=true and influxd is missing).
@Suite struct LiveInfluxTests {
    @Test(arguments: [nil, "compat"] as [String?])
    func answersMatchLiveInfluxDB(suite: String?) async throws {
        guard LiveInflux.isInstalled else {
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                Issue.record("influxd not found (set INFLUXD or install influxdb 1.x); required under CI=true")
            }
            return
        }
        let influx = try await LiveInflux.start()
        defer { influx.stop() }
        for (db, lines) in try Fixtures.lineProtocolByDatabase(suite: suite).sorted(by: { $0.key < $1.key }) {
            _ = try influx.query("CREATE DATABASE \(db)", database: nil, epoch: nil)
            try influx.write(lineProtocol: lines, database: db)
        }

        let executor = QueryExecutor(store: try Fixtures.loadedStore(suite: suite))
        let known = suite == nil ? try Fixtures.knownDifferences() : [:]
        var failures = 0
        var compared = 0
        for c in try Fixtures.cases(suite: suite) {
            let live = try influx.query(c.query, database: c.database, epoch: c.epoch)
            let got = Fixtures.answer(c, executor: executor)
            if known[c.query] != nil { continue }
            compared += 1
            let expected = try JSONValue.parse(live).normalizingEqualTimeRows()
            let actual = try JSONValue.parse(got).normalizingEqualTimeRows()
            if let diff = JSONValue.difference(actual, expected) {
                failures += 1
                Issue.record("\(c)\n  diff: \(diff)\n  got:  \(got.prefix(500))\n  live: \(live.prefix(500))")
            }
        }
        #expect(compared > (suite == nil ? 150 : 80))
        #expect(failures == 0)
    }
}
