import Foundation
import Testing
import TimeSeries

/// The data and the dashboard states every backend is checked with: generated multi-host
/// collectd data (plus real collectd captures where available), time ranges of 1 h and 6 h
/// ending at the last sample, and the host variable at All and at one host.
struct DashboardScenario: Sendable {
    static let database = "collectd"

    struct Run: Sendable, CustomStringConvertible {
        var fromMs: Int64
        var toMs: Int64
        var selection: [String]?
        var description: String {
            "range \((toMs - fromMs) / 60_000) min, host \(selection.map { $0.joined(separator: ",") } ?? "All")"
        }
    }

    var fleet: CollectdFleetData
    var extraPoints: [Point]

    /// Generated data ending at `endMs` (default: a fixed instant, so runs are reproducible).
    init(endMs: Int64 = 1_700_003_600_000, extraPoints: [Point] = []) {
        fleet = CollectdFleetData(startMs: endMs - 3_600_000 + 10_000, samples: 360)
        self.extraPoints = extraPoints
    }

    var points: [Point] { fleet.points() + extraPoints }

    /// Generated data plus the real collectd captures, the generated hour ending just after
    /// the last captured sample so one time range holds both.
    static func withCaptures() throws -> DashboardScenario {
        let captured = try CollectdCaptures.points()
        guard let last = captured.map(\.time).max() else { return DashboardScenario() }
        let lastMs = last / 1_000_000
        return DashboardScenario(endMs: (lastMs / 10_000 + 1) * 10_000, extraPoints: captured)
    }

    /// Every host in the data set (what the host variable must offer).
    var hostNames: Set<String> {
        Set(fleet.hosts.map(\.name) + extraPoints.compactMap { $0.key[tag: "host"] })
    }

    var runs: [Run] {
        let end = fleet.endMs + 1000
        let singleHost = fleet.hosts[0].name
        return [
            Run(fromMs: end - 3_600_000, toMs: end, selection: nil),
            Run(fromMs: end - 3_600_000, toMs: end, selection: [singleHost]),
            Run(fromMs: end - 6 * 3_600_000, toMs: end, selection: [singleHost, fleet.hosts[2].name]),
        ]
    }

    /// Runs every dashboard query of every run on `runner` and records an issue per failure.
    /// With `policy`, every builder-mode query reads that retention policy (Grafana's selector).
    func check(_ runner: any InfluxQLRunner, backend: String, policy: String? = nil,
               sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for dashboard in try DashboardQuerySet.loadAll() {
            for (variable, query) in DashboardQuerySet.variableQueries(dashboard) {
                let offered = Set(DashboardQuerySet.tagValues(try await runner.run(query)))
                #expect(offered == hostNames, "\(backend): \(dashboard.fileName) variable \(variable.name)",
                        sourceLocation: sourceLocation)
            }
        }
        var total = 0
        for run in runs {
            let (checked, problems) = try await DashboardQuerySet.problems(runner: runner, fromMs: run.fromMs, toMs: run.toMs,
                                                                           selection: run.selection, policy: policy)
            total += checked
            for problem in problems {
                Issue.record("\(backend), \(run): \(problem)", sourceLocation: sourceLocation)
            }
        }
        #expect(total > 40, "dashboards hold the expected number of queries", sourceLocation: sourceLocation)
    }

    /// The "last report per host" panel must show the silent host with the oldest time.
    func checkSilentHost(_ runner: any InfluxQLRunner, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let fleetDashboard = try DashboardQuerySet.loadAll().first { $0.uid == "collectd-fleet" }
        let dashboard = try #require(fleetDashboard, sourceLocation: sourceLocation)
        let panel = try #require(dashboard.panels.first { $0.title.hasPrefix("Last report") }, sourceLocation: sourceLocation)
        let run = runs[0]
        let templating = try await DashboardQuerySet.templating(for: dashboard, runner: runner, fromMs: run.fromMs,
                                                               toMs: run.toMs, selection: nil)
        let series = try await runner.run(templating.expand(try panel.targets[0].queryText()))
        var lastSeen: [String: Double] = [:]
        for s in series {
            if let host = s.tags["host"], case .number(let t)? = s.rows.last?.first { lastSeen[host] = t }
        }
        let silent = try #require(lastSeen[fleet.silentHost], "silent host listed", sourceLocation: sourceLocation)
        #expect(silent < Double(fleet.silentAfterMs + 1000), sourceLocation: sourceLocation)
        for host in fleet.hosts.dropLast() {
            let seen = try #require(lastSeen[host.name], "\(host.name) listed", sourceLocation: sourceLocation)
            #expect(seen > silent + 600_000, "\(host.name) reported after the silent host", sourceLocation: sourceLocation)
        }
    }
}
