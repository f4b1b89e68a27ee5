import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOPosix
import NIOSSL
import ServiceLifecycle
import Synchronization

/// The HTTP/1 server. A connection starts as a plain NIO pipeline ending in `FastLane`, which
/// answers `/ping`, `/health` and small queries on the event loop; Hummingbird's HTTP/1 handling
/// (an `NIOAsyncChannel` and a task reading it) is attached by `HandOff` only when the lane
/// hands a request on (a write, a chunked query, …), and then serves the rest of the connection.
///
/// Hummingbird's own server sets that machinery up for every connection at accept: with one
/// request per connection (curl in a loop, `requests.get`, ApacheBench, health checks) it was
/// about 40 % of the server's CPU, and a new connection cost twice InfluxDB's.
struct LaneServer: Sendable {
    let host: String
    let port: Int
    let tls: NIOSSLContext?
    let lane: InfluxResponder
    let logger: Logger
    let group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton

    /// Listens until graceful shutdown (or cancellation), then stops accepting, lets every
    /// connection finish the request it is answering, and returns once all are closed.
    func run(onRunning: @Sendable (any Channel) async -> Void) async throws {
        let quiescing = ServerQuiescingHelper(group: group)
        let setUp = ConnectionSetup(tls: tls, lane: lane, http1: HTTP1Channel(responder: Self.responder(lane, logger: logger)), logger: logger)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try setUp.configure(channel) }
            }
            .bind(host: host, port: port).get()
        await onRunning(channel)
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                try? await channel.closeFuture.get()
            } onCancel: {
                quiescing.initiateShutdown(promise: nil)
            }
        } onGracefulShutdown: {
            quiescing.initiateShutdown(promise: nil)
        }
        let stopped = channel.eventLoop.makePromise(of: Void.self)
        quiescing.initiateShutdown(promise: stopped)
        try? await stopped.futureResult.get()
    }

    /// What Hummingbird's `Application` does with each request it is handed: the router's
    /// answer (a 500 for an error it throws), with `Date`, and `Connection: close` when asked.
    static func responder(_ lane: InfluxResponder, logger: Logger) -> HTTPChannelHandler.Responder {
        let dates = Mutex(HTTPDate())
        return { request, writer, channel in
            let context = BasicRequestContext(source: .init(channel: channel, logger: logger))
            var response: Response
            do {
                response = try await lane.respond(to: request, context: context)
            } catch let error as HTTPParserError {
                throw error
            } catch {
                logger.debug("unhandled error", metadata: ["error": "\(error)"])
                response = Response(status: .internalServerError, body: .init())
            }
            response.headers[.date] = dates.withLock { $0.now() }
            if FastLane.closes(request.head) {
                response.headers[.connection] = "close"  // as InfluxDB answers it; Hummingbird then closes
            }
            try await writer.write(response: response.head, body: response.body)
        }
    }
}

/// A new connection's pipeline: TLS when configured, NIO's HTTP/1 codec (with Hummingbird's
/// header limits), `CloseAfterHTTP10`, `HTTP1ToHTTPTypes`, `FastLane`, and `HandOff` at the end.
struct ConnectionSetup: Sendable {
    let tls: NIOSSLContext?
    let lane: InfluxResponder
    let http1: HTTP1Channel
    let logger: Logger

    func configure(_ channel: any Channel) throws {
        let pipeline = channel.pipeline.syncOperations
        if let tls {
            try pipeline.addHandler(NIOSSLServerHandler(context: tls))
        }
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = 80 * 1024
        limits.maxHeaderListSize = 80 * 1024
        limits.maxHeaderFieldCount = 1000
        try pipeline.configureHTTPServerPipeline(
            withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false,
            withEncoderConfiguration: .init(), withDecoderLimitConfiguration: limits)
        try pipeline.addHandler(CloseAfterHTTP10())
        try pipeline.addHandler(HTTP1ToHTTPTypes(secure: false))
        try pipeline.addHandler(FastLane(responder: lane))
        try pipeline.addHandler(HandOff(http1: http1, logger: logger))
    }
}

/// The end of a connection's pipeline. The first request part `FastLane` passes on (a request
/// it does not answer) attaches Hummingbird: its connection-state handler, an `NIOAsyncChannel`
/// after this handler, and a task on the connection's event loop that runs Hummingbird's request
/// loop over it. A malformed request does the same, so that Hummingbird answers it with a 400
/// as before. Until then the connection is closed here when the client closes its end (the
/// server allows half-closed connections, so nothing else would) or on a graceful shutdown's
/// quiesce event, both of which the lane passes on only once its answer is written.
final class HandOff: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let http1: HTTP1Channel
    private let logger: Logger
    private var attached = false

    init(http1: HTTP1Channel, logger: Logger) {
        self.http1 = http1
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !attached { attach(context: context) }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if !attached {
            guard error is HTTPParserError else {
                context.close(promise: nil)
                return
            }
            attach(context: context)
        }
        context.fireErrorCaught(error)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if !attached, event is ChannelShouldQuiesceEvent || FastLane.isInputClosed(event) {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func attach(context: ChannelHandlerContext) {
        attached = true
        let channel = context.channel
        do {
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(HTTPConnectionStateHandler(logger: logger))
            let value = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
            let (http1, logger) = (self.http1, self.logger)
            Task(executorPreference: EventLoopTaskExecutor(context.eventLoop)) {
                await http1.handle(value: value, logger: logger)
            }
        } catch {
            logger.error("cannot attach the HTTP handler to a connection", metadata: ["error": "\(error)"])
            context.close(promise: nil)
        }
    }
}

/// A `TaskExecutor` that runs jobs on one NIO event loop, so that reading, answering and writing
/// a connection's requests stay on one thread; work that must not hold the loop (store scans
/// beyond the inline limits, password hashing) still goes to `NIOThreadPool` through
/// `InfluxResponder.offload`, and resumes on the loop. A job enqueued from the loop's own thread
/// is queued behind the loop's current work, never run re-entrantly.
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
