import Logging
import NIOPosix
import ServiceLifecycle
import SQLiteStore

/// What the maintenance service needs from a store: periodic durability, retention, clean close.
protocol MaintainableStore: Sendable {
    func flush() throws
    func applyRetention(now: Int64) throws
    /// One bounded background compaction step; returns the chunks it removed.
    func compactStep(keys: Int) throws -> Int
    /// Truncates the WAL files no reader needs; returns how many were truncated.
    func truncateWAL() -> Int
    func close() throws
}

extension SQLiteStore: MaintainableStore {}

/// Makes the store durable every flush interval (the most a SIGKILL can lose), applies
/// retention hourly, compacts in small steps between flushes (every `compactionInterval`,
/// a few hundred series fields at a time, so ingest never waits long) and then truncates the
/// WAL when no query holds an old snapshot, and on shutdown
/// flushes and closes the store cleanly.
///
/// Put it first in the ServiceGroup: graceful shutdown runs in reverse order, so the
/// ingest services have handed over everything before this one closes the store.
struct StoreMaintenanceService: Service {
    let store: any MaintainableStore
    let flushInterval: Duration
    let retentionInterval: Duration
    let compactionInterval: Duration
    let logger: Logger
    /// Where flushes and retention run; nil: a thread of the service's own, so a flush never
    /// waits behind queries on the shared pool.
    let threadPool: NIOThreadPool?
    /// Wall clock in ns since the epoch (injectable for tests).
    let now: @Sendable () -> Int64
    /// Run after each compaction step, off the store's thread (the server gives back memory
    /// that large queries and bursts of new series freed: `HeapTrim.process.releaseIfIdle`).
    let idleWork: @Sendable () -> Void

    init(
        store: any MaintainableStore,
        flushInterval: Duration,
        retentionInterval: Duration = .seconds(3600),
        compactionInterval: Duration = .seconds(10),
        logger: Logger,
        threadPool: NIOThreadPool? = nil,
        now: @escaping @Sendable () -> Int64 = StoreMaintenanceService.wallClock,
        idleWork: @escaping @Sendable () -> Void = {}
    ) {
        self.idleWork = idleWork
        self.store = store
        self.flushInterval = flushInterval
        self.retentionInterval = retentionInterval
        self.compactionInterval = compactionInterval
        self.logger = logger
        self.threadPool = threadPool
        self.now = now
    }

    func run() async throws {
        let (store, logger, now, idleWork) = (self.store, self.logger, self.now, self.idleWork)
        let threadPool = self.threadPool ?? NIOThreadPool(numberOfThreads: 1)
        if self.threadPool == nil { threadPool.start() }

        let (flushInterval, retentionInterval, compactionInterval) = (self.flushInterval, self.retentionInterval, self.compactionInterval)
        await cancelWhenGracefulShutdown {
            let clock = ContinuousClock()
            var nextRetention = clock.now
            var nextCompaction = clock.now + compactionInterval
            var failures = 0
            while !Task.isCancelled {
                if clock.now >= nextRetention {
                    nextRetention = clock.now + retentionInterval
                    do {
                        try await threadPool.runIfActive { try store.applyRetention(now: now()) }
                    } catch is CancellationError {
                        // A start that failed elsewhere cancels the group: not a retention error.
                        break
                    } catch {
                        logger.error("retention failed", metadata: ["error": "\(error)"])
                    }
                }
                if clock.now >= nextCompaction {
                    nextCompaction = clock.now + compactionInterval
                    do {
                        // Compact a step, then bound the WAL (queries never let SQLite's own
                        // checkpoints reset it).
                        _ = try await threadPool.runIfActive { _ = try store.compactStep(keys: 500); _ = store.truncateWAL() }
                    } catch is CancellationError {
                        break
                    } catch {
                        logger.error("compaction failed", metadata: ["error": "\(error)"])
                    }
                    idleWork()
                }
                do {
                    try await Task.sleep(for: flushInterval)
                } catch {
                    break
                }
                do {
                    try await threadPool.runIfActive { try store.flush() }
                    failures = 0
                } catch is CancellationError {
                    break
                } catch {
                    failures += 1
                    // Log the first failure of a streak and every 60th after it.
                    if failures % 60 == 1 { logger.error("store flush failed", metadata: ["error": "\(error)", "consecutive": "\(failures)"]) }
                }
            }
        }
        if self.threadPool == nil { try? await threadPool.shutdownGracefully() }
        do {
            try store.flush()
            try store.close()
            logger.info("store flushed and closed")
        } catch {
            logger.error("store did not close cleanly", metadata: ["error": "\(error)"])
            throw error
        }
    }

    @Sendable static func wallClock() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
