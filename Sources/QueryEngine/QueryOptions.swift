import InfluxQL
import TimeSeries

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Per-request settings of one `QueryExecutor.execute` call.
public struct QueryOptions: Sendable {
    /// The `db` parameter: default database for statements that do not name one.
    public var database: String?
    /// The `rp` parameter: default retention policy (only `autogen` exists here).
    public var retentionPolicy: String?
    /// What `now()` means, in ns since the epoch; also the default upper time bound of GROUP BY time queries.
    public var now: Int64
    public var limits: QueryLimits
    /// Who runs the query; `.open` (the default) checks no privileges.
    public var authorization: QueryAuthorization
    /// A GET request: statements that change data or users get InfluxDB's "read only context"
    /// warning (they still run).
    public var readOnly: Bool
    /// The `params` parameter: values of the bound parameters (`$name`) of the query text.
    public var params: [String: BoundParameter] = [:]
    /// Inside a subquery: the time range of the outermost statement, which bounds every read
    /// (InfluxDB maps shards for that range and clips each iterator's range to it, so an inner
    /// transformation's extra interval reads no points before the outer start).
    package var readBounds: TimeRange?
    /// Threads one statement may use to read and evaluate its series (tests compare 1 with more).
    package var parallelism = ParallelWork.workers
    /// Count and selectors may take a sealed chunk's count or summary instead of decoding it
    /// (tests compare with and without).
    package var summaries = true

    public init(database: String? = nil, retentionPolicy: String? = nil, now: Int64? = nil, limits: QueryLimits = .init(),
                authorization: QueryAuthorization = .open, readOnly: Bool = false) {
        self.database = database
        self.retentionPolicy = retentionPolicy
        self.now = now ?? QueryOptions.currentTime()
        self.limits = limits
        self.authorization = authorization
        self.readOnly = readOnly
    }

    /// The wall clock in ns since the epoch.
    public static func currentTime() -> Int64 {
        let d = ContinuousClock.now - QueryOptions.clockBase.instant
        return QueryOptions.clockBase.wall + d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
    }

    private static let clockBase: (instant: ContinuousClock.Instant, wall: Int64) = {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return (ContinuousClock.now, Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec))
    }()
}
