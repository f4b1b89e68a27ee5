import HTTPTypes
import NIOCore
import NIOPosix

extension InfluxResponder {
    /// What `FastLane` does with a bodiless request.
    enum LaneAnswer {
        /// Hummingbird answers it (the normal path).
        case declined
        /// The answer, computed on the event loop.
        case now((HTTPResponse, ByteBuffer))
        /// The answer, computed on the thread pool.
        case later(EventLoopFuture<(HTTPResponse, ByteBuffer)>)
    }

    /// `/ping`, `/health` and a `/query` (GET, or POST of a form or InfluxQL `body`) that is not
    /// `chunked=true` (with authentication on, from a user whose password was verified before),
    /// answered as `respond(to:context:)` would answer them (same replies, same headers).
    func answerNow(_ head: HTTPRequest, body: ByteBuffer? = nil, date: String, on loop: any EventLoop) -> LaneAnswer {
        guard let target = head.path, !Self.hasFragment(target) else { return .declined }
        let path: Substring
        let query: String?
        if let mark = target.utf8.firstIndex(of: UInt8(ascii: "?")) {
            path = target[..<mark]
            query = String(target[target.utf8.index(after: mark)...])
        } else {
            path = Substring(target)
            query = nil
        }
        let accepted = head.headerFields.value(.acceptEncoding)
        let origin = head.headerFields.value(.origin)
        let accept = head.headerFields.value(.accept)
        let reply: Reply
        let endpoint: String
        switch path {
        case "/ping":
            endpoint = "ping"
            reply = ping(method: head.method)
        case "/health":
            endpoint = "health"
            reply = health(method: head.method)
        case "/query":
            guard head.method == .get || head.method == .post, queries.answersSynchronously else { return .declined }
            endpoint = "query"
            let format = Self.format(accept: accept)
            // As `query(_:)`: a POST's form adds parameters, an InfluxQL body is the query.
            var form: [UInt8]?
            var rawQuery: String?
            if head.method == .post {
                guard head.headerFields.value(.contentEncoding) == nil, (body?.readableBytes ?? 0) <= configuration.maxBodySize,
                      let kind = QueryBody(contentType: head.headerFields.value(.contentType)) else { return .declined }
                (form, rawQuery) = kind.read(body.map { Array($0.readableBytesView) } ?? [])
            }
            let params = Parameters(query: query, form: form)
            var caller = Caller.open
            if let authenticator {
                // A password not verified before needs PBKDF2, which the normal path runs off the loop.
                guard let outcome = authenticator.checkWithoutHashing(
                    user: params["u"], password: params["p"], authorization: head.headerFields.value(.authorization)) else { return .declined }
                let (denied, known) = Self.caller(outcome)
                if let denied {
                    metrics.countRequest(endpoint: endpoint, status: denied.status)
                    return .now(laneResponse(denied, acceptEncoding: accepted, accept: accept, origin: origin, date: date))
                }
                caller = known
            }
            var request: QueryRequest
            switch Self.queryRequest(params: params, rawQuery: rawQuery, format: format, caller: caller, readOnly: head.method == .get) {
            case .failure(let error):
                reply = error.reply
                metrics.countRequest(endpoint: endpoint, status: reply.status)
                return .now(laneResponse(reply, acceptEncoding: accepted, accept: accept, origin: origin, date: date))
            case .success(let built):
                request = built
            }
            guard !request.chunked else { return .declined }
            let started = ContinuousClock.now
            // Answered here, the JSON goes into a plain buffer (a large one is gzipped on the
            // thread pool below); answered on the thread pool, it is gzipped as it is encoded.
            request.bodyTarget = .buffer(gzip: false)
            if let (answer, _) = queries.respondNow(request, inline: true) {
                metrics.recordQuery(duration: ContinuousClock.now - started, status: answer.status)
                reply = Self.queryReply(answer, format: format)
            } else {
                let queries = self.queries, metrics = self.metrics
                request.bodyTarget = .buffer(gzip: Self.acceptsGzip(accepted))
                return .later(NIOThreadPool.singleton.runIfActive(eventLoop: loop) { [request] in
                    let answer = queries.respondNow(request, inline: false)?.reply
                        ?? QueryReply(status: 500, body: EngineQueries.errorBody("query could not run", format))
                    metrics.recordQuery(duration: ContinuousClock.now - started, status: answer.status)
                    metrics.countRequest(endpoint: endpoint, status: answer.status)
                    return laneResponse(InfluxResponder.queryReply(answer, format: format), acceptEncoding: accepted, accept: accept, origin: origin, date: date)
                })
            }
        default:
            return .declined
        }
        metrics.countRequest(endpoint: endpoint, status: reply.status)
        if !reply.gzipped, (reply.buffer?.readableBytes ?? reply.body.count) >= Self.offloadBytes, Self.acceptsGzip(accepted) {
            // Megabytes of zlib would hold up every other connection of this loop.
            return .later(NIOThreadPool.singleton.runIfActive(eventLoop: loop) {
                laneResponse(reply, acceptEncoding: accepted, accept: accept, origin: origin, date: date)
            })
        }
        return .now(laneResponse(reply, acceptEncoding: accepted, accept: accept, origin: origin, date: date))
    }

    /// The target has a `#`: the bytes scanned in place (`String.UTF8View.contains` cost 27
    /// instructions a byte, as much as a panel's URL parsing).
    static func hasFragment(_ target: String) -> Bool {
        target.utf8.withContiguousStorageIfAvailable { $0.contains(UInt8(ascii: "#")) } ?? target.utf8.contains(UInt8(ascii: "#"))
    }

    /// The response head and body of a reply: `finish`'s headers, gzip when accepted,
    /// `Content-Length` and `Date` as Hummingbird adds them.
    func laneResponse(_ reply: Reply, acceptEncoding: String?, accept: String?, origin: String?, date: String) -> (HTTPResponse, ByteBuffer) {
        let reply = reply.formatted(accept: accept)
        var fields = headerFields(reply, origin: origin)
        var body = reply.buffer ?? ByteBuffer(bytes: reply.body)
        // Appended: `headerFields` has none of these three.
        if reply.gzipped {
            fields.append(Self.gzipEncoding)
        } else if body.readableBytes > 0, Self.acceptsGzip(acceptEncoding) {
            fields.append(Self.gzipEncoding)
            body = gzip.compress(body)
        }
        fields.append(HTTPField(name: .contentLength, value: String(body.readableBytes)))
        fields.append(HTTPField(name: .date, value: date))
        return (HTTPResponse(status: HTTPResponse.Status(code: reply.status), headerFields: fields), body)
    }
}
