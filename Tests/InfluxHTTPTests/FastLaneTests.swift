import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTesting
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import NIOPosix
import Testing
import TimeSeries
@testable import InfluxHTTP

@Suite struct FastLaneTests {
    /// Answers `SHOW DATABASES` inline and anything else only off the loop (as a large SELECT).
    final class SyncQueries: QueryHandling {
        func handle(_ request: QueryRequest) async -> QueryReply {
            respondNow(request, inline: false)!.reply
        }

        var answersSynchronously: Bool { true }

        func respondNow(_ request: QueryRequest, inline: Bool) -> (reply: QueryReply, chunks: QueryChunks?)? {
            if request.query == "SHOW DATABASES" {
                return (QueryReply(status: 200, body: Array(#"{"results":[{"statement_id":0}]}"#.utf8) + [10]), nil)
            }
            guard !inline else { return nil }
            return (QueryReply(status: 200, body: Array(#"{"results":[{"statement_id":0,"large":true}]}"#.utf8) + [10]), nil)
        }
    }

    static func responder(queries: any QueryHandling = SyncQueries()) -> InfluxResponder {
        var logger = Logger(label: "lane")
        logger.logLevel = .error
        return InfluxResponder(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), store: MemoryStore(),
                               queries: queries, stats: [], authenticator: nil, metrics: HTTPMetrics(registry: .init()),
                               logger: logger, clock: { 0 })
    }

    static func get(_ target: String, headers: HTTPFields = [:]) -> HTTPRequest {
        HTTPRequest(method: .get, scheme: "http", authority: "x", path: target, headerFields: headers)
    }

    static func comparable(_ fields: HTTPFields) -> [String: String] {
        var out: [String: String] = [:]
        for field in fields where ![.requestID, .xRequestID, .date].contains(field.name) {
            out[field.name.canonicalName] = field.value
        }
        return out
    }

    /// The lane's answer is Hummingbird's answer: status, headers (but ids and date) and body.
    @Test(arguments: [
        "/ping", "/ping?verbose=true", "/health", "/query?q=SHOW%20DATABASES", "/query?q=SHOW+DATABASES&pretty=true",
        "/query?db=x", "/query?q=SELECT+1&db=x",
    ])
    func laneAnswersAsHummingbirdDoes(target: String) async throws {
        for (gzip, origin) in [(false, false), (true, false), (false, true), (true, true)] {
            var fields: HTTPFields = gzip ? [.acceptEncoding: "gzip"] : [:]
            if origin { fields[.origin] = "http://grafana.example:3000" }
            let headers = fields
            let responder = Self.responder()
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            let lane: (HTTPResponse, ByteBuffer)
            switch responder.answerNow(Self.get(target, headers: headers), date: "d", on: loop) {
            case .declined: Issue.record("declined \(target)"); return
            case .now(let answer): lane = answer
            case .later(let future): lane = try await future.get()
            }
            let harness = Harness(queries: SyncQueries())
            let viaRouter = try await harness.run { client in
                try await client.execute(uri: target, method: .get, headers: headers) { response in response }
            }
            #expect(lane.0.status.code == viaRouter.status.code, "\(target)")
            var expected = Self.comparable(viaRouter.headers)
            expected["content-length"] = expected["content-length"] ?? "0"
            #expect(Self.comparable(lane.0.headerFields) == expected, "\(target) gzip \(gzip) origin \(origin)")
            #expect((expected["access-control-allow-origin"] != nil) == origin)
            let body = gzip && lane.1.readableBytes > 0 ? try lane.1.gunzipped() : lane.1
            let routerBody = gzip && viaRouter.body.readableBytes > 0 ? try viaRouter.body.gunzipped() : viaRouter.body
            #expect(String(buffer: body) == String(buffer: routerBody), "\(target)")
        }
    }

    /// A POSTed query (Grafana's other HTTP method): a form or an InfluxQL body.
    @Test(arguments: [
        ("/query", "application/x-www-form-urlencoded", "q=SHOW+DATABASES"),
        ("/query?db=x&q=SHOW+DATABASES", "application/x-www-form-urlencoded; charset=utf-8", "q=SELECT+1&pretty=true"),
        ("/query", "application/x-www-form-urlencoded", "db=x"),
        ("/query?pretty=true", "application/vnd.influxql", "SHOW DATABASES"),
    ])
    func postedQueriesAreAnsweredAsHummingbirdDoes(target: String, type: String, body: String) async throws {
        let headers: HTTPFields = [.contentType: type, .contentLength: "\(body.utf8.count)"]
        let head = HTTPRequest(method: .post, scheme: "http", authority: "x", path: target, headerFields: headers)
        #expect(FastLane.candidate(head))
        let lane: (HTTPResponse, ByteBuffer)
        switch Self.responder().answerNow(head, body: ByteBuffer(string: body), date: "d", on: MultiThreadedEventLoopGroup.singleton.next()) {
        case .declined: Issue.record("declined \(target)"); return
        case .now(let answer): lane = answer
        case .later(let future): lane = try await future.get()
        }
        let viaRouter = try await Harness(queries: SyncQueries()).run { client in
            try await client.execute(uri: target, method: .post, headers: headers, body: ByteBuffer(string: body)) { response in response }
        }
        #expect(lane.0.status.code == viaRouter.status.code)
        #expect(Self.comparable(lane.0.headerFields) == Self.comparable(viaRouter.headers))
        #expect(String(buffer: lane.1) == String(buffer: viaRouter.body))
    }

    /// A POST whose body outgrows what the lane reads reaches Hummingbird whole and in order.
    @Test func aLargePostIsHandedOnAsItCame() throws {
        let channel = EmbeddedChannel(handler: FastLane(responder: Self.responder()))
        let head = HTTPRequest(method: .post, scheme: "http", authority: "x", path: "/query",
                               headerFields: [.contentType: "application/x-www-form-urlencoded"])
        let first = ByteBuffer(string: "q=" + String(repeating: "x", count: FastLane.bodyLimit - 10))
        let second = ByteBuffer(string: String(repeating: "y", count: 100))
        try channel.writeInbound(HTTPRequestPart.head(head))
        try channel.writeInbound(HTTPRequestPart.body(first))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == nil)
        try channel.writeInbound(HTTPRequestPart.body(second))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == .head(head))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == .body(first))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == .body(second))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == .end(nil))
        #expect(try channel.readOutbound(as: HTTPResponsePart.self) == nil)
        _ = try channel.finish()
    }

