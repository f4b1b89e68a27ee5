import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Gives the pages large queries freed back to the system. glibc keeps freed memory in its
/// arenas (one per thread that allocated, and the parallel scans run on several): after a count
/// over 510 000 series the server's resident memory stayed about 450 MiB above what its data
/// needs. `malloc_trim` returns every free page of every arena, but the next large query then
/// faults its pages in again (15 % of a 24-hour fleet panel when trimmed after each query), so
/// it runs once large queries have paused: `releaseIfIdle`, called by the server's maintenance.
enum HeapTrim {
    static let minimumPoints = 1_000_000
    static let minimumSeries = 20_000
    /// Monotonic ns of the last large query not yet followed by a trim; 0 when none.
    private static let lastLarge = Atomic<Int64>(0)

    static func afterQuery(points: Int, series: Int) {
        guard points >= minimumPoints || series >= minimumSeries else { return }
        lastLarge.store(max(1, monotonicNanoseconds()), ordering: .relaxed)
    }

    /// Trims when a large query ran and none has for `quiet`; returns whether it trimmed.
    @discardableResult
    static func releaseIfIdle(quiet: Duration) -> Bool {
        let last = lastLarge.load(ordering: .relaxed)
        let (seconds, attoseconds) = quiet.components
        let quietNanos = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        guard last != 0, monotonicNanoseconds() - last >= quietNanos else { return false }
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

extension QueryExecutor {
    /// Returns the memory large queries (of any executor in the process) freed to the system
    /// once they have paused for `quiet`; the server's maintenance calls it every few seconds.
    /// Returns whether it did.
    @discardableResult
    public static func releaseFreedMemory(quiet: Duration = .seconds(5)) -> Bool {
        HeapTrim.releaseIfIdle(quiet: quiet)
    }
}
