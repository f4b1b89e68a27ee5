import Testing

/// Every dashboard query, expanded as Grafana expands it, against collectlite's query engine
/// holding generated multi-host collectd data plus the real collectd captures.
@Suite struct DashboardEngineTests {
    @Test func everyDashboardQueryAnswersOnTheEngine() async throws {
        let scenario = try DashboardScenario.withCaptures()
        let runner = try EngineRunner(points: scenario.points, database: DashboardScenario.database)
        let missing = try await runner.run(#"SELECT mean("value") FROM "no_such_measurement" WHERE time > 0"#)
        let missingHasData = missing.contains { $0.hasData }
        #expect(!missingHasData, "the harness tells an empty answer from data")
        try await scenario.check(runner, backend: "collectlite engine")
    }

    @Test func lastReportPanelShowsTheSilentHost() async throws {
        let scenario = try DashboardScenario.withCaptures()
        let runner = try EngineRunner(points: scenario.points, database: DashboardScenario.database)
        try await scenario.checkSilentHost(runner)
    }
}
