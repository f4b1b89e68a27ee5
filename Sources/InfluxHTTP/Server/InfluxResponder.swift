import CompressNIO
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import QueryEngine
import TimeSeries

/// Routes requests to the InfluxDB 1.x endpoints and adds the headers InfluxDB sends on
/// every answer (`X-Influxdb-Version`, `X-Influxdb-Build`, `Request-Id`).
struct InfluxResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let configuration: HTTPServerConfiguration
    let store: any SeriesStore
    let queries: any QueryHandling
    let stats: [any StatsProvider]
    let authenticator: Authenticator?
    let metrics: HTTPMetrics
    let logger: Logger
    let clock: @Sendable () -> Int64
    let gzip = GzipPool()
    /// `X-Influxdb-Build`, `X-Influxdb-Version` and `X-Collectlite-Version`, made once: a field
    /// checks its value when made, about 2 000 instructions a field of every answer.
    let versionFields: [HTTPField]

    init(configuration: HTTPServerConfiguration, store: any SeriesStore, queries: any QueryHandling, stats: [any StatsProvider],
         authenticator: Authenticator?, metrics: HTTPMetrics, logger: Logger, clock: @escaping @Sendable () -> Int64) {
        self.configuration = configuration
        self.store = store
        self.queries = queries
        self.stats = stats
        self.authenticator = authenticator
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
        var fields = [HTTPField(name: .influxBuild, value: configuration.build), HTTPField(name: .influxVersion, value: configuration.version)]
        if let version = configuration.collectliteVersion { fields.append(HTTPField(name: .collectliteVersion, value: version)) }
        versionFields = fields
    }

    /// The fields every JSON answer and every gzipped one has, made once.
    static let jsonContentType = HTTPField(name: .contentType, value: "application/json")
    static let gzipEncoding = HTTPField(name: .contentEncoding, value: "gzip")

    /// An answer before headers and compression are applied.
    struct Reply: Sendable {
        var status: Int
        var contentType: String? = "application/json"
        var body: [UInt8] = []
        /// The body already in a response buffer (a query's JSON); `body` is then empty.
        var buffer: ByteBuffer? = nil
        /// `buffer` holds a gzip member.
        var gzipped = false
        var headers: [(HTTPField.Name, String)] = []
        /// A streamed answer (`chunked=true`): sent chunk by chunk after `body`.
        var chunks: QueryChunks? = nil
        /// The request reached an endpoint (InfluxDB adds its CORS headers to those answers,
        /// not to a 404 or 405 from its router).
        var routed = true
        /// The message of an `{"error": …}` answer (written in MessagePack for a client that
        /// asks for it, as InfluxDB writes every error through its response formatter).
        var errorMessage: String? = nil

        /// InfluxDB's `httpError`: `{"error":…}`, and the message in `X-Influxdb-Error`.
        static func error(_ status: Int, _ message: String) -> Reply {
            Reply(status: status, body: JSONText.error(message), headers: errorHeader(message), errorMessage: message)
        }

        /// `X-Influxdb-Error` (newlines as spaces, as Go writes header values).
        static func errorHeader(_ message: String?) -> [(HTTPField.Name, String)] {
            guard let message else { return [] }
            return [(.influxError, String(message.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 }))]
        }

        static func notFound() -> Reply {
            Reply(status: 404, contentType: "text/plain; charset=utf-8", body: Array("404 page not found\n".utf8),
                  headers: [(.xContentTypeOptions, "nosniff")], routed: false)
        }

        /// 405 with the methods the endpoint takes (`allow`, as InfluxDB's router lists them).
        static func methodNotAllowed(allow: String) -> Reply {
            Reply(status: 405, contentType: "text/plain; charset=utf-8", body: Array("Method Not Allowed\n".utf8),
                  headers: [(.allow, allow), (.xContentTypeOptions, "nosniff")], routed: false)
        }

        /// This reply for a client whose `Accept` is exactly `application/x-msgpack`: a JSON
        /// error as `{"error": …}` in MessagePack.
        func formatted(accept: String?) -> Reply {
            guard let errorMessage, accept == InfluxResponder.msgpackType, contentType == "application/json" else { return self }
            var reply = self
            reply.contentType = InfluxResponder.msgpackType
            reply.body = ResultWriter.msgpackError(errorMessage)
            reply.buffer = nil
            return reply
        }

        /// The answer to a CORS preflight (`OPTIONS /query`, `OPTIONS /write`): empty, with the
        /// CORS headers when the request names an `Origin`.
        static let preflight = Reply(status: 200, contentType: nil)

        static func unauthorized(_ message: String) -> Reply {
            Reply(status: 401, body: JSONText.error(message), headers: [(.wwwAuthenticate, "Basic realm=\"InfluxDB\"")], errorMessage: message)
        }
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        var request = request
        let endpoint: String
        let reply: Reply
        switch request.uri.path {
        case "/ping":
            endpoint = "ping"
            reply = ping(method: request.method)
        case "/health":
            endpoint = "health"
            reply = health(method: request.method)
        case "/query":
            endpoint = "query"
            reply = await query(&request)
        case "/write":
            endpoint = "write"
            reply = await write(&request)
        case "/metrics":
            endpoint = "metrics"
            reply = await metricsPage(request)
        case "/debug/vars":
            endpoint = "debug"
            reply = await debugVars(request)
        default:
            if let page = console(request) {
                endpoint = "console"
                reply = page
            } else {
                endpoint = "other"
                reply = .notFound()
            }
        }
        metrics.countRequest(endpoint: endpoint, status: reply.status)
        return await finish(reply, request: request)
    }

    /// Bodies from this size on are compressed or decompressed on `NIOThreadPool`: a request runs
    /// on its connection's event loop, and megabytes of zlib there would hold up every other
    /// connection of that loop.
    static let offloadBytes = 64 * 1024

    func finish(_ reply: Reply, request: Request) async -> Response {
        let reply = reply.formatted(accept: request.headers[.accept])
        var fields = headerFields(reply, origin: request.headers[.origin])
        if let chunks = reply.chunks {
            let stream = Self.acceptsGzip(request.headers[.acceptEncoding]) ? gzip.take() : nil
            if stream != nil { fields[.contentEncoding] = "gzip" }
            return Response(status: HTTPResponse.Status(code: reply.status), headers: fields,
                            body: gzip.streamedBody(chunks, through: stream))
        }
        var body = reply.buffer ?? ByteBuffer(bytes: reply.body)
        if reply.gzipped {
            fields[.contentEncoding] = "gzip"
        } else if body.readableBytes > 0, Self.acceptsGzip(request.headers[.acceptEncoding]) {
            let plain = body, gzip = self.gzip
            if let compressed = try? await zlib(plain.readableBytes, { gzip.compress(plain) }) {
                fields[.contentEncoding] = "gzip"
                body = compressed
            }
        }
        return Response(status: HTTPResponse.Status(code: reply.status), headers: fields, body: ResponseBody(byteBuffer: body))
    }

    /// The headers of every answer (InfluxDB's, then the reply's own); `Date` and
    /// `Content-Length` are the server's. A request with an `Origin` (a browser: Grafana's
    /// "Browser" access, a page of one's own) gets InfluxDB's CORS headers on every endpoint's
    /// answer: any origin, InfluxDB's methods and headers.
    func headerFields(_ reply: Reply, origin: String?) -> HTTPFields {
        // Appended, not set: the names are distinct and the fields start empty, and setting
        // looked for an earlier field of each name (11 000 instructions a request).
        var fields = HTTPFields()
        fields.reserveCapacity(12 + reply.headers.count)
        if reply.routed, let origin, !origin.isEmpty {
            fields.append(HTTPField(name: .accessControlAllowHeaders,
                                    value: "Accept, Accept-Encoding, Authorization, Content-Length, Content-Type, X-CSRF-Token, X-HTTP-Method-Override"))
            fields.append(HTTPField(name: .accessControlAllowMethods, value: "DELETE, GET, OPTIONS, POST, PUT"))
            fields.append(HTTPField(name: .accessControlAllowOrigin, value: origin))
            fields.append(HTTPField(name: .accessControlExposeHeaders, value: "Date, X-InfluxDB-Version, X-InfluxDB-Build"))
        }
        let id = RequestID.make()
        if let type = reply.contentType {
            fields.append(type == "application/json" ? Self.jsonContentType : HTTPField(name: .contentType, value: type))
        }
        fields.append(HTTPField(name: .requestID, value: id))
        fields.append(contentsOf: versionFields)
        fields.append(HTTPField(name: .xRequestID, value: id))
        for (name, value) in reply.headers { fields.append(HTTPField(name: name, value: value)) }
        return fields
    }

    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        var text = header
        if let answer = text.withUTF8({ acceptsGzip(bytes: $0) }) { return answer }
        return acceptsGzipByCharacters(header)
    }

    /// The definition: some comma-separated part whose coding (its first non-empty
    /// `;`-separated piece, without spaces, tabs and CRs around it) is gzip in any case, and
    /// which, without its spaces, does not end in `q=0`.
    static func acceptsGzipByCharacters(_ header: String) -> Bool {
        header.split(separator: ",").contains { (part: Substring) -> Bool in
            let coding = part.split(separator: ";").first?.trimmingASCIIWhitespace.lowercased()
            return coding == "gzip" && !String(part).replacingAll(" ", with: "").hasSuffix("q=0")
        }
    }

    /// The definition over the bytes of a header of printable ASCII, spaces and tabs (nil for any
    /// other, whose characters the definition then reads): splitting, lowercasing and copying
    /// the parts cost 7 500 instructions a request, twice per panel.
    static func acceptsGzip(bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        for b in bytes where (b < 0x20 && b != 0x09) || b > 0x7E { return nil }
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: ",") { end += 1 }
            if partAcceptsGzip(bytes, start, end) { return true }
            start = end + 1
        }
        return false
    }

    private static func partAcceptsGzip(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        // The coding: the first non-empty piece between semicolons, trimmed.
        var s = start
        while s < end && bytes[s] == UInt8(ascii: ";") { s += 1 }
        var e = s
        while e < end && bytes[e] != UInt8(ascii: ";") { e += 1 }
        while s < e && (bytes[s] == 0x20 || bytes[s] == 0x09) { s += 1 }
        while e > s && (bytes[e - 1] == 0x20 || bytes[e - 1] == 0x09) { e -= 1 }
        guard e - s == 4, bytes[s] | 0x20 == UInt8(ascii: "g"), bytes[s + 1] | 0x20 == UInt8(ascii: "z"),
              bytes[s + 2] | 0x20 == UInt8(ascii: "i"), bytes[s + 3] | 0x20 == UInt8(ascii: "p") else { return false }
        // Not ending in "q=0" once spaces are gone: the last three bytes that are not spaces.
        var tail: UInt32 = 0
        var found = 0
        var i = end
        while i > start && found < 3 {
            i -= 1
            if bytes[i] == 0x20 { continue }
            tail |= UInt32(bytes[i]) << (8 * found)
            found += 1
        }
        let q0 = UInt32(UInt8(ascii: "q")) << 16 | UInt32(UInt8(ascii: "=")) << 8 | UInt32(UInt8(ascii: "0"))
        return !(found == 3 && tail == q0)
    }

    /// gzip work on `bytes` of input: inline when small, else on the thread pool (`offloadBytes`).
    func zlib<T: Sendable>(_ bytes: Int, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        bytes < Self.offloadBytes ? try work() : try await offload(work)
    }

    /// Runs blocking store/engine work on NIO's thread pool, off the event loops.
    func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(work)
    }

    /// Who sent a request, once authenticated.
    struct Caller: Sendable {
        /// Authentication is on (`--http-auth-enabled` or `--http-auth-file`).
        var enforced: Bool
        /// The authenticated user; nil while no admin exists (or when not enforced).
        var user: UserInfo?

        static let open = Caller(enforced: false, user: nil)

        var authorization: QueryAuthorization {
            guard enforced else { return .open }
            return user.map { .user($0) } ?? .anonymous
        }
    }

    /// Authentication for everything but /ping and /health: a reply when refused.
    func authenticate(_ request: Request, _ params: Parameters) async -> (reply: Reply?, caller: Caller) {
        guard let authenticator else { return (nil, .open) }
        let user = params["u"]
        let password = params["p"]
        let header = request.headers[.authorization]
        let outcome = (try? await offload { authenticator.check(user: user, password: password, authorization: header) }) ?? .denied
        return Self.caller(outcome)
    }

    /// The refusal or the caller an authentication outcome means.
    static func caller(_ outcome: Authenticator.Outcome) -> (reply: Reply?, caller: Caller) {
        switch outcome {
        case .allowed(let info): return (nil, Caller(enforced: true, user: info))
        case .anonymous: return (nil, Caller(enforced: true, user: nil))
        case .missingCredentials: return (.unauthorized("unable to parse authentication credentials"), .open)
        case .usernameRequired: return (.unauthorized("username required"), .open)
        case .denied: return (.unauthorized("authorization failed"), .open)
        }
    }

    /// Collects the body within the size limit, undoing `Content-Encoding: gzip`.
    func readBody(_ request: inout Request) async -> Result<[UInt8], ReplyError> {
        let limit = configuration.maxBodySize
        var buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            return .failure(ReplyError(.error(413, "Request Entity Too Large")))
        } catch {
            return .failure(ReplyError(.error(400, "\(error)")))
        }
        if request.headers[.contentEncoding]?.lowercased() == "gzip" {
            do {
                let compressed = buffer
                buffer = try await zlib(compressed.readableBytes) { var input = compressed; return try input.decompress(with: .gzip(), maxSize: limit) }
            } catch let error as CompressNIOError where error == .bufferOverflow {
                return .failure(ReplyError(.error(413, "Request Entity Too Large")))
            } catch {
                return .failure(ReplyError(.error(400, "gzip: invalid header")))
            }
        }
        return .success(Array(buffer.readableBytesView))
    }

    struct ReplyError: Error {
        var reply: Reply
        init(_ reply: Reply) { self.reply = reply }
    }
}

extension HTTPField.Name {
    static let requestID = HTTPField.Name("Request-Id")!
    static let xRequestID = HTTPField.Name("X-Request-Id")!
    static let influxBuild = HTTPField.Name("X-Influxdb-Build")!
    static let influxVersion = HTTPField.Name("X-Influxdb-Version")!
    static let collectliteVersion = HTTPField.Name("X-Collectlite-Version")!
    static let influxError = HTTPField.Name("X-Influxdb-Error")!
}
