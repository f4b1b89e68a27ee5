import InfluxQL

/// When a continuous query runs and over which time window: InfluxDB 1.6.7's continuous
/// querier (`ExecuteContinuousQuery`, `shouldRunContinuousQuery`) as pure arithmetic over
/// nanosecond times. No clock: every function takes `now`; the caller keeps `lastRun`.
///
/// InfluxDB's rules, with interval `i` and offset `o` from `GROUP BY time(i, o)` (`o` reduced
/// modulo `i`, sign kept), `every` = RESAMPLE EVERY or `i`, `for` = RESAMPLE FOR, else `every`
/// when `i < every`, else `i`:
/// - due: never run (InfluxDB keeps last runs in memory only, so also after a restart), or
///   `lastRun + every <= now`; `nextRun` is `lastRun + every`, or `now` on a first run;
/// - a run stores `lastRun = trunc(now − o, every) + o`, even when its window is empty;
/// - window: `start = trunc(nextRun + i − for − o − 1ns, i) + o`,
///   `end = trunc(now + i − min(every, i) − o, i) + o`; no query when `end <= start`.
///
/// `trunc(t, d)` is Go's `Time.Truncate`: a multiple of `d` counted from 0001-01-01 UTC, not
/// from the Unix epoch. Both agree for every `d` dividing a day; a `1w` CQ's window starts on
/// Mondays (the query's own `GROUP BY time(1w)` buckets start on Thursdays).
///
/// What InfluxDB does not do, `catchUp(lastRun:now:)`: after downtime (InfluxDB forgets its last
/// runs on restart and just runs at the next boundary), the windows of every run InfluxDB would
/// have made at `lastRun + k·every` (k ≥ 1, up to `now`), each computed as that run would have
/// computed it (`now` = `nextRun` = its own time, so each spans the RESAMPLE FOR span), without
/// duplicates, in time order. No missed window is skipped, up to the last 10 000 runs (a week
/// of a 1-minute CQ).
public struct ContinuousQuerySchedule: Sendable, Hashable {
    /// The GROUP BY time interval (ns, > 0).
    public var interval: Int64
    /// The GROUP BY time offset (ns), reduced modulo the interval as InfluxDB does.
    public var offset: Int64
    /// How often it runs: RESAMPLE EVERY, or the interval.
    public var every: Int64
    /// How far back each run recomputes: RESAMPLE FOR, or max(interval, every).
    public var forDuration: Int64

    /// A schedule from its parts; `every` and `forDuration` nil mean InfluxDB's defaults.
    public init(interval: Int64, offset: Int64 = 0, every: Int64? = nil, forDuration: Int64? = nil) {
        self.interval = interval
        self.offset = interval == 0 ? 0 : offset % interval
        let every = every ?? interval
        self.every = every
        self.forDuration = forDuration ?? (interval < every ? every : interval)
    }

    /// The schedule of a parsed CQ, in InfluxDB's order of checks.
    /// - Throws: `.invalid` for an unreadable interval or offset and `.notAggregate` for a
    ///   raw SELECT (InfluxDB logs both at each run), `.noInterval` without `GROUP BY time`
    ///   (InfluxDB silently never runs it).
    public init(_ cq: CreateContinuousQueryStatement) throws(ContinuousQueryScheduleError) {
        let interval: Int64
        do { interval = try cq.select.groupByInterval() } catch { throw .invalid(error.message) }
        if interval == 0 { throw .noInterval }
        let offset: Int64
        do { offset = try cq.select.groupByOffset() } catch { throw .invalid(error.message) }
        if cq.select.isRawQuery { throw .notAggregate }
        self.init(interval: interval, offset: offset, every: cq.resampleEvery, forDuration: cq.resampleFor)
    }

    /// A half-open time range `[start, end)` in nanoseconds.
    public struct Window: Sendable, Hashable, Comparable {
        public var start: Int64
        public var end: Int64

        public init(start: Int64, end: Int64) {
            self.start = start
            self.end = end
        }

