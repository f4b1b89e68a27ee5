import Logging
import NIOPosix
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
                var delta = CollectdCounters()
                let error = Self.write(batches, store: store, database: database, resolver: resolver, scratch: &scratch, delta: &delta)
                stats.add(delta)
                if let error, let suppressed = errorLog.admit() {
                    logger.error("cannot store collectd values", metadata: ["error": "\(error)", "suppressed": "\(suppressed)"])
                }
                queue.recycle(&batches)
            }
        }
    }

    /// Appends each batch's rows and writes its notifications, counting what happened into
    /// `delta`; the last store error, if any.
    static func write(
        _ batches: [IngestBatch], store: any SeriesStore, database: String, resolver: IdentityResolver,
        scratch: inout ColumnBatch, delta: inout CollectdCounters
    ) -> (any Error)? {
        var lastError: (any Error)?
        for batch in batches {
            resolver.forget(absorbed: batch.absorbed)
            // Pending lists are older than the batch's rows of the same identity: first.
            if !batch.pending.isEmpty {
                scratch.removeAll()
                resolver.append(batch.pending, to: &scratch, delta: &delta)
                lastError = append(scratch, to: store, delta: &delta) ?? lastError
            }
            lastError = append(batch.rows, to: store, delta: &delta) ?? lastError
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
        return lastError
    }

    /// Appends `rows`, counting them as stored, rejected or lost to a store error.
    private static func append(_ rows: ColumnBatch, to store: any SeriesStore, delta: inout CollectdCounters) -> (any Error)? {
        guard !rows.isEmpty else { return nil }
        do {
            let result = try store.append(rows)
            delta.valuesStored += UInt64(result.appended)
            if result.dropped > 0 { delta.valuesDropped["store_rejected", default: 0] += UInt64(result.dropped) }
            return nil
        } catch {
            delta.valuesDropped["store_error", default: 0] += UInt64(rows.count)
            return error
        }
    }
}
