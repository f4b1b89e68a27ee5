import Foundation
import QueryEngine
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

    /// Docs/retention.md's recipe, pasted as written (its clock at the data's end): a 5-minute
    /// rollup policy, a CQ, and the backfill of the stored week. Then every dashboard query
    /// again with Grafana's retention-policy selector on the rollup.
    @Test func theDashboardsWorkOnTheRolledUpPolicyOfTheDocsRecipe() async throws {
        let scenario = try DashboardScenario.withCaptures()
        let runner = try EngineRunner(points: scenario.points, database: DashboardScenario.database)
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Docs/retention.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let recipe = try #require(text.components(separatedBy: "## Recipe").last?.components(separatedBy: "```sql\n").dropFirst().first?
            .components(separatedBy: "```").first)
        let statements = recipe.split(separator: "\n").map(String.init)
        #expect(statements.count == 4)
        let now = Int64(scenario.runs[0].toMs) * 1_000_000
        for statement in statements {
            let response = runner.executor.execute(statement, options: QueryOptions(database: DashboardScenario.database, now: now))
            #expect(response.parseError == nil && response.results.allSatisfy { $0.error == nil }, "\(statement): \(response)")
        }
        try await scenario.check(runner, backend: "collectlite engine, five_min policy", policy: "five_min")
    }

    @Test func lastReportPanelShowsTheSilentHost() async throws {
        let scenario = try DashboardScenario.withCaptures()
        let runner = try EngineRunner(points: scenario.points, database: DashboardScenario.database)
        try await scenario.checkSilentHost(runner)
    }
}
