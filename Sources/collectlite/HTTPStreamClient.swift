import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// HTTP/1.1 requests for `collectlite import`, on NIO: answers are streamed line by line with
/// backpressure (a chunked `/query` answer is one JSON document per line), so a big answer
/// never sits in memory whole. One connection per request.
struct HTTPStreamClient: Sendable {
    let base: URL
    let scheme: String
    let host: String
    let port: Int
    /// `Basic …`, when a user was given.
    let authorization: String?

    init(url text: String, username: String?, password: String?) throws {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty
        else { throw ImportError("invalid URL \(text): expected http://host:port or https://host:port") }
        self.base = url
        self.scheme = scheme
        self.host = host
        self.port = url.port ?? (scheme == "https" ? 443 : 80)
        self.authorization = username.map { "Basic " + Data("\($0):\(password ?? "")".utf8).base64EncodedString() }
    }

    /// `path` with the query items, percent-encoded (`+` and `;` too, which servers read specially).
    func target(_ path: String, _ items: [(String, String)]) -> String {
        let prefix = base.path.hasSuffix("/") ? String(base.path.dropLast()) : base.path
        let query = Self.formEncoded(items)
        return prefix + path + (query.isEmpty ? "" : "?" + query)
    }

    /// `a=1&b=x%20y`.
    static func formEncoded(_ items: [(String, String)]) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "+;&=")
        return items.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.1)" }.joined(separator: "&")
    }

    /// Sends one request; `onLine` gets each line of a 2xx answer as it arrives (without the
    /// newline). Returns the status; the body of an answer that is not 2xx comes back whole.
    func send(method: HTTPMethod, _ target: String, headers: [(String, String)] = [], body: [UInt8] = [],
              onLine: ([UInt8]) async throws -> Void = { _ in }) async throws -> (status: Int, body: [UInt8]) {
        let tls: NIOSSLContext? = scheme == "https" ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil
        let host = self.host
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: host))
                        }
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw ImportError("cannot connect to \(scheme)://\(host):\(port): \(HTTPQueryClient.reason(error))")
        }
        var head = HTTPRequestHead(version: .http1_1, method: method, uri: target)
        head.headers.add(name: "Host", value: "\(host):\(port)")
        head.headers.add(name: "Content-Length", value: String(body.count))
        head.headers.add(name: "Connection", value: "close")
        if let authorization { head.headers.add(name: "Authorization", value: authorization) }
        for (name, value) in headers { head.headers.add(name: name, value: value) }
        do {
            return try await channel.executeThenClose { inbound, outbound in
                // One write and flush: a server may answer and close as soon as it has the request,
                // so a failed write is left for the answer (or its absence) to tell.
                var parts: [HTTPClientRequestPart] = [.head(head)]
                if !body.isEmpty { parts.append(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
                parts.append(.end(nil))
                try? await outbound.write(contentsOf: parts)
                var status = 0
                var pending: [UInt8] = []
                var whole: [UInt8] = []
                for try await part in inbound {
                    switch part {
                    case .head(let response):
                        status = Int(response.status.code)
                    case .body(let buffer):
                        guard (200..<300).contains(status) else {
                            whole += buffer.readableBytesView
                            continue
                        }
                        pending += buffer.readableBytesView
                        var start = 0
                        while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                            if newline > start { try await onLine(Array(pending[start..<newline])) }
                            start = newline + 1
                        }
                        pending.removeFirst(start)
                    case .end:
                        if !pending.isEmpty, (200..<300).contains(status) { try await onLine(pending) }
                        return (status, whole)
                    }
                }
                throw ImportError("\(scheme)://\(host):\(port) closed the connection before the answer ended")
            }
        } catch let error as ImportError {
            throw error
        } catch {
            throw ImportError("request to \(scheme)://\(host):\(port) failed: \(HTTPQueryClient.reason(error))")
        }
    }

    /// Runs InfluxQL through `/query` and returns the decoded answer: GET for reads, POST
    /// (form-encoded) for `change`, as InfluxDB requires for statements that change data.
    func query(_ text: String, database: String?, change: Bool = false) async throws -> [String: Any] {
        var items = [("epoch", "ns")]
        if let database { items.append(("db", database)) }
        var lines: [[UInt8]] = []
        let status: Int
        let body: [UInt8]
        if change {
            let form = Array(Self.formEncoded([("q", text)]).utf8)
            (status, body) = try await send(method: .POST, target("/query", items),
                                            headers: [("Content-Type", "application/x-www-form-urlencoded")], body: form) { lines.append($0) }
        } else {
            (status, body) = try await send(method: .GET, target("/query", items + [("q", text)])) { lines.append($0) }
        }
        let answer = String(decoding: lines.isEmpty ? body : Array(lines.joined(separator: [10])), as: UTF8.self)
        guard (200..<300).contains(status) else {
            throw ImportError("\(base.absoluteString) answered \(status) to \(text): \(answer.prefix(300))")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any] else {
            throw ImportError("\(base.absoluteString) answered no JSON to \(text): \(answer.prefix(300))")
        }
        return object
    }
}

/// Why `collectlite import` stopped, in words for the user.
struct ImportError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