    @Test(arguments: [
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"), (1_796_156_286, "Tue, 01 Dec 2026 20:18:06 GMT"),
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"), (-86_400, "Wed, 31 Dec 1969 00:00:00 GMT"),
    ])
    func dateHeaderIsIMFFixdate(seconds: Int, text: String) {
        #expect(HTTPDate.format(seconds) == text)
    }

    @Test func writesQueriesWithAuthenticationAndChunkedAnswersAreLeftToHummingbird() {
        let responder = Self.responder()
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        for target in ["/write?db=x", "/query?q=SHOW+DATABASES&chunked=true", "/metrics", "/", "/debug/vars"] {
            guard case .declined = responder.answerNow(Self.get(target), date: "d", on: loop) else {
                Issue.record("answered \(target)")
                continue
            }
        }
        func post(_ path: String, _ fields: HTTPFields) -> HTTPRequest {
            HTTPRequest(method: .post, scheme: "http", authority: "x", path: path, headerFields: fields)
        }
        let form = "application/x-www-form-urlencoded"
        #expect(FastLane.candidate(post("/query", [.contentType: form, .contentLength: "20"])))
        #expect(FastLane.candidate(post("/query", [.contentType: "application/vnd.influxql"])))
        #expect(!FastLane.candidate(post("/query", [:])))
        #expect(!FastLane.candidate(post("/write", [.contentType: form])))
        #expect(!FastLane.candidate(post("/query", [.contentType: form, .contentEncoding: "gzip"])))
        #expect(!FastLane.candidate(post("/query", [.contentType: form, .contentLength: "\(FastLane.bodyLimit + 1)"])))
        #expect(FastLane.candidate(Self.get("/ping", headers: [.connection: "close"])))
        #expect(FastLane.candidate(Self.get("/query?q=x")))
    }

