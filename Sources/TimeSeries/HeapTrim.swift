import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Gives the pages large transient work freed back to the system. glibc keeps freed memory in
/// its arenas (one per thread that allocated, and the parallel scans run on several): after a
/// count over 510 000 series the server's resident memory stayed about 450 MiB above what its
/// data needs, and after 102 000 new series arrived in one burst (value lists queued while
/// their series were created) about 50 MiB. `malloc_trim` returns every free page of every
/// arena, but the next large query then faults its pages in again (15 % of a 24-hour fleet
/// panel when trimmed after each query), so it runs once large work has paused:
/// `releaseIfIdle`, called by the server's maintenance.
public final class HeapTrim: Sendable {
    /// The one the server's queries, stores and maintenance share.
    public static let process = HeapTrim()
    public static let minimumPoints = 1_000_000
    public static let minimumSeries = 20_000
    /// Monotonic ns of the last large work not yet followed by a trim; 0 when none.
    private let lastLarge = Atomic<Int64>(0)
    /// Series fields created since the last time that counted as large work.
    private let newSeries = Atomic<Int>(0)

    public init() {}

    /// A query that read `points` samples of `series` series fields finished.
    public func afterQuery(points: Int, series: Int) {
        guard points >= Self.minimumPoints || series >= Self.minimumSeries else { return }
        noteLargeWork()
    }

    /// `count` series fields were created: every `minimumSeries` of them count as large work.
    public func afterNewSeries(_ count: Int) {
        let total = newSeries.add(count, ordering: .relaxed).newValue
        guard total >= Self.minimumSeries else { return }
        if newSeries.compareExchange(expected: total, desired: 0, ordering: .relaxed).exchanged { noteLargeWork() }
    }

    /// Large transient work just ran: trim once it has paused.
    public func noteLargeWork() {
        lastLarge.store(max(1, Self.monotonicNanoseconds()), ordering: .relaxed)
    }

    /// Trims when large work ran and none has for `quiet`; returns whether it trimmed.
    @discardableResult
    public func releaseIfIdle(quiet: Duration) -> Bool {
        let last = lastLarge.load(ordering: .relaxed)
        let (seconds, attoseconds) = quiet.components
        let quietNanos = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        guard last != 0, Self.monotonicNanoseconds() - last >= quietNanos else { return false }
        // A large query finishing meanwhile sets a new time, which this exchange leaves alone.
        guard lastLarge.compareExchange(expected: last, desired: 0, ordering: .relaxed).exchanged else { return false }
        #if os(Linux)
        _ = glibcMallocTrim(0)
        #endif
        return true
    }

    private static func monotonicNanoseconds() -> Int64 {
        #if canImport(Glibc)
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
        #else
        return 0
        #endif
    }
}

#if os(Linux)
/// glibc's `int malloc_trim(size_t pad)`, which the Glibc module does not export.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
