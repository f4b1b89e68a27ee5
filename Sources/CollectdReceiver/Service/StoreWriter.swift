import Logging
import NIOPosix
import TimeSeries

/// The single task that moves queued points into the store, so the socket reader never waits
/// on storage. Durability (the store's flush) is someone else's schedule.
struct StoreWriter: Sendable {
    let queue: IngestQueue
    let store: any SeriesStore
    let database: String
    let stats: CollectdStats
    let logger: Logger
    /// Store writes block; they run here instead of on Swift's cooperative threads.
    let threadPool: NIOThreadPool

    /// Writes until the queue is finished and empty.
    func run() async {
        var errorLog = RateLimiter(burst: 5, window: .seconds(10))
        while let batch = await queue.next() {
            var delta = CollectdCounters()
            do {
                let (store, database) = (self.store, self.database)
                try await threadPool.runIfActive { try store.write(batch.points, database: database) }
                delta.valuesStored += UInt64(batch.values)
                delta.notificationsStored += UInt64(batch.notifications)
            } catch SeriesStoreError.partialWrite(let rejected, let reason) {
                // Rejected points are counted as values; rarely a notification is among them.
                let stored = max(0, batch.values + batch.notifications - rejected)
                delta.valuesStored += UInt64(min(stored, batch.values))
                delta.notificationsStored += UInt64(max(0, stored - batch.values))
                delta.valuesDropped["store_rejected", default: 0] += UInt64(rejected)
                if let suppressed = errorLog.admit() {
                    logger.warning("store rejected collectd points", metadata: ["rejected": "\(rejected)", "reason": "\(reason)", "suppressed": "\(suppressed)"])
                }
            } catch {
                delta.valuesDropped["store_error", default: 0] += UInt64(batch.values)
                delta.notificationsDropped += UInt64(batch.notifications)
                if let suppressed = errorLog.admit() {
                    logger.error("cannot store collectd points", metadata: ["error": "\(error)", "points": "\(batch.points.count)", "suppressed": "\(suppressed)"])
                }
            }
            stats.add(delta)
        }
    }
}
