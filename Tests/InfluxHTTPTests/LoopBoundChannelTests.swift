import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import Testing
import TimeSeries
@testable import InfluxHTTP

@Suite struct LoopBoundChannelTests {
    /// Answers every query with an empty result and notes whether it ran on an event loop.
    final class Recorder: QueryHandling {
        let onLoop = Mutex<[Bool]>([])

        func handle(_ request: QueryRequest) async -> QueryReply {
            onLoop.withLock { $0.append(MultiThreadedEventLoopGroup.currentEventLoop != nil) }
            return QueryReply(status: 200, body: Array(#"{"results":[{"statement_id":0}]}"#.utf8))
        }
    }

    @Test func jobsRunOnTheLoopAlsoAfterWaitingElsewhere() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let executor = EventLoopTaskExecutor(loop)
        let seen = try await withTaskExecutorPreference(executor) {
            let first = loop.inEventLoop
            // Work on another thread: the task resumes on the loop afterwards.
            let away = try await NIOThreadPool.singleton.runIfActive { MultiThreadedEventLoopGroup.currentEventLoop == nil }
            try await Task.sleep(nanoseconds: 1_000_000)
            return [first, away, loop.inEventLoop]
        }
        #expect(seen == [true, true, true])
    }

    @Test func requestsAreAnsweredOnTheirConnectionsLoop() async throws {
        let recorder = Recorder()
        var logger = Logger(label: "loop-bound")
        logger.logLevel = .error
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let service = InfluxHTTPService(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), store: MemoryStore(),
                                        queries: recorder, stats: [], logger: logger, onServerRunning: { continuation.yield($0) })
        let group = ServiceGroup(configuration: .init(services: [service], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            for _ in 0..<3 {
                let url = URL(string: "http://127.0.0.1:\(port)/query?q=SHOW%20DATABASES")!
                let (data, response) = try await URLSession.shared.data(from: url)
                #expect((response as? HTTPURLResponse)?.statusCode == 200)
                #expect(String(decoding: data, as: UTF8.self) == #"{"results":[{"statement_id":0}]}"#)
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(recorder.onLoop.withLock { $0 } == [true, true, true])
    }
}
