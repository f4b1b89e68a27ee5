import Synchronization

/// A bounded queue from the socket reader to the single store writer.
///
/// `offer` never waits: when the batch does not fit, it is refused and the caller counts the
/// drop, so a slow store can never stall the socket reader. `next` hands the writer everything
/// queued at once, so the writer makes few large store writes when it falls behind.
public final class IngestQueue: Sendable {
    private struct State {
        var batches: [IngestBatch] = []
        var depth = 0
        var finished = false
        var waiter: CheckedContinuation<IngestBatch?, Never>?
    }

    /// Maximum number of points queued.
    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int) {
        precondition(capacity > 0, "queue capacity must be positive")
        self.capacity = capacity
    }

    /// Points currently queued.
    public var depth: Int { state.withLock { $0.depth } }

    /// Queues a batch; returns false (and keeps nothing) when it does not fit or the queue is
    /// finished. An empty queue takes any batch, however large.
    public func offer(_ batch: IngestBatch) -> Bool {
        guard !batch.isEmpty else { return true }
        enum Outcome { case refused, buffered, handOver(CheckedContinuation<IngestBatch?, Never>) }
        let outcome: Outcome = state.withLock { s in
            guard !s.finished, s.depth == 0 || s.depth + batch.points.count <= capacity else { return .refused }
            if let waiter = s.waiter {
                s.waiter = nil
                return .handOver(waiter)
            }
            s.batches.append(batch)
            s.depth += batch.points.count
            return .buffered
        }
        switch outcome {
        case .refused:
            return false
        case .buffered:
            return true
        case .handOver(let waiter):
            waiter.resume(returning: batch)
            return true
        }
    }

    /// Everything queued, merged into one batch; waits while the queue is empty; nil once the
    /// queue is finished and empty.
    public func next() async -> IngestBatch? {
        if let ready = take() { return ready }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<IngestBatch?, Never>) in
                let immediate: IngestBatch?? = state.withLock { s in
                    if !s.batches.isEmpty { return .some(Self.drain(&s)) }
                    if s.finished || Task.isCancelled { return .some(nil) }
                    s.waiter = continuation
                    return .none
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            finish()
        }
    }

    /// No more batches will be offered; `next` returns nil after the remaining ones.
    public func finish() {
        let waiter = state.withLock { s -> CheckedContinuation<IngestBatch?, Never>? in
            s.finished = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: nil)
    }

    private func take() -> IngestBatch? {
        state.withLock { s in s.batches.isEmpty ? nil : Self.drain(&s) }
    }

    private static func drain(_ s: inout State) -> IngestBatch {
        var merged = s.batches.removeFirst()
        for batch in s.batches { merged.append(contentsOf: batch) }
        s.batches.removeAll(keepingCapacity: true)
        s.depth = 0
        return merged
    }
}
