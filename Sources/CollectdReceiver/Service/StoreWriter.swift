import Logging
import NIOPosix
import Synchronization
import TimeSeries

/// The single task that moves queued batches into the store, so the socket reader never waits
/// on storage. Durability (the store's flush) is someone else's schedule.
struct StoreWriter: Sendable {
    let queue: IngestQueue
    let store: any SeriesStore
    let database: String
    /// Resolves the batches' pending value lists (new identities) on this thread.
    let resolver: IdentityResolver
    let stats: CollectdStats
    let logger: Logger
    /// A thread of the writer's own: appends never wait behind queries on a shared pool.
    let thread: NIOThreadPool

    /// Writes until the queue is finished and empty, as one loop on the writer's own thread.
    func run() async {
        let (queue, store, database, stats, logger, resolver) = (self.queue, self.store, self.database, self.stats, self.logger, self.resolver)
        _ = try? await thread.runIfActive {
            var errorLog = RateLimiter(burst: 5, window: .seconds(10))
            var scratch = ColumnBatch()
            while true {
                var batches = queue.nextBlocking()
                if batches.isEmpty { return }
                let delta = Self.write(batches, store: store, database: database, resolver: resolver, scratch: &scratch)
                stats.add(delta)
                if delta.valuesDropped["store_error"] != nil, let suppressed = errorLog.admit() {
                    logger.error("cannot store collectd values", metadata: ["error": "\(Self.lastError.withLock { $0 } ?? "?")", "suppressed": "\(suppressed)"])
                }
                queue.recycle(&batches)
            }
        }
    }

    /// The last store error's text, for the rate-limited log line.
    static let lastError = Mutex<String?>(nil)

    /// Appends each batch's rows and writes its notifications; the counters of what happened.
    static func write(_ batches: [IngestBatch], store: any SeriesStore, database: String, resolver: IdentityResolver, scratch: inout ColumnBatch) -> CollectdCounters {
        var delta = CollectdCounters()
        for batch in batches {
            // Pending lists are older than the batch's rows of the same identity: first.
            if !batch.pending.isEmpty {
                scratch.removeAll()
                resolver.append(batch.pending, to: &scratch, delta: &delta)
                if !scratch.isEmpty {
                    do {
                        let result = try store.append(scratch)
                        delta.valuesStored += UInt64(result.appended)
                        if result.dropped > 0 { delta.valuesDropped["store_rejected", default: 0] += UInt64(result.dropped) }
                    } catch {
                        delta.valuesDropped["store_error", default: 0] += UInt64(scratch.count)
                        lastError.withLock { $0 = "\(error)" }
                    }
                }
            }
            if !batch.rows.isEmpty {
                do {
                    let result = try store.append(batch.rows)
                    delta.valuesStored += UInt64(result.appended)
                    if result.dropped > 0 { delta.valuesDropped["store_rejected", default: 0] += UInt64(result.dropped) }
                } catch {
                    delta.valuesDropped["store_error", default: 0] += UInt64(batch.rows.count)
                    lastError.withLock { $0 = "\(error)" }
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
