import Testing
import TimeSeries
@testable import QueryEngine

/// `SHOW DIAGNOSTICS [FOR 'module']` in InfluxDB's shape: a series per module named after it,
/// columns sorted, modules by name; `system` and `network` always, others registered.
@Suite struct DiagnosticsTests {
    @Test func modulesAreSortedAndFiltered() throws {
        let executor = QueryExecutor(store: MemoryStore())
        executor.registerDiagnostics(
            [DiagnosticsModule(name: "build", facts: ["Version": .string("1.6.7-collectlite"), "Commit": .string("abc"), "Branch": .string("")])])
        let all = try #require(executor.execute("SHOW DIAGNOSTICS", options: QueryOptions(now: 0)).results.first?.series)
        #expect(all.map(\.name) == ["build", "network", "system"])
        #expect(all[0].columns == ["Branch", "Commit", "Version"])
        #expect(all[0].values == [[.string(""), .string("abc"), .string("1.6.7-collectlite")]])
        #expect(all[2].columns == ["PID", "currentTime", "started", "uptime"])
        guard case .string(let uptime) = all[2].values[0][3] else { Issue.record("uptime is not text"); return }
        #expect(uptime.hasSuffix("s"))
        let build = executor.execute("SHOW DIAGNOSTICS FOR 'build'", options: QueryOptions(now: 0)).results.first?.series
        #expect(build?.map(\.name) == ["build"])
        let none = executor.execute("SHOW DIAGNOSTICS FOR 'nosuch'", options: QueryOptions(now: 0)).results.first
        #expect(none?.series.isEmpty == true && none?.error == nil)
    }
}
