import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// NIO's HTTP/1 parts to HTTPTypes' and back, as `HTTP1ToHTTPServerCodec` converts them, but a
/// request target in origin form (starting with `/`, what every client sends a server) becomes
/// the request's path as it is. The library's conversion parses every target as a URL first
/// (`URLComponents`) and, finding no scheme, which a target starting with `/` cannot have, keeps
/// it as it is: 14 000 instructions a request, 4 % of a panel request's fixed cost.
final class HTTP1ToHTTPTypes: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let secure: Bool

    init(secure: Bool) {
        self.secure = secure
    }

    /// The request `head` stands for (the library's conversion, with its origin-form shortcut).
    static func request(_ head: HTTPRequestHead, secure: Bool) throws -> HTTPRequest {
        guard head.uri.utf8.first == UInt8(ascii: "/") else { return try HTTPRequest(head, secure: secure, splitCookie: false) }
        return HTTPRequest(method: try HTTPRequest.Method(head.method), scheme: secure ? "https" : "http",
                           authority: head.headers["Host"].first, path: head.uri,
                           headerFields: HTTPFields(head.headers, splitCookie: false))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            do {
                context.fireChannelRead(wrapInboundOut(.head(try Self.request(head, secure: secure))))
            } catch {
                context.fireErrorCaught(error)
            }
        case .body(let body):
            context.fireChannelRead(wrapInboundOut(.body(body)))
        case .end(let trailers):
            context.fireChannelRead(wrapInboundOut(.end(trailers.map { HTTPFields($0, splitCookie: false) })))
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let response):
            context.write(wrapOutboundOut(.head(HTTPResponseHead(response))), promise: promise)
        case .body(let body):
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: promise)
        case .end(let trailers):
            context.write(wrapOutboundOut(.end(trailers.map(HTTPHeaders.init))), promise: promise)
        }
    }
}