    /// In the pipeline: the lane answers `/ping` itself, hands a POST on whole, and while that
    /// POST is unanswered hands on what follows too, so answers keep their order.
    @Test func handsOnWhileHummingbirdOwesAnAnswer() throws {
        let channel = EmbeddedChannel(handler: FastLane(responder: Self.responder()))
        try channel.writeInbound(HTTPRequestPart.head(Self.get("/ping")))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == nil)
        guard case .head(let pong)? = try channel.readOutbound(as: HTTPResponsePart.self) else { Issue.record("no answer"); return }
        #expect(pong.status.code == 204)
        #expect(pong.headerFields[.influxVersion] != nil)
        #expect(try channel.readOutbound(as: HTTPResponsePart.self) == .end(nil))

        let post = HTTPRequest(method: .post, scheme: "http", authority: "x", path: "/write?db=x")
        try channel.writeInbound(HTTPRequestPart.head(post))
        try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: "m v=1")))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        try channel.writeInbound(HTTPRequestPart.head(Self.get("/ping")))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == .head(post))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == .body(ByteBuffer(string: "m v=1")))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == .end(nil))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == .head(Self.get("/ping")))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == .end(nil))
        #expect(try channel.readOutbound(as: HTTPResponsePart.self) == nil)

        // Hummingbird answers both; then the lane answers again.
        for _ in 0..<2 {
            try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .noContent)))
            try channel.writeOutbound(HTTPResponsePart.end(nil))
        }
        for _ in 0..<4 { _ = try channel.readOutbound(as: HTTPResponsePart.self) }
        try channel.writeInbound(HTTPRequestPart.head(Self.get("/health")))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == nil)
        guard case .head(let health)? = try channel.readOutbound(as: HTTPResponsePart.self) else { Issue.record("no answer"); return }
        #expect(health.status.code == 200)
        _ = try channel.finish()
    }

    /// Holds its off-loop answers until the test opens the gate.
    final class GatedQueries: QueryHandling, @unchecked Sendable {
        let gate = DispatchSemaphore(value: 0)

        func handle(_ request: QueryRequest) async -> QueryReply { QueryReply(status: 200, body: []) }

        var answersSynchronously: Bool { true }

        func respondNow(_ request: QueryRequest, inline: Bool) -> (reply: QueryReply, chunks: QueryChunks?)? {
            guard !inline else { return nil }
            gate.wait()
            return (QueryReply(status: 200, body: Array(#"{"results":[{"statement_id":0}]}"#.utf8) + [10]), nil)
        }
    }

    /// Notes the user events that get past the lane.
    final class EventRecorder: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPRequestPart
        var quiesced = false

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if event is ChannelShouldQuiesceEvent { quiesced = true }
        }
    }

    /// A graceful shutdown does not close a connection whose answer the lane is still computing:
    /// the quiesce event reaches Hummingbird after that answer is written.
    @Test func aShutdownWaitsForTheAnswerInProgress() async throws {
        let queries = GatedQueries()
        let recorder = EventRecorder()
        let channel = NIOAsyncTestingChannel()
        try await channel.pipeline.addHandler(FastLane(responder: Self.responder(queries: queries)))
        try await channel.pipeline.addHandler(recorder)
        try await channel.writeInbound(HTTPRequestPart.head(Self.get("/query?q=SELECT+1")))
        try await channel.writeInbound(HTTPRequestPart.end(nil))
        channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        try await channel.testingEventLoop.executeInContext { #expect(!recorder.quiesced) }
        queries.gate.signal()
        guard case .head(let answer) = try await channel.waitForOutboundWrite(as: HTTPResponsePart.self) else {
            Issue.record("no answer")
            return
        }
        #expect(answer.status.code == 200)
        _ = try await channel.waitForOutboundWrite(as: HTTPResponsePart.self)
        _ = try await channel.waitForOutboundWrite(as: HTTPResponsePart.self)
        try await channel.testingEventLoop.executeInContext { #expect(recorder.quiesced) }
        _ = try await channel.finish()
    }

    /// `Connection: close` is answered on the lane with `Connection: close`, as InfluxDB answers
    /// it, and the connection closed once written; what the client sent after it is dropped.
    @Test func aConnectionCloseRequestIsAnsweredThenClosed() throws {
        let channel = EmbeddedChannel(handler: FastLane(responder: Self.responder()))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        try channel.writeInbound(HTTPRequestPart.head(Self.get("/query?q=SHOW+DATABASES", headers: [.connection: "close"])))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        try channel.writeInbound(HTTPRequestPart.head(Self.get("/ping")))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        guard case .head(let answer)? = try channel.readOutbound(as: HTTPResponsePart.self) else { Issue.record("no answer"); return }
        #expect(answer.status.code == 200)
        #expect(answer.headerFields[.connection] == "close")
        guard case .body? = try channel.readOutbound(as: HTTPResponsePart.self) else { Issue.record("no body"); return }
        #expect(try channel.readOutbound(as: HTTPResponsePart.self) == .end(nil))
        #expect(try channel.readOutbound(as: HTTPResponsePart.self) == nil)
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == nil)
        #expect(!channel.isActive)
    }

    /// A connection whose requests the lane answers never gets Hummingbird's machinery (an
    /// `NIOAsyncChannel` and a task): that was 40 % of the CPU of a request on a new connection.
    @Test func laneOnlyConnectionsStayPlain() throws {
        var logger = Logger(label: "lane")
        logger.logLevel = .error
        let setup = ConnectionSetup(tls: nil, lane: Self.responder(), http1: HTTP1Channel(responder: { _, _, _ in }), logger: logger)
        let channel = EmbeddedChannel()
        try setup.configure(channel)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        for request in ["GET /ping HTTP/1.1\r\nHost: x\r\n\r\n", "GET /query?q=SHOW+DATABASES HTTP/1.1\r\nHost: x\r\n\r\n"] {
            try channel.writeInbound(ByteBuffer(string: request))
        }
        var written = ""
        while let part = try channel.readOutbound(as: ByteBuffer.self) { written += String(buffer: part) }
        #expect(written.hasPrefix("HTTP/1.1 204 No Content\r\n"))
        #expect(written.contains("HTTP/1.1 200 OK\r\n"))
        #expect(throws: (any Error).self) { try channel.pipeline.syncOperations.handler(type: HTTPConnectionStateHandler.self) }
        _ = try? channel.finish()
    }

    /// A GET with a body is not the lane's: head, body and end reach Hummingbird in order.
    @Test func aGetWithABodyIsHandedOn() throws {
        let channel = EmbeddedChannel(handler: FastLane(responder: Self.responder()))
        let head = Self.get("/query?q=SHOW+DATABASES")
        try channel.writeInbound(HTTPRequestPart.head(head))
        try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: "x")))
        try channel.writeInbound(HTTPRequestPart.end(nil))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == .head(head))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == .body(ByteBuffer(string: "x")))
        #expect(try channel.readInbound(as: HTTPRequestPart.self) == .end(nil))
        #expect(try channel.readOutbound(as: HTTPResponsePart.self) == nil)
        _ = try channel.finish()
    }
}

