import Logging
import NIOPosix
import TimeSeries

/// The single task that moves queued batches into the store, so the socket reader never waits
/// on storage. Durability (the store's flush) is someone else's schedule.
struct StoreWriter: Sendable {
    let queue: IngestQueue
    let store: any SeriesStore
    let database: String
    let stats: CollectdStats
    let logger: Logger
    /// A thread of the writer's own: appends never wait behind queries on a shared pool.
    let thread: NIOThreadPool

    /// Writes until the queue is finished and empty.
    func run() async {
        var errorLog = RateLimiter(burst: 5, window: .seconds(10))
        while true {
            let batches = await queue.next()
            if batches.isEmpty { return }
            let (store, database) = (self.store, self.database)
            let outcome: Result<CollectdCounters, any Error>
            do {
                outcome = .success(try await thread.runIfActive { Self.write(batches, store: store, database: database) })
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case .success(let delta):
                stats.add(delta)
                if delta.valuesDropped["store_error"] != nil || delta.notificationsDropped > 0, let suppressed = errorLog.admit() {
                    logger.error("cannot store some collectd values", metadata: ["suppressed": "\(suppressed)"])
                }
            case .failure(let error):
                var delta = CollectdCounters()
                for batch in batches {
                    delta.valuesDropped["store_error", default: 0] += UInt64(batch.values)
                    delta.notificationsDropped += UInt64(batch.notifications.count)
                }
                stats.add(delta)
                if let suppressed = errorLog.admit() {
                    logger.error("cannot store collectd values", metadata: ["error": "\(error)", "suppressed": "\(suppressed)"])
                }
            }
            queue.recycle(batches)
        }
    }

    /// Appends each batch's rows and writes its notifications; the counters of what happened.
    static func write(_ batches: [IngestBatch], store: any SeriesStore, database: String) -> CollectdCounters {
        var delta = CollectdCounters()
        for batch in batches {
            if !batch.rows.isEmpty {
                do {
                    let result = try store.append(batch.rows)
                    delta.valuesStored += UInt64(result.appended)
                    if result.dropped > 0 { delta.valuesDropped["store_rejected", default: 0] += UInt64(result.dropped) }
                } catch {
                    delta.valuesDropped["store_error", default: 0] += UInt64(batch.values)
                }
            }
            if !batch.notifications.isEmpty {
                do {
                    try store.write(batch.notifications, database: database)
                    delta.notificationsStored += UInt64(batch.notifications.count)
                } catch SeriesStoreError.partialWrite(let rejected, _) {
                    delta.notificationsStored += UInt64(max(0, batch.notifications.count - rejected))
                    delta.notificationsDropped += UInt64(rejected)
                } catch {
                    delta.notificationsDropped += UInt64(batch.notifications.count)
                }
            }
        }
        return delta
    }
}
