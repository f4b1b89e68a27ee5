import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers the requests that need no task — `/ping`, `/health`, and `/query` by GET or by a POST
/// of a small form or InfluxQL body (Grafana's two HTTP methods), without `chunked=true`, and
/// with authentication on once the user's password was verified — inside the channel pipeline,
/// on the connection's event loop, and hands every other request on to Hummingbird unchanged.
///
/// Hummingbird answers each request in an async task fed through `NIOAsyncChannel`; for a
/// request that costs microseconds, that machinery (the inbound stream, the task's jobs, the
/// outbound writer) cost more than the answer: `/ping` took 0.21 ms on a raw socket against
/// InfluxDB's 0.09. A query the event loop may not run (beyond the inline limits) still runs
/// on `NIOThreadPool`, its answer written when done.
///
/// Order on a keep-alive connection is kept: the lane answers a request only while Hummingbird
/// has no request of this connection unanswered, and while its own answer is being computed off
/// the loop it stops reading and queues what was already read. A request with `Connection:
/// close` (HTTP/1.0 ones are marked so by `CloseAfterHTTP10`) is answered with `Connection:
/// close`, as InfluxDB answers it, and the connection is closed once the answer is written.
final class FastLane: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let responder: InfluxResponder
    private var date = HTTPDate()
    /// Requests handed on to Hummingbird whose answer's end has not been written yet.
    private var handedOn = 0
    /// The head of a request this lane means to answer, until its end arrives.
    private var held: HTTPRequest?
    /// The body read so far of the held request (a POST).
    private var heldBody: ByteBuffer?
    /// An answer is being computed off the loop: reads stop and read parts wait.
    private var busy = false
    private var waiting = CircularBuffer<HTTPRequestPart>()
    private var readPending = false
    /// A graceful shutdown's quiesce event, or the client's end of input (a half close), that
    /// arrived while an answer was being computed: passed on after the answer is written (`HandOff`
    /// and Hummingbird close an idle-looking connection at once on either; a request still being
    /// read is dropped then, as before, so that a client that never ends one cannot hold up a
    /// shutdown).
    private var pendingEvents: [Any] = []
    /// An answer with `Connection: close` was written: what else arrives is dropped.
    private var closing = false

    init(responder: InfluxResponder) {
        self.responder = responder
    }

    /// The largest body the lane reads (a POSTed query); a larger one is handed on as it came.
    static let bodyLimit = 256 * 1024

    /// A request the lane may answer: GET or HEAD of one of its paths, or a POST of a form or
    /// InfluxQL to `/query` (not compressed, not announced larger than `bodyLimit`).
    static func candidate(_ head: HTTPRequest) -> Bool {
        guard let path = head.path else { return false }
        switch head.method {
        case .get, .head:
            return path.hasPrefix("/ping") || path.hasPrefix("/query") || path.hasPrefix("/health")
        case .post:
            guard path.hasPrefix("/query"), head.headerFields.value(.contentEncoding) == nil,
                  InfluxResponder.QueryBody(contentType: head.headerFields.value(.contentType)) != nil else { return false }
            if let length = head.headerFields.value(.contentLength) { return Int(length).map { $0 <= bodyLimit } ?? false }
            return true
        default:
            return false
        }
    }

    /// The request asks for its connection to be closed after the answer.
    static func closes(_ head: HTTPRequest) -> Bool {
        guard let connection = head.headerFields.value(.connection) else { return false }
        return connection.lowercased().contains("close")
    }

    /// `Expect: 100-continue` on a request with a body to come.
    static func expectsContinue(_ head: HTTPRequest) -> Bool {
        guard head.headerFields.value(.expect)?.lowercased() == "100-continue" else { return false }
        if let length = head.headerFields.value(.contentLength) { return (Int(length) ?? 0) > 0 }
        return head.headerFields.value(.transferEncoding) != nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if closing { return }
        if busy {
            waiting.append(part)
            return
        }
        process(context: context, part)
    }

    private func process(context: ChannelHandlerContext, _ part: HTTPRequestPart) {
        switch part {
        case .head(let head):
            if Self.expectsContinue(head) {
                // curl announces bodies from 1 MiB so and waits a second for this before it
                // sends them; Go's server, InfluxDB's, sends it when the body is first read.
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
            }
            if handedOn == 0, Self.candidate(head) {
                held = head
            } else {
                handOn(context: context, head)
            }
        case .body(let bytes):
            guard let head = held else {
                context.fireChannelRead(wrapInboundOut(part))
                return
            }
            if head.method == .post, (heldBody?.readableBytes ?? 0) + bytes.readableBytes <= Self.bodyLimit {
                if heldBody == nil { heldBody = bytes } else { heldBody!.writeImmutableBuffer(bytes) }
                return
            }
            // A body the lane does not read: the request is Hummingbird's, as it came.
            held = nil
            handOn(context: context, head)
            if let earlier = heldBody {
                heldBody = nil
                context.fireChannelRead(wrapInboundOut(.body(earlier)))
            }
            context.fireChannelRead(wrapInboundOut(part))
        case .end:
            guard let head = held else {
                context.fireChannelRead(wrapInboundOut(part))
                return
            }
            held = nil
            let body = heldBody
            heldBody = nil
            answer(context: context, head, body: body)
        }
        if !pendingEvents.isEmpty { releaseEvents(context: context) }
    }

    /// Events held back, passed on once no answer is being computed here.
    private func releaseEvents(context: ChannelHandlerContext) {
        guard !busy else { return }
        let events = pendingEvents
        pendingEvents = []
        for event in events { context.fireUserInboundEventTriggered(event) }
    }

    static func isInputClosed(_ event: Any) -> Bool {
        if case .inputClosed? = event as? ChannelEvent { return true }
        return false
    }

    private func handOn(context: ChannelHandlerContext, _ head: HTTPRequest) {
        handedOn += 1
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }

    private func answer(context: ChannelHandlerContext, _ head: HTTPRequest, body: ByteBuffer?) {
        switch responder.answerNow(head, body: body, date: date.now(), on: context.eventLoop) {
        case .declined:
            handOn(context: context, head)
            if let body { context.fireChannelRead(wrapInboundOut(.body(body))) }
            context.fireChannelRead(wrapInboundOut(.end(nil)))
        case .now(let (response, body)):
            send(context: context, response, body, request: head, omitBody: head.method == .head)
        case .later(let future):
            busy = true
            future.assumeIsolated().whenComplete { result in
                switch result {
                case .success(let (response, body)):
                    self.send(context: context, response, body, request: head, omitBody: head.method == .head)
                case .failure:
                    let reply = InfluxResponder.Reply.error(500, "query could not run: server shutting down")
                    let (response, body) = self.responder.laneResponse(reply, acceptEncoding: nil, accept: head.headerFields.value(.accept),
                                                                          origin: head.headerFields.value(.origin), date: self.date.now())
                    self.send(context: context, response, body, request: head, omitBody: false)
                }
                self.resume(context: context)
            }
        }
    }

    private func send(context: ChannelHandlerContext, _ response: HTTPResponse, _ body: ByteBuffer, request: HTTPRequest, omitBody: Bool) {
        var response = response
        let close = Self.closes(request)
        if close {
            response.headerFields[.connection] = "close"
            closing = true
        }
        context.write(wrapOutboundOut(.head(response)), promise: nil)
        if body.readableBytes > 0 && !omitBody {
            context.write(wrapOutboundOut(.body(body)), promise: nil)
        }
        if close {
            let written = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
            written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }

    /// After an answer computed off the loop: what was read meanwhile, then reading again.
    private func resume(context: ChannelHandlerContext) {
        busy = false
        var forwarded = false
        while !busy, let part = waiting.popFirst() {
            process(context: context, part)
            forwarded = true
        }
        if forwarded { context.fireChannelReadComplete() }
        releaseEvents(context: context)
        if !busy && readPending {
            readPending = false
            context.read()
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if busy, event is ChannelShouldQuiesceEvent || Self.isInputClosed(event) {
            pendingEvents.append(event)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func read(context: ChannelHandlerContext) {
        if busy {
            readPending = true
        } else {
            context.read()
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { handedOn = max(0, handedOn - 1) }
        context.write(data, promise: promise)
    }
}
