import NIOCore
import NIOHTTP1

/// Marks a request that does not keep its connection (HTTP/1.0 without `Connection: keep-alive`)
/// with `Connection: close` before the HTTP/1 head becomes an `HTTPRequest`, which has no version:
/// Hummingbird then closes the connection after the answer, as HTTP/1.0 clients (ApacheBench
/// without `-k`, old probes) wait for, and as InfluxDB does; `FastLane` leaves such requests to it.
final class CloseAfterHTTP10: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data), !head.isKeepAlive, !head.headers.contains(name: "connection") else {
            context.fireChannelRead(data)
            return
        }
        head.headers.add(name: "Connection", value: "close")
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }
}
