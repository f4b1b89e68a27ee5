import CollectdProtocol
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSupport

/// The web console in headless Chromium against a real `collectlite serve`: fed by `collectlite
/// send` for several hosts, by real collectd, and with authentication on.
@Suite(.serialized) struct ConsoleBrowserTests {
    /// True when the browser tests can run; fails the test under CI=true when something is missing.
    static func browserAvailable() -> Bool {
        let missing = ConsoleBrowser.missing()
        if missing.isEmpty { return true }
        #expect(!Environment.isCI, "CI=true but missing: \(missing.joined(separator: ", ")) (Tests/run.sh installs them)")
        return false
    }

    static func count(_ http: Int, _ query: String) async throws -> Int {
        let (_, json) = try await HTTPEndToEndTests.get(http, "/query", ["q": query, "db": "collectd"])
        return (HTTPEndToEndTests.series(json).first?["values"] as? [[Any]])?.first?[1] as? Int ?? 0
    }

    /// Waits until `query` (a count) reaches `target`: data of the wanted length has arrived.
    static func waitForCount(_ http: Int, _ query: String, _ target: Int, within: Duration = .seconds(120)) async throws {
        let deadline = ContinuousClock.now + within
        var last = 0
        while ContinuousClock.now < deadline {
            last = try await count(http, query)
            if last >= target { return }
            try await Task.sleep(for: .milliseconds(500))
        }
        throw E2EError("\(query): \(last) after \(within), wanted \(target)")
    }

