import InfluxQL
import Synchronization

/// SELECT plans and series selections kept from one run of a statement to the next, while the
/// store's catalog (`SeriesQuerier.catalogVersion`: databases, policies, series, fields) stays
/// the same.
///
/// A dashboard asks the same statements at every refresh, and only their time comparisons move
/// (Grafana writes `$timeFilter` as new absolute times each time). Planning (resolving sources,
/// policies, field keys and columns) and selecting series from the index do not read those
/// comparisons: the plan reads no part of the WHERE clause, and the selection reads the clause
/// without its time comparisons (`Condition.withoutTime`). So both are kept under the statement
/// with its time comparisons taken out; a statement found here gets its own time range from its
/// own clause (`SelectRunner.retimed`) and is then answered as a new plan would answer it.
///
/// Not kept: a statement whose plan reads `now()` (`GROUP BY time(…, now())`), a store without a
/// catalog version (a read-only store: another process changes its files), and selections of more
/// than `maxSeries` series (a fleet query's planning is a small part of it; its selection is not
/// small). Failed plans are not kept.
final class PlanCache: Sendable {
    /// A statement with its WHERE clause without time comparisons, and its hash, made once per
    /// parsed text (`ParseCache.Parsed`): hashing and comparing a statement is most of a lookup.
    final class Shape: Sendable {
        let statement: SelectStatement
        let hash: Int

        /// nil for a statement whose plan may not be kept (it reads `now()`).
        init?(_ statement: SelectStatement) {
            for case .time(_, let offset?) in statement.dimensions {
                if case .call = offset { return nil }
            }
            var shape = statement
            shape.condition = statement.condition.flatMap(Condition.withoutTime)
            self.statement = shape
            hash = shape.hashValue
        }
    }

    struct Key: Hashable, Sendable {
        var shape: Shape
        var database: String?
        var policy: String?

        static func == (a: Key, b: Key) -> Bool {
            a.database == b.database && a.policy == b.policy && (a.shape === b.shape || a.shape.statement == b.shape.statement)
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(shape.hash)
            hasher.combine(database)
            hasher.combine(policy)
        }
    }

    private struct Entry {
        var version: UInt64
        var plan: SelectPlan
        var selection: SelectRunner.Selection
        var lastUse: UInt64
    }

    private struct State: @unchecked Sendable {
        // Plans and selections are values read only (copied out) under the lock.
        var entries: [Key: Entry] = [:]
        var clock: UInt64 = 0
        /// Statements answered from a kept plan so far.
        var hits = 0
    }

    private let state = Mutex(State())
    let capacity: Int
    /// Selections of more series than this are made anew each time.
    static let maxSeries = 4_096

    init(capacity: Int = 256) {
        self.capacity = max(1, capacity)
    }

    /// The key of `statement` run with `options`, or nil when its plan may not be kept. `shape`:
    /// the statement's own, made when it was parsed (nil: made here).
    static func key(_ statement: SelectStatement, options: QueryOptions, shape: Shape? = nil) -> Key? {
        guard let shape = shape ?? Shape(statement) else { return nil }
        return Key(shape: shape, database: options.database, policy: options.retentionPolicy)
    }

    /// The plan and selection kept for `key` at catalog version `version`.
    func find(_ key: Key, version: UInt64) -> (plan: SelectPlan, selection: SelectRunner.Selection)? {
        state.withLock { s -> (SelectPlan, SelectRunner.Selection)? in
            guard let i = s.entries.index(forKey: key), s.entries.values[i].version == version else { return nil }
            s.clock += 1
            s.hits += 1
            s.entries.values[i].lastUse = s.clock
            return (s.entries.values[i].plan, s.entries.values[i].selection)
        }
    }

    /// Statements answered from a kept plan so far.
    var hits: Int { state.withLock { $0.hits } }

    /// Keeps a plan and selection made after catalog version `version` was read.
    func keep(_ key: Key, version: UInt64, plan: SelectPlan, selection: SelectRunner.Selection) {
        guard selection.seriesCount <= Self.maxSeries else { return }
        state.withLock { s in
            if s.entries.count >= capacity, s.entries[key] == nil {
                // Stale entries go first, then the least recently used (a scan, on a miss only).
                if let old = s.entries.first(where: { $0.value.version != version })?.key
                    ?? s.entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
                    s.entries.removeValue(forKey: old)
                }
            }
            s.clock += 1
            s.entries[key] = Entry(version: version, plan: plan, selection: selection, lastUse: s.clock)
        }
    }

    var count: Int { state.withLock { $0.entries.count } }
}
