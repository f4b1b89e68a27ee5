import InfluxQL
import Synchronization

/// The queries being answered now, as InfluxDB's task manager keeps them for `SHOW QUERIES`
/// and `KILL QUERY`: each query (all statements of one request) gets the next id from 1 when it
/// starts and leaves the table when it is answered. A killed query stops at its next read of
/// the store with `query interrupted` and shows `killed` until then.
final class RunningQueries: Sendable {
    /// What a running query checks while it reads (`ScanBudget.addPoints`).
    final class Task: Sendable {
        private let killed = Atomic<Bool>(false)

        var isKilled: Bool { killed.load(ordering: .relaxed) }

        func kill() { killed.store(true, ordering: .relaxed) }
    }

    private struct Entry {
        /// Rendered only when `SHOW QUERIES` asks, not on every query's way in.
        let statements: [Statement]
        let database: String
        let began: ContinuousClock.Instant
        let task: Task
    }

    private let table = Mutex<(next: UInt64, entries: [UInt64: Entry])>((1, [:]))

    /// Enters a query; pass the id to `detach` once it is answered.
    func attach(_ statements: [Statement], database: String?, began: ContinuousClock.Instant) -> (id: UInt64, task: Task) {
        let task = Task()
        let id = table.withLock { table in
            let id = table.next
            table.next += 1
            table.entries[id] = Entry(statements: statements, database: database ?? "", began: began, task: task)
            return id
        }
        return (id, task)
    }

    func detach(_ id: UInt64) {
        _ = table.withLock { $0.entries.removeValue(forKey: id) }
    }

    /// Marks query `id` killed; InfluxDB's error when no such query runs.
    func kill(_ id: UInt64) throws(QueryError) {
        guard let task = table.withLock({ $0.entries[id]?.task }) else { throw QueryError("no such query id: \(id)") }
        task.kill()
    }

    /// `SHOW QUERIES`: qid, query (statements joined by ";\n" as InfluxDB renders a query),
    /// database, duration (cut to whole seconds, milliseconds or microseconds, in Go's notation)
    /// and status, by id (InfluxDB lists them in its map's random order).
    func show(now: ContinuousClock.Instant = .now) -> ResultSeries {
        let entries = table.withLock { $0.entries.sorted { $0.key < $1.key } }
        let rows: [[ResultValue]] = entries.map { id, entry in
            [.integer(Int64(truncatingIfNeeded: id)), .string(entry.statements.map(\.description).joined(separator: ";\n")),
             .string(entry.database), .string(Self.duration(now - entry.began)), .string(entry.task.isKilled ? "killed" : "running")]
        }
        return ResultSeries(name: "", columns: ["qid", "query", "database", "duration", "status"], values: rows)
    }

    /// A running time as `SHOW QUERIES` prints it: whole seconds from 1 s, whole milliseconds
    /// from 1 ms, whole microseconds from 1 µs, in Go's `time.Duration` notation.
    static func duration(_ elapsed: Duration) -> String {
        let (seconds, attoseconds) = elapsed.components
        let ns = seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
        let unit: Int64 = ns >= 1_000_000_000 ? 1_000_000_000 : ns >= 1_000_000 ? 1_000_000 : ns >= 1_000 ? 1_000 : 1
        return QueryExecutor.goDuration(ns - ns % unit)
    }
}
