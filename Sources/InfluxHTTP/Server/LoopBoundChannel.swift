import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypesHTTP1

/// Runs each connection's task on the event loop that owns its socket.
///
/// Hummingbird handles a connection in a task on Swift's cooperative pool, so every request
/// crossed threads twice more than the socket needs: the loop read it and woke a pool thread,
/// which answered and handed the bytes back to the loop. With the loop as the connection task's
/// executor preference, reading, answering and writing stay on one thread; work that must not
/// hold the loop (store scans beyond the inline limits, password hashing) still goes to
/// `NIOThreadPool` through `InfluxResponder.offload`, and resumes on the loop.
struct LoopBoundChannel<Inner: ServerChildChannel>: ServerChildChannel {
    typealias Value = Inner.Value
    let inner: Inner

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            if let codec = try? pipeline.handler(type: HTTP1ToHTTPServerCodec.self) {
                try pipeline.addHandler(CloseAfterHTTP10(), position: .before(codec))
            }
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        let executor = EventLoopTaskExecutor(value.channel.eventLoop)
        await withTaskExecutorPreference(executor) {
            await inner.handle(value: value, logger: logger)
        }
    }
}

/// A `TaskExecutor` that runs jobs on one NIO event loop. A job enqueued from the loop's own
/// thread is queued behind the loop's current work, never run re-entrantly.
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) {
        self.loop = loop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
