import Foundation
import Testing

/// The engine's answers to every dashboard query compared with InfluxDB 1.6.7's on the same
/// data: same series (name, tags, columns), same times, values equal to 1e-9 relative.
@Suite(.serialized, .enabled(if: InfluxdProcess.isInstalled || InfluxdProcess.isCI, "needs /usr/bin/influxd"))
struct DashboardParityTests {
    static func key(_ s: AnswerSeries) -> String {
        s.name + "|" + s.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    static func same(_ a: AnswerSeries.Value, _ b: AnswerSeries.Value) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x == y || abs(x - y) <= 1e-9 * max(abs(x), abs(y))
        default: return a == b
        }
    }

    /// Differences between two answers, as readable lines (empty when equal).
    static func differences(_ engine: [AnswerSeries], _ influx: [AnswerSeries]) -> [String] {
        var out: [String] = []
        if engine.map(key) != influx.map(key) {
            out.append("series engine \(engine.map(key)) influx \(influx.map(key))")
            return out
        }
        for (e, i) in zip(engine, influx) {
            if e.columns != i.columns { out.append("\(key(e)) columns \(e.columns) vs \(i.columns)"); continue }
            if e.rows.count != i.rows.count { out.append("\(key(e)) rows \(e.rows.count) vs \(i.rows.count)"); continue }
            for (r, (er, ir)) in zip(e.rows, i.rows).enumerated() where er.count != ir.count || !zip(er, ir).allSatisfy(same) {
                out.append("\(key(e)) row \(r): \(er) vs \(ir)")
                break
            }
        }
        return out
    }

    @Test func engineAnswersDashboardQueriesAsInfluxDB() async throws {
        guard InfluxdProcess.isInstalled else {
            Issue.record("CI=true but \(InfluxdProcess.executable) is missing")
            return
        }
        let scenario = try DashboardScenario.withCaptures()
        let points = scenario.points
        let engine = try EngineRunner(points: points, database: DashboardScenario.database)
        let server = try await InfluxdProcess.start()
        defer { server.stop() }
        try await server.execute("CREATE DATABASE \(DashboardScenario.database)")
        let lines = points.map(\.lineProtocolMs)
        for start in stride(from: 0, to: lines.count, by: 10_000) {
            try await server.write(lines: Array(lines[start..<min(start + 10_000, lines.count)]), database: DashboardScenario.database)
        }
        let influx = InfluxdRunner(server: server, database: DashboardScenario.database)
        for run in scenario.runs {
            for dashboard in try DashboardQuerySet.loadAll() {
                let templating = try await DashboardQuerySet.templating(for: dashboard, runner: influx, fromMs: run.fromMs,
                                                                       toMs: run.toMs, selection: run.selection)
                for query in try DashboardQuerySet.queries(dashboard, templating: templating) {
                    let expected = try await influx.run(query.text)
                    let actual: [AnswerSeries]
                    do { actual = try await engine.run(query.text) } catch {
                        Issue.record("\(run): \(query) → engine error: \(error)")
                        continue
                    }
                    let diff = Self.differences(actual, expected)
                    if !diff.isEmpty {
                        let detail = Array(diff.prefix(3)).joined(separator: "\n  ")
                        Issue.record("\(run): \(query)\n  \(detail)")
                    }
                }
            }
        }
    }
}

@Suite struct AnswerComparisonTests {
    static let base = AnswerSeries(name: "m", tags: ["host": "a"], columns: ["time", "mean"],
                                   rows: [[.number(1000), .number(0.5)], [.number(2000), .null]])

    @Test func equalAnswersHaveNoDifferences() {
        var close = Self.base
        close.rows[0][1] = .number(0.5 + 1e-12)
        #expect(DashboardParityTests.differences([Self.base], [close]).isEmpty)
    }

    @Test(arguments: [
        { (s: inout AnswerSeries) in s.rows[0][1] = .number(0.6) },
        { (s: inout AnswerSeries) in s.rows[1][1] = .number(0) },
        { (s: inout AnswerSeries) in s.rows.removeLast() },
        { (s: inout AnswerSeries) in s.tags["host"] = "b" },
        { (s: inout AnswerSeries) in s.columns[1] = "max" },
    ] as [@Sendable (inout AnswerSeries) -> Void])
    func anyChangeIsADifference(change: @Sendable (inout AnswerSeries) -> Void) {
        var other = Self.base
        change(&other)
        #expect(!DashboardParityTests.differences([Self.base], [other]).isEmpty)
    }
}
