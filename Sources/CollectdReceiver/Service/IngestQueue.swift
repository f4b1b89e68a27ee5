import Dispatch
import Synchronization
import TimeSeries

/// A queue bounded in bytes from the socket reader to the single store writer, with a pool
/// of emptied batches going back, so the columns' storage is reused instead of reallocated.
///
/// `offer` never waits: when the batch does not fit, it is refused and the caller counts the
/// drop, so a slow store can never stall the socket reader. `nextBlocking` hands the writer
/// everything queued at once.
public final class IngestQueue: Sendable {
    private struct State {
        var batches: [IngestBatch] = []
        var depthBytes = 0
        var depthValues = 0
        var finished = false
        var pool: [IngestBatch] = []
        /// The writer thread sleeps in `nextBlocking`; the next offer wakes it.
        var threadWaiting = false
    }

    /// Maximum bytes queued.
    public let capacity: Int
    private let state = Mutex(State())
    private let wakeup = DispatchSemaphore(value: 0)
    /// Emptied batches kept for reuse.
    static let poolLimit = 4

    public init(capacity: Int) {
        precondition(capacity > 0, "queue capacity must be positive")
        self.capacity = capacity
    }

    /// Bytes currently queued.
    public var depthBytes: Int { state.withLock { $0.depthBytes } }
    /// collectd values currently queued.
    public var depth: Int { state.withLock { $0.depthValues } }

    /// Queues a batch; returns false (and keeps nothing) when it does not fit or the queue is
    /// finished. An empty queue takes any batch, however large.
    public func offer(_ batch: IngestBatch) -> Bool {
        // An empty batch only travels to tell the writer what the reader has absorbed.
        guard !batch.isEmpty || batch.absorbed > 0 else { return true }
        let bytes = batch.byteCount
        enum Outcome { case refused, buffered, wake }
        let outcome: Outcome = state.withLock { s in
            guard !s.finished, s.depthBytes == 0 || s.depthBytes + bytes <= capacity else { return .refused }
            s.batches.append(batch)
            s.depthBytes += bytes
            s.depthValues += batch.values
            if s.threadWaiting {
                s.threadWaiting = false
                return .wake
            }
            return .buffered
        }
        switch outcome {
        case .refused:
            return false
        case .buffered:
            return true
        case .wake:
            wakeup.signal()
            return true
        }
    }

    /// Everything queued, oldest first, for a thread of its own: sleeps (no task hops, one
    /// wake-up per offer while it sleeps) until a batch arrives; empty once finished and drained.
    public func nextBlocking() -> [IngestBatch] {
        while true {
            let ready: [IngestBatch]? = state.withLock { s in
                if !s.batches.isEmpty { return Self.drain(&s) }
                if s.finished { return [] }
                s.threadWaiting = true
                return nil
            }
            if let ready { return ready }
            wakeup.wait()
        }
    }

    /// An empty batch, from the pool when one is there (else a new one with room for `rows`).
    public func emptyBatch(rows: Int = 0) -> IngestBatch {
        state.withLock { $0.pool.popLast() } ?? IngestBatch(rows: ColumnBatch(capacity: rows))
    }

    /// Returns written batches to the pool, emptied in place (each batch's columns are then
    /// referenced once, so emptying keeps their storage instead of copying it).
    public func recycle(_ batches: inout [IngestBatch]) {
        while var batch = batches.popLast() {
            batch.removeAll()
            let kept = state.withLock { s in
                guard s.pool.count < Self.poolLimit else { return false }
                s.pool.append(batch)
                return true
            }
            if !kept { break }
        }
        batches.removeAll()
    }

    /// No more batches will be offered; `next` returns empty after the remaining ones.
    public func finish() {
        let thread = state.withLock { s -> Bool in
            s.finished = true
            defer { s.threadWaiting = false }
            return s.threadWaiting
        }
        if thread { wakeup.signal() }
    }

    private static func drain(_ s: inout State) -> [IngestBatch] {
        defer {
            s.batches = []
            s.depthBytes = 0
            s.depthValues = 0
        }
        return s.batches
    }
}
