import InfluxQL
import Synchronization
import TimeSeries

/// Runs the continuous queries of every database when they are due: one `tick(now:)` per
/// check (the server calls it every second; tests drive it with a fake clock).
///
/// Each CQ's last run is kept with the CQ in its database, so a restart resumes the schedule.
/// A tick covers every window missed since the last run within the RESAMPLE FOR span (see
/// `ContinuousQuerySchedule.catchUp`). A failing window is reported and the schedule moves on,
/// as InfluxDB's does: the next run retries it when RESAMPLE FOR covers it.
public final class ContinuousQueryRunner: Sendable, StatsProvider {
    /// What one window of one CQ did.
    public struct Report: Sendable, Hashable {
        public var database: String
        public var name: String
        public var window: ContinuousQuerySchedule.Window
        /// Points written, or nil when the run failed.
        public var written: Int?
        public var error: String?

        /// `[start, end)` in RFC 3339 (for logs).
        public var windowText: String {
            "[" + TimeFormat.rfc3339Nano(window.start) + ", " + TimeFormat.rfc3339Nano(window.end) + ")"
        }
    }

    let store: any SeriesStore
    let executor: QueryExecutor
    private let counters = Mutex((runs: 0, failures: 0, points: 0))

    public init(store: any SeriesStore, executor: QueryExecutor) {
        self.store = store
        self.executor = executor
    }

    /// Runs every due CQ for the windows it is owed at `now` (ns) and records the last runs.
    public func tick(now: Int64) -> [Report] {
        var reports: [Report] = []
        for database in (try? store.databases()) ?? [] {
            guard let queries = try? store.continuousQueries(database: database).queries, !queries.isEmpty else { continue }
            for cq in queries {
                guard let statement = Self.parse(cq.query) else { continue }
                // A CQ without an interval, or a raw one, never runs (InfluxDB skips it too).
                guard let schedule = try? ContinuousQuerySchedule(statement),
                      let due = schedule.catchUp(lastRun: cq.lastRun, now: now) else { continue }
                for window in due.windows {
                    reports.append(run(statement, window: window, database: database, now: now))
                }
                try? store.updateContinuousQueries(database: database) { $0.setLastRun(name: cq.name, due.lastRun) }
            }
        }
        return reports
    }

    private func run(_ cq: CreateContinuousQueryStatement, window: ContinuousQuerySchedule.Window, database: String,
                     now: Int64) -> Report {
        let select = ContinuousQuerySchedule.statement(cq.select, window: window)
        let response = executor.execute([.select(select)], options: QueryOptions(database: database, now: now))
        var report = Report(database: database, name: cq.name, window: window)
        if let error = response.results.first?.error ?? response.authorizationError {
            report.error = error
        } else {
            var written = 0
            for series in response.results.first?.series ?? [] {
                for row in series.values { if case .integer(let n) = row.last { written += Int(n) } }
            }
            report.written = written
        }
        counters.withLock {
            $0.runs += 1
            if report.error != nil { $0.failures += 1 }
            $0.points += report.written ?? 0
        }
        return report
    }

    static func parse(_ text: String) -> CreateContinuousQueryStatement? {
        guard case .createContinuousQuery(let statement)? = (try? InfluxQLParser.parse(text))?.first else { return nil }
        return statement
    }

    public func stats() -> [StatsGroup] {
        let c = counters.withLock { $0 }
        return [StatsGroup(name: "cq", values: [
            ("runs_total", Double(c.runs)),
            ("run_failures_total", Double(c.failures)),
            ("points_written_total", Double(c.points)),
        ])]
    }
}
