import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A one-request HTTP/1.1 client for `query --url` (http and https), on NIO.
///
/// Deliberately not URLSession: FoundationNetworking drags libcurl, GnuTLS and Kerberos into
/// every process that links it, several MiB resident in `serve` too, which never uses them.
struct HTTPQueryClient {
    struct Response {
        var status: Int
        var body: [UInt8]
    }

    /// Why a request failed, in words (for "cannot connect to URL: reason").
    struct Failure: Error {
        var reason: String
    }

    let scheme: String
    let host: String
    let port: Int

    /// POSTs `body` to `target` (path and query) with `headers`; the whole answer.
    func post(_ target: String, headers: [(String, String)], body: [UInt8]) async throws -> Response {
        let promise = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: Response.self)
        let tls: NIOSSLContext?
        do {
            tls = scheme == "https" ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil
        } catch {
            throw Failure(reason: "TLS setup failed (\(error))")
        }
        let (host, port) = (self.host, self.port)
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: host))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(Collector(promise: promise))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            promise.fail(error)
            throw Failure(reason: Self.reason(error))
        }
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: target)
        head.headers.add(name: "Host", value: port == (scheme == "https" ? 443 : 80) ? host : "\(host):\(port)")
        head.headers.add(name: "Content-Length", value: String(body.count))
        head.headers.add(name: "Connection", value: "close")
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        defer { channel.close(promise: nil) }
        do {
            return try await promise.futureResult.get()
        } catch {
            throw Failure(reason: Self.reason(error))
        }
    }

    static func reason(_ error: any Error) -> String {
        if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNREFUSED: return "connection refused (is the server running and listening on that address?)"
            case ENETUNREACH, EHOSTUNREACH: return "network unreachable"
            case ETIMEDOUT: return "timed out"
            case ECONNRESET, EPIPE: return "the server closed the connection"
            default: return "\(io)"
            }
        }
        if let connect = error as? NIOConnectionError {
            if connect.dnsAAAAError != nil || connect.dnsAError != nil, connect.connectionErrors.isEmpty { return "host not found" }
            if let first = connect.connectionErrors.first { return reason(first.error) }
            return "cannot connect"
        }
        if error is ChannelError {
            switch error as! ChannelError {
            case .connectTimeout: return "timed out"
            case .eof, .ioOnClosedChannel, .alreadyClosed: return "the server closed the connection"
            default: return "\(error)"
            }
        }
        if error is NIOSSLError { return "TLS handshake failed (\(error))" }
        if let failure = error as? Failure { return failure.reason }
        return "\(error)"
    }

    /// Gathers the response parts into one `Response`.
    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        let promise: EventLoopPromise<Response>
        var status = 0
        var body: [UInt8] = []

        init(promise: EventLoopPromise<Response>) {
            self.promise = promise
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): status = Int(head.status.code)
            case .body(var buffer): body += buffer.readBytes(length: buffer.readableBytes) ?? []
            case .end: promise.succeed(Response(status: status, body: body))
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            promise.fail(ChannelError.eof)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            promise.fail(error)
            context.close(promise: nil)
        }
    }
}
