import Foundation
import Testing

/// Static checks of the shipped dashboards and provisioning files (no backend needed).
@Suite struct DashboardStructureTests {
    static let expectedFiles = ["collectd-fleet.json", "collectd-host.json"]

    @Test func bothDashboardsShip() throws {
        let names = try DashboardQuerySet.dashboardFiles().map(\.lastPathComponent)
        #expect(names == Self.expectedFiles)
    }

    @Test(arguments: expectedFiles)
    func currentSchemaAndUniqueIDs(file: String) throws {
        let d = try GrafanaDashboard.load(DashboardQuerySet.directory.appendingPathComponent(file))
        #expect(d.schemaVersion >= 39)
        #expect(!d.panels.isEmpty)
        let ids = d.panels.compactMap(\.id)
        #expect(ids.count == d.panels.count, "every panel has an id")
        #expect(Set(ids).count == ids.count, "panel ids are unique")
        #expect(!d.panels.contains { $0.type == "graph" }, "legacy graph panels are not used")
    }

    @Test(arguments: expectedFiles)
    func everyPanelQueriesCollectliteWithAUnit(file: String) throws {
        let d = try GrafanaDashboard.load(DashboardQuerySet.directory.appendingPathComponent(file))
        let known: Set<String> = ["bps", "Bps", "pps", "iops", "percent", "bytes", "short", "s"]
        for panel in d.panels where panel.type != "row" {
            #expect(!panel.targets.isEmpty, "\(panel.title) has queries")
            #expect(panel.datasource == .init(type: "influxdb", uid: DashboardQuerySet.datasourceUID), "\(panel.title)")
            #expect(panel.unit.map(known.contains) == true, "\(panel.title) unit \(panel.unit ?? "none")")
            #expect(panel.gridPos != nil, "\(panel.title) has gridPos")
            for target in panel.targets {
                #expect(target.datasource == .init(type: "influxdb", uid: DashboardQuerySet.datasourceUID), "\(panel.title) \(target.refId)")
                #expect(!target.refId.isEmpty)
                let text = try target.queryText()
                #expect(text.contains("$timeFilter"), "\(panel.title) \(target.refId) filters by time")
                if text.contains("GROUP BY time(") {
                    #expect(text.contains("time($__interval)"), "\(panel.title) \(target.refId) groups by $__interval")
                }
            }
        }
    }

    @Test(arguments: expectedFiles)
    func panelsDoNotOverlap(file: String) throws {
        let d = try GrafanaDashboard.load(DashboardQuerySet.directory.appendingPathComponent(file))
        let boxes = d.panels.compactMap(\.gridPos)
        for (i, a) in boxes.enumerated() {
            #expect(a.x >= 0 && a.x + a.w <= 24 && a.w > 0 && a.h > 0)
            for b in boxes[(i + 1)...] {
                let overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
                #expect(!overlap, "\(a) overlaps \(b)")
            }
        }
    }

    @Test(arguments: expectedFiles)
    func hostVariableAndNotificationAnnotations(file: String) throws {
        let d = try GrafanaDashboard.load(DashboardQuerySet.directory.appendingPathComponent(file))
        let host = try #require(d.variables.first { $0.name == "host" })
        #expect(host.type == "query")
        #expect(host.query == #"SHOW TAG VALUES FROM "cpu_value" WITH KEY = "host""#)
        #expect(host.multi && host.includeAll)
        #expect(host.datasource == .init(type: "influxdb", uid: DashboardQuerySet.datasourceUID))
        let notifications = d.annotations.filter { $0.influxQuery?.contains("collectd_notification") == true }
        #expect(!notifications.isEmpty)
        for a in notifications {
            #expect(a.datasource == .init(type: "influxdb", uid: DashboardQuerySet.datasourceUID))
            #expect(a.query == a.targetQuery, "legacy and current annotation query agree")
        }
    }

    @Test func hostDashboardCoversThePlugins() throws {
        let d = try GrafanaDashboard.load(DashboardQuerySet.directory.appendingPathComponent("collectd-host.json"))
        let texts = try d.panels.flatMap(\.targets).map { try $0.queryText() }.joined(separator: "\n")
        for measurement in ["cpu_value", "interface_rx", "interface_tx", "load_shortterm", "load_midterm", "load_longterm",
                            "memory_value", "df_value", "disk_read", "disk_write", "disk_io_time", "swap_value",
                            "processes_value", "uptime_value", "users_value"] {
            #expect(texts.contains("\"\(measurement)\""), "\(measurement) is graphed")
        }
        #expect(texts.contains(#"non_negative_derivative(mean("value"), 1s) * 8"#))
        #expect(texts.contains(#"non_negative_derivative(mean("value"), 1s) * -8"#))
    }

    static func provisioning(_ path: String) throws -> String {
        try String(contentsOf: DashboardQuerySet.directory.appendingPathComponent("provisioning/\(path)"), encoding: .utf8)
    }

    @Test func datasourceProvisioningMatchesTheDashboards() throws {
        let text = try Self.provisioning("datasources/collectlite.yaml")
        for line in ["apiVersion: 1", "type: influxdb", "uid: \(DashboardQuerySet.datasourceUID)", "access: proxy",
                     "database: collectd", "dbName: collectd", "timeInterval: 10s", "httpMode: GET"] {
            #expect(text.contains(line), "datasource YAML has \(line)")
        }
        #expect(!text.contains("\t"), "YAML has no tabs")
    }

    @Test func dashboardProviderIsAFileProvider() throws {
        let text = try Self.provisioning("dashboards/collectlite.yaml")
        for line in ["apiVersion: 1", "providers:", "type: file", "path: "] {
            #expect(text.contains(line), "provider YAML has \(line)")
        }
        #expect(!text.contains("\t"))
    }
}