/// Pipelined requests on one real connection, mixing the lane (a query run off the loop, pings)
/// and Hummingbird (a write): the answers come back in request order, and a query sent after
/// the write sees it.
@Suite struct FastLanePipelineTests {
    @Test func pipelinedAnswersKeepTheirOrder() async throws {
        let store = MemoryStore()
        try await LiveServer.with(store: store) { server in
            let t0: Int64 = 1_600_000_000_000_000_000
            var lines = ""
            for i in 0..<100 { lines += "m,host=a v=\(i) \(t0 + Int64(i) * 10_000_000_000)\n" }
            let setup = try RawHTTP.exchange(port: server.port, [RawHTTP.post("/write?db=x", lines)], answers: 1)
            #expect(setup.map(\.status) == [204])
            // No time bound: beyond the inline span, so the count runs on the thread pool.
            let count = "/query?db=x&q=" + "SELECT count(v) FROM m".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let answers = try RawHTTP.exchange(port: server.port, [
                RawHTTP.get(count), RawHTTP.get("/ping"),
                RawHTTP.post("/write?db=x", "m,host=a v=1000 \(t0 + 1_000_000_000_000)\n"),
                RawHTTP.get(count), RawHTTP.get("/ping?verbose=true"), RawHTTP.get("/health"),
                RawHTTP.post("/query?db=x", "q=SELECT+count(v)+FROM+m", type: "application/x-www-form-urlencoded"),
            ], answers: 7)
            #expect(answers.map(\.status) == [200, 204, 204, 200, 204, 200, 200])
            #expect(answers[6].body == answers[3].body)
            #expect(answers[0].body.contains("[\"1970-01-01T00:00:00Z\",100]"), "\(answers[0].body)")
            #expect(answers[3].body.contains("[\"1970-01-01T00:00:00Z\",101]"), "\(answers[3].body)")
            #expect(answers[4].body.isEmpty)
            #expect(answers[5].body.contains("ready for queries and writes"))
        }
    }
}