        public static func < (a: Window, b: Window) -> Bool { (a.start, a.end) < (b.start, b.end) }
    }

    /// One run: the `lastRun` to keep, and the window to query (nil when InfluxDB skips the query).
    public struct Run: Sendable, Hashable {
        public var lastRun: Int64
        public var window: Window?
    }

    /// Windows to run after downtime, and the `lastRun` to keep afterwards.
    public struct CatchUp: Sendable, Hashable {
        public var windows: [Window]
        public var lastRun: Int64
    }

    /// InfluxDB's `shouldRunContinuousQuery`.
    public func due(lastRun: Int64?, now: Int64) -> Bool {
        guard let lastRun else { return true }
        return lastRun &+ every <= now
    }

    /// InfluxDB's run at `now`, or nil when it is not due.
    public func run(lastRun: Int64?, now: Int64) -> Run? {
        guard due(lastRun: lastRun, now: now) else { return nil }
        let nextRun = lastRun.map { $0 &+ every } ?? now
        return Run(lastRun: Self.truncate(now &- offset, every) &+ offset, window: window(nextRun: nextRun, now: now))
    }

    /// The window InfluxDB queries for a run at `now`, or nil when not due or empty.
    public func window(lastRun: Int64?, now: Int64) -> Window? {
        run(lastRun: lastRun, now: now)?.window
    }

    /// Every window missed since `lastRun` (see the type's documentation), or nil when not due.
    public func catchUp(lastRun: Int64?, now: Int64) -> CatchUp? {
        guard let run = run(lastRun: lastRun, now: now) else { return nil }
        guard let lastRun, every > 0 else { return CatchUp(windows: run.window.map { [$0] } ?? [], lastRun: run.lastRun) }
        let last = (now &- lastRun) / every
        let first = max(1, last - 9_999)
        var windows = Set<Window>()
        if first <= last {
            for k in first...last {
                let t = lastRun &+ k &* every
                if let w = window(nextRun: t, now: t) { windows.insert(w) }
            }
        }
        return CatchUp(windows: windows.sorted(), lastRun: run.lastRun)
    }

    private func window(nextRun: Int64, now: Int64) -> Window? {
        let start = Self.truncate(nextRun &+ interval &- forDuration &- offset &- 1, interval) &+ offset
        let end = Self.truncate(now &+ interval &- min(every, interval) &- offset, interval) &+ offset
        return end > start ? Window(start: start, end: end) : nil
    }

    /// Go's `Time.Truncate(d)` on a Unix-nanosecond time: rounds down to a multiple of `d`
    /// since 0001-01-01T00:00:00Z (62 135 596 800 s before the epoch); `d <= 0` leaves `t`.
    public static func truncate(_ t: Int64, _ d: Int64) -> Int64 {
        guard d > 0 else { return t }
        let epochFromZero: (seconds: Int64, nanos: Int64) = (62_135_596_800, 1_000_000_000)
        // (seconds · 1e9) mod d without overflow: reduce both factors, multiply full width.
        let product = (epochFromZero.seconds % d).multipliedFullWidth(by: epochFromZero.nanos % d)
        let zeroMod = d.dividingFullWidth((high: product.high, low: product.low)).remainder
        var r = UInt64(t % d + (t % d < 0 ? d : 0)) + UInt64(zeroMod)
        if r >= UInt64(d) { r -= UInt64(d) }
        return t &- Int64(r)
    }
}

/// Why a continuous query has no schedule; `message` is InfluxDB's log text where it has one.
public enum ContinuousQueryScheduleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No `GROUP BY time(…)`: InfluxDB never runs the CQ and logs nothing.
    case noInterval
    /// The SELECT has no aggregate.
    case notAggregate
    /// The interval or offset cannot be read (e.g. `time(1m, now())`).
    case invalid(String)

    public var description: String {
        switch self {
        case .noInterval: "continuous query has no GROUP BY time interval"
        case .notAggregate: "continuous queries must be aggregate queries"
        case .invalid(let message): message
        }
    }
}
