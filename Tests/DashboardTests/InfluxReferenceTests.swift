import Testing
import TimeSeries

/// Every dashboard query, expanded as Grafana expands it, against the reference: a real
/// InfluxDB 1.6.7 holding the same data. Skips without influxd, except under CI=true.
@Suite(.serialized, .enabled(if: InfluxdProcess.isInstalled || InfluxdProcess.isCI, "needs /usr/bin/influxd"))
struct InfluxReferenceTests {
    @Test func everyDashboardQueryAnswersOnInfluxDB() async throws {
        guard InfluxdProcess.isInstalled else {
            Issue.record("CI=true but \(InfluxdProcess.executable) is missing")
            return
        }
        let scenario = try DashboardScenario.withCaptures()
        let server = try await InfluxdProcess.start()
        defer { server.stop() }
        try await server.execute("CREATE DATABASE \(DashboardScenario.database)")
        let lines = scenario.points.map(\.lineProtocolMs)
        for start in stride(from: 0, to: lines.count, by: 10_000) {
            try await server.write(lines: Array(lines[start..<min(start + 10_000, lines.count)]), database: DashboardScenario.database)
        }
        let runner = InfluxdRunner(server: server, database: DashboardScenario.database)
        // The harness can tell "no data" and errors apart from answers.
        let missing = try await runner.run("SELECT mean(\"value\") FROM \"no_such_measurement\" WHERE time > 0")
        let missingHasData = missing.contains { $0.hasData }
        #expect(!missingHasData)
        var parseFailed = false
        do { _ = try await runner.run("SELECT FROM WHERE") } catch { parseFailed = true }
        #expect(parseFailed)
        try await scenario.check(runner, backend: "InfluxDB 1.6.7")
        try await scenario.checkSilentHost(runner)
    }
}