    static func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }

    // The synthetic value lists of `collectlite send` (SendCommand+ValueLists.swift) for host
    // number h: per round, cpu counters grow by h+10 (user), h+50 (system), h+90 (idle), h+130
    // (wait), so busy = (3h+190)/(4h+280); memory used 1 GiB of 10 GiB; load 0.5…1.4; eth0
    // and lo each count 125 000·h bytes in and 62 500·h out per round (one round a second).
    static func expectedBusy(_ h: Int) -> Double { 100 * Double(3 * h + 190) / Double(4 * h + 280) }

    @Test func hostsHostPageExploreAndStatusWithSyntheticHosts() async throws {
        guard Self.browserAvailable() else { return }
        let dir = try TemporaryDirectory("console")
        defer { dir.remove() }
        let server = try ServeEndToEndTests.serve(dir.path)
        defer { if server.isRunning { server.signal(SIGKILL) } }
        let udp = try await server.collectdPort()
        let http = try await server.httpPort()
        let hosts = 6
        let sender = try ServerProcess.collectlite(["send", "--to", "127.0.0.1:\(udp)", "--hosts", "\(hosts)", "--count", "100000", "--rate", "1"])
        defer { sender.signal(SIGKILL) }

        // A host that went silent five minutes ago, every 10 s before that, and a collectd
        // failure notification of host 1 a minute ago.
        let now = Int64(Date().timeIntervalSince1970)
        let gone = try ConsoleBrowser.run(try ServerProcess.collectliteBinary(), [
            "send", "--to", "127.0.0.1:\(udp)",
            "--value", "gone-host/load/load=\(now - 310):0.2:0.2:0.2",
            "--value", "gone-host/load/load=\(now - 300):0.3:0.3:0.3",
        ], timeout: .seconds(30))
        #expect(gone.status == 0, "\(gone.errors)")
        var encoder = CollectdEncoder()
        let notice = Notification(host: "synthetic-host1", plugin: "disk", pluginInstance: "sda", time: (now - 60) * 1_000_000_000,
                                  severity: .failure, message: "sda: I/O error (console test)")
        let udpSender = UDPSender(port: udp)
        for datagram in encoder.append(notice) + encoder.flush() { #expect(udpSender.send(datagram)) }

        // 40 s of data: enough 15 s windows for derivatives in the 15-minute view.
        try await Self.waitForCount(http, #"SELECT count("value") FROM "load_shortterm" WHERE "host" = 'synthetic-host1'"#, 40)

        let out = ConsoleBrowser.artifacts("synthetic")
        let explore = #"SELECT mean("value") FROM "load_shortterm" WHERE $timeFilter GROUP BY time($__interval), "host" fill(null)"#
        let report = try ConsoleBrowser.check([
            "--url", "http://127.0.0.1:\(http)", "--scenario", "data", "--out", out,
            "--host", "synthetic-host1", "--explore", explore, "--filter", "host1",
        ])
        sender.signal(SIGKILL)
        await ServeEndToEndTests.stop(server)
        #expect(report["exception"] == nil, "\(report["exception"] ?? "")")

        // Hosts: every host, with the figures the sender implies.
        #expect(report["hosts_state"] as? String == "hosts", "\(report["hosts_error"] ?? "")")
        let rows = report["hosts"] as? [[String: Any]] ?? []
        let byHost = Dictionary(rows.map { ($0["host"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        #expect(Set(byHost.keys) == Set((1...hosts).map { "synthetic-host\($0)" } + ["gone-host"]))
        let rx1 = Self.number(byHost["synthetic-host1"]?["rx"]) ?? 0
        for h in 1...hosts {
            let row = try #require(byHost["synthetic-host\(h)"])
            #expect(row["stale"] as? Bool == false, "synthetic-host\(h) marked stale")
            #expect(row["painted"] as? Bool == true)
            let busy = try #require(Self.number(row["cpu"]), "no CPU for host \(h)")
            #expect(abs(busy - Self.expectedBusy(h)) < 1.5, "host \(h): CPU busy \(busy), expected \(Self.expectedBusy(h))")
            let memory = try #require(Self.number(row["mem"]))
            #expect(abs(memory - 10) < 0.5, "host \(h): memory used \(memory) %")
            let load = try #require(Self.number(row["load"]))
            #expect((0.5...1.4).contains(load), "host \(h): load \(load)")
            // rx/tx of eth0 only (lo left out): 1 Mbit/s per host number in, half out. The last
            // window of a live range is partial, so the level has a tolerance; ratios do not.
            let rx = try #require(Self.number(row["rx"]))
            let tx = try #require(Self.number(row["tx"]))
            #expect(rx > 0.6e6 * Double(h) && rx < 1.4e6 * Double(h), "host \(h): rx \(rx) bit/s")
            #expect(abs(tx / rx - 0.5) < 0.02, "host \(h): tx/rx \(tx / rx)")
            #expect(abs(rx / rx1 - Double(h)) < 0.05 * Double(h), "host \(h): rx is \(rx / rx1) × host 1's")
            let seen = try #require(Self.number(row["seen"]))
            #expect(Double(now * 1000) - seen < 60_000)
            let sparks = row["sparkPoints"] as? [String: Any] ?? [:]
            for key in ["cpu", "mem", "load", "rx", "tx"] {
                #expect((Self.number(sparks[key]) ?? 0) >= 2, "host \(h): \(key) sparkline has \(sparks[key] ?? 0) points")
            }
        }
        let gone1 = try #require(byHost["gone-host"])
        #expect(gone1["stale"] as? Bool == true, "a host silent for 5 minutes at a 10 s interval is stale")
        #expect(report["sorted_by_cpu"] as? [String] == (1...hosts).reversed().map { "synthetic-host\($0)" } + ["gone-host"])
        #expect(report["slash_focuses_filter"] as? Bool == true)
        #expect(report["filtered"] as? [String] == ["synthetic-host1"])
        #expect((report["url_after_filter"] as? String)?.contains("filter=host1") == true)

        // Host page: the panels with data draw non-empty charts; the others are listed as absent.
        #expect(report["host_state"] as? String == "host", "\(report["host_error"] ?? "")")
        let panels = report["panels"] as? [[String: Any]] ?? []
        let shown = panels.filter { $0["hidden"] as? Bool == false }
        #expect(Set(shown.compactMap { $0["title"] as? String }) == [
            "CPU by state", "Load average", "Interface traffic (rx up, tx down)", "Interface packets (rx up, tx down)",
            "Interface errors and drops", "Memory by state",
        ])
        for panel in shown {
            let title = panel["title"] as? String ?? "?"
            #expect((Self.number(panel["points"]) ?? 0) > 10, "\(title): \(panel["points"] ?? 0) points")
            #expect(panel["drawn"] as? Bool == true, "\(title) not drawn")
            #expect((Self.number(panel["inked"]) ?? 0) > 500, "\(title): \(panel["inked"] ?? 0) pixels painted")
            #expect(Self.number(panel["notes"]) == 1, "\(title): the notification is not marked")
            #expect((panel["queries"] as? String)?.contains(#""host" =~ /^synthetic-host1$/"#) == true)
        }
        #expect(Self.number(report["notifications"]) == 1)

        // Explore: the query drawn as a chart (one line per host), completion, a table for SHOW.
        #expect(report["explore_state"] as? String == "explore", "\(report["explore_error"] ?? "")")
        let chart = report["explore"] as? [String: Any] ?? [:]
        #expect(chart["state"] as? String == "chart")
        #expect(chart["drawn"] as? Bool == true)
        #expect(Self.number(chart["lines"]) == Double(hosts + 1))
        #expect((Self.number(chart["points"]) ?? 0) >= Double(hosts * 3))
        #expect((report["completions"] as? [String])?.first == "load_shortterm")
        #expect(report["completed_text"] as? String == #"SELECT * FROM "load_shortterm""#)
        #expect(report["show_state"] as? String == "table")
        // cpu_value, interface_rx/tx, load_shortterm/midterm/longterm, memory_value, collectd_notification
        #expect(Self.number(report["show_rows"]) == 8)
        #expect((report["explore_url"] as? String)?.contains("q=SHOW") == true, "the query is kept in the URL")

        // Status: figures from SHOW STATS.
        #expect(report["status_state"] as? String == "status", "\(report["status_error"] ?? "")")
        let cards = report["status_cards"] as? [String: String] ?? [:]
        #expect(cards["values stored"].map { $0 != "–" && $0 != "0" } == true, "\(cards)")
        #expect(cards["values received / s"].map { $0 != "–" } == true, "\(cards)")
        #expect((report["status_disk"] as? String)?.contains("collectd") == true)

        #expect(report["phone_overflow"] as? Bool == false, "the page scrolls sideways on a phone")
        #expect(ConsoleBrowser.errors(report).isEmpty, "browser console: \(ConsoleBrowser.errors(report))")
        for name in ["console-hosts.png", "console-host.png", "console-explore.png", "console-status.png"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + name), "no screenshot \(name)")
        }
    }

    @Test func wrongPasswordIsRefusedAndTheRightOneAccepted() async throws {
        guard Self.browserAvailable() else { return }
        let dir = try TemporaryDirectory("console-auth")
        defer { dir.remove() }
        let users = dir.path + "/users"
        let added = try ConsoleBrowser.run(try ServerProcess.collectliteBinary(), ["user", "add", "viewer", "--auth-file", users],
                                           stdin: "right-pass\n", timeout: .seconds(60))
        #expect(added.status == 0, "\(added.errors)")
        let server = try ServeEndToEndTests.serve(dir.path + "/data", ["--http-auth-file", users])
        defer { if server.isRunning { server.signal(SIGKILL) } }
        let udp = try await server.collectdPort()
        let http = try await server.httpPort()
        let sent = try ConsoleBrowser.run(try ServerProcess.collectliteBinary(), ["send", "--to", "127.0.0.1:\(udp)", "--hosts", "2", "--count", "2", "--rate", "0"],
                                          timeout: .seconds(30))
        #expect(sent.status == 0)
        let report = try ConsoleBrowser.check([
            "--url", "http://127.0.0.1:\(http)", "--scenario", "auth", "--out", ConsoleBrowser.artifacts("auth"),
            "--user", "viewer", "--password", "right-pass", "--wrong-password", "wrong-pass",
        ])
        await ServeEndToEndTests.stop(server)
        #expect(report["exception"] == nil, "\(report["exception"] ?? "")")
        #expect(report["asked_for_credentials"] as? Bool == true)
        #expect((report["wrong_password_message"] as? String)?.isEmpty == false)
        #expect(report["wrong_password_ready"] as? String == "", "data shown after a wrong password")
        #expect(report["after_sign_in_state"] as? String == "hosts", "\(report["after_sign_in_error"] ?? "")")
        #expect(Self.number(report["after_sign_in_rows"]) == 2)
        // The refused /query requests are the only errors the browser reports.
        #expect(ConsoleBrowser.errors(report, allowing: ["status of 401"]).isEmpty, "browser console: \(ConsoleBrowser.errors(report))")
    }

    @Test func realCollectdHostInTheConsole() async throws {
        guard Self.browserAvailable(), CollectdEndToEndTests.collectdAvailable() else { return }
        let dir = try TemporaryDirectory("console-collectd")
        defer { dir.remove() }
        let server = try ServeEndToEndTests.serve(dir.path + "/data")
        defer { if server.isRunning { server.signal(SIGKILL) } }
        let udp = try await server.collectdPort()
        let http = try await server.httpPort()
        let plugins = ["cpu", "df", "disk", "interface", "load", "memory", "processes", "swap", "uptime", "users"]
        let config = """
            Hostname "console-host"
            FQDNLookup false
            Interval 1
            BaseDir "\(dir.path)"
            PIDFile "\(dir.path)/collectd.pid"
            AutoLoadPlugin false
            TypesDB "/usr/share/collectd/types.db"
            \(plugins.map { "LoadPlugin \($0)" }.joined(separator: "\n"))
            LoadPlugin network
            <Plugin network>
              Server "127.0.0.1" "\(udp)"
            </Plugin>

            """
        try config.write(toFile: dir.path + "/collectd.conf", atomically: true, encoding: .utf8)
        let collectd = try ServerProcess(executable: Environment.collectd, arguments: ["-f", "-C", dir.path + "/collectd.conf"])
        defer {
            // collectd inherits a signal mask with SIGTERM blocked from the test process.
            collectd.signal(SIGKILL)
        }
        try await Self.waitForCount(http, #"SELECT count("value") FROM "load_shortterm" WHERE "host" = 'console-host'"#, 40)

        let report = try ConsoleBrowser.check([
            "--url", "http://127.0.0.1:\(http)", "--scenario", "data", "--out", ConsoleBrowser.artifacts("collectd"),
            "--host", "console-host", "--filter", "console",
            "--explore", #"SELECT non_negative_derivative(mean("value"), 1s) FROM "cpu_value" WHERE "type_instance" = 'user' AND $timeFilter GROUP BY time($__interval), "instance" fill(null)"#,
        ])
        collectd.signal(SIGKILL)
        _ = await collectd.waitForExit()
        #expect(report["exception"] == nil, "\(report["exception"] ?? "")\ncollectd: \(collectd.log)")

        let rows = report["hosts"] as? [[String: Any]] ?? []
        #expect(rows.map { $0["host"] as? String } == ["console-host"])
        let row = try #require(rows.first)
        #expect(row["stale"] as? Bool == false)
        let busy = try #require(Self.number(row["cpu"]))
        #expect(busy >= 0 && busy <= 100, "CPU busy \(busy)")
        let memory = try #require(Self.number(row["mem"]))
        #expect(memory > 0 && memory < 100, "memory used \(memory)")
        #expect((Self.number(row["load"]) ?? -1) >= 0)

        // Every panel is shown exactly when its own queries find values for the host, and a
        // shown panel draws them; df and disk appear when this machine reports them.
        #expect(report["host_state"] as? String == "host", "\(report["host_error"] ?? "")")
        let panels = report["panels"] as? [[String: Any]] ?? []
        #expect(panels.count >= 15)
        for panel in panels {
            let title = panel["title"] as? String ?? "?"
            var found = false
            for query in (panel["queries"] as? String ?? "").split(separator: "\n") {
                let (_, json) = try await HTTPEndToEndTests.get(http, "/query", ["q": String(query), "db": "collectd", "epoch": "ms"])
                for series in HTTPEndToEndTests.series(json) {
                    let values = series["values"] as? [[Any]] ?? []
                    if values.contains(where: { $0.dropFirst().contains { $0 is NSNumber } }) { found = true }
                }
            }
            #expect((panel["hidden"] as? Bool) == !found, "\(title): hidden \(panel["hidden"] ?? "?"), data \(found)")
            guard found else { continue }
            #expect((Self.number(panel["points"]) ?? 0) > 0, "\(title) has no points")
            if title != "Uptime" {
                #expect(panel["drawn"] as? Bool == true, "\(title) not drawn")
                #expect((Self.number(panel["inked"]) ?? 0) > 500, "\(title): nothing painted")
            }
        }
        let shown = Set(panels.filter { $0["hidden"] as? Bool == false }.compactMap { $0["title"] as? String })
        #expect(shown.isSuperset(of: ["CPU by state", "Load average", "Memory by state", "Processes by state", "Uptime"]), "\(shown)")
        let chart = report["explore"] as? [String: Any] ?? [:]
        #expect(chart["state"] as? String == "chart")
        #expect((Self.number(chart["points"]) ?? 0) > 0)
        #expect(ConsoleBrowser.errors(report).isEmpty, "browser console: \(ConsoleBrowser.errors(report))")
        await ServeEndToEndTests.stop(server)
    }
}