/// HTTP/1.0 clients that do not ask to keep the connection (ApacheBench without `-k`) wait for
/// the server to close it after the answer, on the lane's paths and Hummingbird's alike.
@Suite struct HTTP10Tests {
    @Test func http10WithoutKeepAliveIsClosedAfterTheAnswer() async throws {
        try await LiveServer.with { server in
            for target in ["/ping", "/query?q=SHOW+DATABASES", "/metrics"] {
                let (answer, closed) = try RawHTTP.untilClosed(port: server.port, "GET \(target) HTTP/1.0\r\n\r\n")
                #expect(answer?.status != nil, "\(target)")
                #expect(closed, "\(target)")
            }
            let (kept, closed) = try RawHTTP.untilClosed(port: server.port, "GET /ping HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(kept?.status == 204)
            #expect(!closed)
        }
    }

    /// HTTP/1.1 with `Connection: close` (curl -H, scripts): answered with `Connection: close`
    /// as InfluxDB answers, and closed, on the lane's paths and Hummingbird's alike.
    @Test func connectionCloseIsAnsweredAndClosed() async throws {
        try await LiveServer.with { server in
            for (target, status) in [("/ping", 204), ("/query?q=SHOW+DATABASES", 200), ("/metrics", 200), ("/nowhere", 404)] {
                let (answer, closed) = try RawHTTP.untilClosed(port: server.port, "GET \(target) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                #expect(answer?.status == status, "\(target)")
                #expect(answer?.head.contains("connection: close") == true, "\(target): \(answer?.head ?? [])")
                #expect(closed, "\(target)")
            }
            let write = "POST /write?db=x HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\n\r\nm v=1"
            let (answer, closed) = try RawHTTP.untilClosed(port: server.port, write)
            #expect(answer?.status == 204)
            #expect(answer?.head.contains("connection: close") == true)
            #expect(closed)
        }
    }
}

/// A blocking HTTP/1.1 client on a raw socket: sends every request in one write (pipelined) and
/// reads the answers back by `Content-Length`.
enum RawHTTP {
    struct Answer {
        var status: Int
        var body: String
        /// The header lines, lowercased.
        var head: [String] = []
    }

    static func get(_ target: String) -> String { "GET \(target) HTTP/1.1\r\nHost: x\r\n\r\n" }

    static func post(_ target: String, _ body: String, type: String? = nil) -> String {
        let contentType = type.map { "Content-Type: \($0)\r\n" } ?? ""
        return "POST \(target) HTTP/1.1\r\nHost: x\r\n\(contentType)Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    static func exchange(port: Int, _ requests: [String], answers count: Int) throws -> [Answer] {
        let fd = try connected(port: port, timeout: 10)
        defer { close(fd) }
        let bytes = Array(requests.joined().utf8)
        guard send(fd, bytes, bytes.count, 0) == bytes.count else { throw InfluxHTTPError.client("send") }
        var received: [UInt8] = []
        var answers: [Answer] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while answers.count < count {
            if let (answer, used) = parse(received) {
                answers.append(answer)
                received.removeFirst(used)
                continue
            }
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { throw InfluxHTTPError.client("connection ended after \(answers.count) answers") }
            received += buffer[0..<n]
        }
        return answers
    }

    /// Sends one request and reads until the server closes the connection, or 2 s pass after a
    /// whole answer came (a slow machine gets 15 s for the answer itself).
    static func untilClosed(port: Int, _ request: String) throws -> (Answer?, closed: Bool) {
        let fd = try connected(port: port, timeout: 15)
        defer { close(fd) }
        let bytes = Array(request.utf8)
        guard send(fd, bytes, bytes.count, 0) == bytes.count else { throw InfluxHTTPError.client("send") }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var answered = false
        while true {
            if !answered, parse(received) != nil {
                answered = true
                var timeout = timeval(tv_sec: 2, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n == 0 { return (parse(received)?.0, true) }
            if n < 0 { return (parse(received)?.0, false) }
            received += buffer[0..<n]
        }
    }

    static func connected(port: Int, timeout seconds: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw InfluxHTTPError.client("socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw InfluxHTTPError.client("connect")
        }
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// One whole answer at the start of `bytes` and the bytes it took, or nil when incomplete.
    static func parse(_ bytes: [UInt8]) -> (Answer, Int)? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard bytes.count >= 4, let end = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<$0 + 4]) == separator }) else { return nil }
        let head = String(decoding: bytes[0..<end], as: UTF8.self).split(separator: "\r\n")
        let status = Int(head[0].split(separator: " ")[1]) ?? 0
        var length = 0
        for line in head.dropFirst() where line.lowercased().hasPrefix("content-length:") {
            length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        let total = end + 4 + length
        guard bytes.count >= total else { return nil }
        return (Answer(status: status, body: String(decoding: bytes[(end + 4)..<total], as: UTF8.self),
                       head: head.dropFirst().map { $0.lowercased() }), total)
    }
}

/// With authentication on, the lane answers only what needs no PBKDF2, and answers it as
/// Hummingbird's path does.
@Suite struct FastLaneAuthTests {
    static func responder(authFile: String) throws -> InfluxResponder {
        let users = try UserRegistry(directory: nil, fileUsers: UserFile.load(path: authFile))
        return InfluxResponder(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, authFile: authFile), store: MemoryStore(),
                               queries: FastLaneTests.SyncQueries(), stats: [], authenticator: Authenticator(users: users),
                               metrics: HTTPMetrics(registry: .init()), logger: Logger(label: "lane"), clock: { 0 })
    }

