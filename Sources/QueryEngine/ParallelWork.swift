import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs independent pieces of one query on several cores. Results keep the order of the pieces,
/// so whatever is merged from them afterwards is merged exactly as a serial run would.
enum ParallelWork {
    /// Threads one query may use: the online cores, at most 8.
    static let workers: Int = {
        let n = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        return n < 1 ? 1 : min(Int(n), 8)
    }()

    /// `body(i)` for every i in 0..<count, on up to `workers` threads (the calling one among
    /// them); the results in index order. Pieces start in index order and none starts after one
    /// has failed, so every piece before a failed one has run: the error rethrown (once every
    /// thread has stopped) is the one of the lowest index, the one a serial loop would throw.
    static func map<T: Sendable>(_ count: Int, workers: Int = ParallelWork.workers,
                                 _ body: @Sendable (Int) throws -> T) throws -> [T] {
        let threads = min(workers, count)
        if threads <= 1 { return try (0..<count).map(body) }
        let state = Mutex(State<T>(results: Array(repeating: nil, count: count)))
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while true {
                let index: Int? = state.withLock { s in
                    guard s.failure == nil, s.next < count else { return nil }
                    defer { s.next += 1 }
                    return s.next
                }
                guard let index else { return }
                do {
                    let value = try body(index)
                    state.withLock { $0.results[index] = value }
                } catch {
                    state.withLock { s in
                        if s.failure.map({ index < $0.index }) ?? true { s.failure = (index, error) }
                    }
                    return
                }
            }
        }
        return try state.withLock { s in
            if let failure = s.failure { throw failure.error }
            return s.results.map { $0! }
        }
    }

    private struct State<T> {
        var results: [T?]
        var next = 0
        var failure: (index: Int, error: any Error)?
    }
}
