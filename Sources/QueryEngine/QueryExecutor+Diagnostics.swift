import Foundation
import InfluxQL

/// One module of `SHOW DIAGNOSTICS`: a name and its facts (InfluxDB lists the columns in
/// sorted order and the modules by name).
public struct DiagnosticsModule: Sendable, Hashable {
    public var name: String
    public var facts: [String: ResultValue]

    public init(name: String, facts: [String: ResultValue]) {
        self.name = name
        self.facts = facts
    }
}

extension QueryExecutor {
    /// Adds modules to `SHOW DIAGNOSTICS` (the server's build and configuration).
    public func registerDiagnostics(_ modules: [DiagnosticsModule]) {
        diagnosticsModules.withLock { $0 += modules }
    }

    /// `SHOW DIAGNOSTICS [FOR 'module']` as InfluxDB answers it: one series per module, named
    /// after it, its columns sorted, modules by name; `system` (PID, start, uptime) and
    /// `network` (hostname) always, the rest from `registerDiagnostics`.
    func showDiagnostics(_ module: String?) -> [ResultSeries] {
        let modules = [systemModule(), DiagnosticsModule(name: "network", facts: ["hostname": .string(ProcessInfo.processInfo.hostName)])]
            + diagnosticsModules.withLock { $0 }
        return modules.filter { module == nil || $0.name == module }.sorted { $0.name < $1.name }.map { m in
            let columns = m.facts.keys.sorted()
            return ResultSeries(name: m.name, columns: columns, values: [columns.map { m.facts[$0]! }])
        }
    }

    /// The process: its id, the time now and when the engine started (RFC 3339), and the
    /// uptime as Go prints a duration.
    func systemModule() -> DiagnosticsModule {
        let elapsed = (ContinuousClock.now - started.clock).components
        let uptime = elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000
        return DiagnosticsModule(name: "system", facts: [
            "PID": .integer(Int64(ProcessInfo.processInfo.processIdentifier)),
            "currentTime": .string(TimeFormat.rfc3339Nano(started.wall + uptime)),
            "started": .string(TimeFormat.rfc3339Nano(started.wall)),
            "uptime": .string(Self.goDuration(uptime)),
        ])
    }
}
