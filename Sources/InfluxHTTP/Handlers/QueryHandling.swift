import InfluxQL
import CompressNIO
import NIOCore
import QueryEngine

/// One `/query` request as the HTTP layer understood it.
public struct QueryRequest: Sendable, Hashable {
    public enum Format: Sendable, Hashable { case json, csv, msgpack }

    public var query: String
    public var database: String?
    public var retentionPolicy: String?
    /// The raw `epoch` parameter (nil or empty: RFC3339 strings).
    public var epoch: String?
    public var format: Format
    public var pretty: Bool
    public var chunked: Bool
    public var chunkSize: Int?
    /// The authenticated user, when authentication is on.
    public var user: String?
    /// Who runs the query, for the engine's privilege checks.
    public var authorization: QueryAuthorization
    /// A GET request (InfluxDB warns about statements that change state).
    public var readOnly: Bool
    /// The `params` parameter: values of the query's bound parameters (`$name`).
    public var params: [String: BoundParameter] = [:]
    /// Where a JSON answer's body goes: `QueryReply.body`, or straight into a response buffer
    /// (`QueryReply.buffer`) as it is encoded — through gzip when the client accepts it, so the
    /// plain JSON of a large answer never exists whole. Set by the HTTP layer.
    public var bodyTarget: BodyTarget = .array

    public enum BodyTarget: Sendable, Hashable {
        case array
        case buffer(gzip: Bool)
    }

    public init(query: String, database: String? = nil, retentionPolicy: String? = nil, epoch: String? = nil,
                format: Format = .json, pretty: Bool = false, chunked: Bool = false, chunkSize: Int? = nil, user: String? = nil,
                authorization: QueryAuthorization = .open, readOnly: Bool = false) {
        self.query = query
        self.database = database
        self.retentionPolicy = retentionPolicy
        self.epoch = epoch
        self.format = format
        self.pretty = pretty
        self.chunked = chunked
        self.chunkSize = chunkSize
        self.user = user
        self.authorization = authorization
        self.readOnly = readOnly
    }
}

/// What a query produced: an HTTP status and an encoded body in the requested format.
public struct QueryReply: Sendable, Hashable {
    public var status: Int
    public var body: [UInt8]
    /// The body written straight into a response buffer (`QueryRequest.bodyTarget`); `body` is
    /// then empty.
    public var buffer: ByteBuffer?
    /// `buffer` holds a gzip member.
    public var gzipped: Bool
    /// The message of a request InfluxDB refuses whole (parse error, denial): its `X-Influxdb-Error`.
    public var error: String?

    public init(status: Int, body: [UInt8], buffer: ByteBuffer? = nil, gzipped: Bool = false) {
        self.status = status
        self.body = body
        self.buffer = buffer
        self.gzipped = gzipped
    }

    /// The plain body as bytes, wherever it was written.
    public var plainBody: [UInt8] {
        guard let buffer else { return body }
        guard gzipped else { return Array(buffer.readableBytesView) }
        var compressed = buffer
        return (try? compressed.decompress(with: .gzip())).map { Array($0.readableBytesView) } ?? []
    }
}

/// A `chunked=true` answer encoded one chunk at a time, as the HTTP layer sends it: at most one
/// chunk's JSON exists at a time. Read by one task (the response writer), in order.
public final class QueryChunks: @unchecked Sendable {
    private var produce: () -> [UInt8]?

    /// - Parameter produce: the next chunk's bytes (newline included), nil after the last one.
    public init(_ produce: @escaping () -> [UInt8]?) {
        self.produce = produce
    }

    /// The next chunk, nil when done.
    public func next() -> [UInt8]? { produce() }
}

/// Runs InfluxQL text for `/query` (the query engine, adapted in `QueryExecutor+QueryHandling`).
public protocol QueryHandling: Sendable {
    /// The whole answer in one body (the CLI, tests).
    func handle(_ request: QueryRequest) async -> QueryReply
    /// The answer as the server sends it: `chunks` set for a streamed (`chunked=true`) answer, whose
    /// `reply.body` is then empty. By default the whole body.
    func respond(_ request: QueryRequest) async -> (reply: QueryReply, chunks: QueryChunks?)
    /// True when `respondNow` answers: the HTTP layer may then answer a `GET /query` on the
    /// connection's event loop, without a task (`FastLane`). False by default.
    var answersSynchronously: Bool { get }
    /// The answer computed on the calling thread. With `inline`, nil when the statement would
    /// read more than an event loop may (then call it again, without `inline`, on the thread
    /// pool). Nil by default.
    func respondNow(_ request: QueryRequest, inline: Bool) -> (reply: QueryReply, chunks: QueryChunks?)?
}

extension QueryHandling {
    public func respond(_ request: QueryRequest) async -> (reply: QueryReply, chunks: QueryChunks?) {
        (await handle(request), nil)
    }

    public var answersSynchronously: Bool { false }

    public func respondNow(_ request: QueryRequest, inline: Bool) -> (reply: QueryReply, chunks: QueryChunks?)? { nil }
}