    func lane(_ responder: InfluxResponder, _ target: String, _ headers: HTTPFields = [:]) async throws -> (HTTPResponse, ByteBuffer)? {
        switch responder.answerNow(FastLaneTests.get(target, headers: headers), date: "d", on: MultiThreadedEventLoopGroup.singleton.next()) {
        case .declined: return nil
        case .now(let answer): return answer
        case .later(let future): return try await future.get()
        }
    }

    @Test func verifiedPasswordsAndRefusalsOnTheLaneUnverifiedOnesOffIt() async throws {
        let (_, path) = try AuthTests.authHarness()
        let responder = try Self.responder(authFile: path)
        let basicAuth: HTTPFields = [.authorization: basic("grafana", "s3cret:x")]
        // Not verified yet: PBKDF2 is the normal path's, off the loop.
        #expect(try await lane(responder, "/query?q=SHOW+DATABASES", basicAuth) == nil)
        #expect(try await lane(responder, "/query?q=SHOW+DATABASES&u=nobody&p=x") == nil)
        // Refusals that need no hashing are answered, with InfluxDB's text.
        let missing = try #require(try await lane(responder, "/query?q=SHOW+DATABASES"))
        #expect(missing.0.status.code == 401)
        #expect(String(buffer: missing.1) == #"{"error":"unable to parse authentication credentials"}"# + "\n")
        #expect(missing.0.headerFields[.wwwAuthenticate] == #"Basic realm="InfluxDB""#)
        let empty = try #require(try await lane(responder, "/query?q=SHOW+DATABASES", [.authorization: basic("", "x")]))
        #expect(String(buffer: empty.1) == #"{"error":"username required"}"# + "\n")
        // Once verified (as the normal path does), the same credentials stay on the lane.
        #expect(responder.authenticator?.check(user: nil, password: nil, authorization: basic("grafana", "s3cret:x")) != .denied)
        let allowed = try #require(try await lane(responder, "/query?q=SHOW+DATABASES", basicAuth))
        #expect(allowed.0.status.code == 200)
        let viaParams = try #require(try await lane(responder, "/query?q=SHOW+DATABASES&u=grafana&p=s3cret%3Ax"))
        #expect(viaParams.0.status.code == 200)
        // A wrong password for a verified user is the normal path's again (it hashes).
        #expect(try await lane(responder, "/query?q=SHOW+DATABASES", [.authorization: basic("grafana", "s3cret:y")]) == nil)
        // /ping is never authenticated.
        #expect(try await lane(responder, "/ping")?.0.status.code == 204)
    }
}
