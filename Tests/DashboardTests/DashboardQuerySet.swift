import Foundation

/// One answered series in a neutral shape, whichever backend produced it.
struct AnswerSeries: Sendable, Hashable {
    enum Value: Sendable, Hashable {
        case null
        case number(Double)
        case string(String)
        case bool(Bool)
    }

    var name: String
    var tags: [String: String]
    var columns: [String]
    var rows: [[Value]]

    /// True when some row has a non-null value outside the time column.
    var hasData: Bool {
        let skip = columns.first == "time" ? 1 : 0
        return rows.contains { row in row.dropFirst(skip).contains { $0 != .null } }
    }
}

/// Something that answers one InfluxQL statement for the dashboards' database:
/// the query engine in-process, or a throw-away InfluxDB over HTTP.
protocol InfluxQLRunner: Sendable {
    /// The series of the first statement's result; throws the statement's or the parse error.
    func run(_ query: String) async throws -> [AnswerSeries]
}

/// Every query the shipped dashboards send, expanded the way Grafana expands them.
struct DashboardQuerySet: Sendable {
    struct Query: Sendable, CustomStringConvertible {
        var dashboard: String
        var location: String
        var text: String
        var description: String { "\(dashboard) › \(location): \(text)" }
    }

    static let datasourceUID = "collectlite"
    /// Pixels of a typical panel: Grafana sends the panel width as max data points.
    static let maxDataPoints: Int64 = 1000
    /// `jsonData.timeInterval` of the provisioned datasource (collectd's Interval).
    static let minIntervalMs: Int64 = 10_000

    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("dashboards")
    }

    static func dashboardFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    static func loadAll() throws -> [GrafanaDashboard] {
        try dashboardFiles().map(GrafanaDashboard.load)
    }

    /// The variable queries of a dashboard (Grafana runs them without time range).
    static func variableQueries(_ dashboard: GrafanaDashboard) -> [(GrafanaDashboard.Variable, String)] {
        dashboard.variables.compactMap { v in
            guard v.type == "query", let q = v.query else { return nil }
            return (v, q)
        }
    }

    /// Panel targets and InfluxDB annotations of `dashboard`, expanded with `templating`.
    static func queries(_ dashboard: GrafanaDashboard, templating: GrafanaTemplating, policy: String? = nil) throws -> [Query] {
        var out: [Query] = []
        for panel in dashboard.panels where panel.type != "row" {
            for target in panel.targets where !target.hide {
                let text = try target.queryText(policy: policy)
                out.append(Query(dashboard: dashboard.fileName, location: "panel \"\(panel.title)\" \(target.refId)",
                                 text: templating.expand(text)))
            }
        }
        for annotation in dashboard.annotations where !annotation.builtIn && annotation.datasource?.type == "influxdb" {
            if let q = annotation.influxQuery {
                out.append(Query(dashboard: dashboard.fileName, location: "annotation \"\(annotation.name)\"",
                                 text: templating.expand(q)))
            }
        }
        return out
    }

    /// Variable values as Grafana reads them from a SHOW TAG VALUES answer (column `value`).
    static func tagValues(_ series: [AnswerSeries]) -> [String] {
        var values = Set<String>()
        for s in series {
            guard let column = s.columns.firstIndex(of: "value") else { continue }
            for row in s.rows where column < row.count {
                if case .string(let v) = row[column] { values.insert(v) }
            }
        }
        return values.sorted()
    }

    /// Runs a dashboard's variable queries on `runner` and builds its templating for
    /// `[fromMs, toMs]` with `selection` (nil = All) for every variable.
    static func templating(for dashboard: GrafanaDashboard, runner: any InfluxQLRunner,
                           fromMs: Int64, toMs: Int64, selection: [String]?) async throws -> GrafanaTemplating {
        var variables: [GrafanaTemplating.Variable] = []
        for (v, q) in variableQueries(dashboard) {
            let options = tagValues(try await runner.run(q))
            variables.append(.init(name: v.name, multi: v.multi, includeAll: v.includeAll, allValue: v.allValue,
                                   options: options, selected: selection))
        }
        let interval = GrafanaTemplating.interval(fromMs: fromMs, toMs: toMs, maxDataPoints: maxDataPoints,
                                                  minIntervalMs: minIntervalMs)
        return GrafanaTemplating(variables: variables, fromMs: fromMs, toMs: toMs, intervalMs: interval)
    }

    /// Runs every query of every dashboard; returns one line per query that failed or had no data.
    static func problems(runner: any InfluxQLRunner, fromMs: Int64, toMs: Int64, selection: [String]?,
                         policy: String? = nil) async throws -> (checked: Int, problems: [String]) {
        var problems: [String] = []
        var checked = 0
        for dashboard in try loadAll() {
            let templating = try await templating(for: dashboard, runner: runner, fromMs: fromMs, toMs: toMs, selection: selection)
            for (v, q) in variableQueries(dashboard) where templating.variables[v.name]?.options.isEmpty ?? true {
                problems.append("\(dashboard.fileName) › variable \(v.name): \(q) → no values")
            }
            for query in try queries(dashboard, templating: templating, policy: policy) {
                checked += 1
                do {
                    let series = try await runner.run(query.text)
                    if !series.contains(where: \.hasData) {
                        problems.append("\(query) → \(series.count) series, none with non-null data")
                    }
                } catch {
                    problems.append("\(query) → error: \(error)")
                }
            }
        }
        return (checked, problems)
    }
}
