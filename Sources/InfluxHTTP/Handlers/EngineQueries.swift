#if canImport(QueryEngine)
import Logging
import NIOPosix
import Prometheus
import QueryEngine
import TimeSeries

/// `/query` on the real query engine: runs the executor on NIO's thread pool (queries scan
/// storage synchronously) and encodes answers as InfluxDB does, chunked when asked.
public struct EngineQueries: QueryHandling {
    public let executor: QueryExecutor
    public let limits: QueryLimits

    public init(executor: QueryExecutor, limits: QueryLimits = QueryLimits()) {
        self.executor = executor
        self.limits = limits
    }

    public func handle(_ request: QueryRequest) async -> QueryReply {
        let (reply, chunks) = await respond(request)
        guard let chunks else { return reply }
        var body = reply.plainBody
        while let piece = chunks.next() { body += piece }
        return QueryReply(status: reply.status, body: body)
    }

    public func respond(_ request: QueryRequest) async -> (reply: QueryReply, chunks: QueryChunks?) {
        // An answer made on the caller's task is not gzipped there (the HTTP layer compresses a
        // large one on the thread pool); one made on the thread pool is, as it is encoded.
        var onTask = request
        if case .buffer = request.bodyTarget { onTask.bodyTarget = .buffer(gzip: false) }
        if let now = respondNow(onTask, inline: true) { return now }
        do {
            return try await NIOThreadPool.singleton.runIfActive { respondNow(request, inline: false)! }
        } catch {
            return (QueryReply(status: 500, body: JSONText.error("\(error)")), nil)
        }
    }

    public var answersSynchronously: Bool { true }

    public func respondNow(_ request: QueryRequest, inline: Bool) -> (reply: QueryReply, chunks: QueryChunks?)? {
        var options = QueryOptions(database: request.database, retentionPolicy: request.retentionPolicy, limits: limits,
                                   authorization: request.authorization, readOnly: request.readOnly)
        options.params = request.params
        if request.chunked && request.format == .json {
            // A chunked raw SELECT streams from the thread pool, a chunk per `next()`.
            if inline { return nil }
            if let stream = executor.stream(request.query, options: options, chunkSize: request.chunkSize ?? 10_000) {
                let epoch = request.epoch.map { Epoch(parameter: $0) ?? .ns }, pretty = request.pretty
                return (QueryReply(status: 200, body: []), QueryChunks {
                    guard let piece = stream.next() else { return nil }
                    var body = ResultWriter.json(piece, epoch: epoch, pretty: pretty)
                    body.append(10)
                    return body
                })
            }
        }
        let response: QueryResponse
        if !inline || Self.readsIndexOnly(request.query) {
            // Index reads are microseconds of work on the in-memory series index: two thread
            // switches (to the pool and back) would cost more than the statement.
            response = executor.execute(request.query, options: options)
        } else if let small = executor.executeInline(request.query, options: options, limits: Self.inline) {
            // A panel's SELECT over a few series and hours: two thread switches would cost
            // more than the statement, which gave up here if it was larger.
            response = small
        } else {
            return nil
        }
        let encoded = Self.encodeStreaming(response, request, rowLimit: limits.maxRows)
        if inline, let loop = MultiThreadedEventLoopGroup.currentEventLoop {
            // Answered on the event loop, the answer is written before this loop's next task
            // runs: the rows are freed there, after the write, and not before it while the
            // client waits (freeing a panel's rows was about 2 % of its request).
            loop.execute { withExtendedLifetime(response) {} }
        }
        return encoded
    }

    /// What a SELECT may read on the handler's task before it moves to the thread pool: about a
    /// millisecond of decoding at most.
    static let inline = InlineLimits(series: 32, points: 50_000, span: 25 * 3_600_000_000_000)

    /// One statement that reads only the in-memory series index and answers with at most one row per
    /// tag value, measurement or field (what Grafana's template variables and health check send):
    /// `SHOW DATABASES | MEASUREMENTS | TAG KEYS | TAG VALUES | FIELD KEYS | RETENTION POLICIES`.
    /// A false answer only means the statement runs on the thread pool.
    static func readsIndexOnly(_ query: String) -> Bool {
        // Most queries are SELECTs: refuse them before splitting anything.
        let head = query.utf8.prefix(4)
        guard head.count == 4, zip(head, "show".utf8).allSatisfy({ $0 | 0x20 == $1 }) else { return false }
        var words: [Substring] = []
        var text = Substring(query)
        while let last = text.last, last == ";" || last == " " || last == "\n" || last == "\t" || last == "\r" { text = text.dropLast() }
        if text.contains(";") { return false }
        for word in text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).prefix(3) { words.append(word) }
        guard words.count >= 2, words[0].lowercased() == "show" else { return false }
        switch words[1].lowercased() {
        case "databases", "measurements", "retention": return true
        case "tag", "field": return words.count == 3 && ["keys", "values"].contains(words[2].lowercased())
        default: return false
        }
    }

    /// A request refused whole, in the requested format.
    static func errorBody(_ message: String, _ format: QueryRequest.Format) -> [UInt8] {
        switch format {
        case .json: JSONText.error(message)
        case .csv: JSONText.csvError(message)
        case .msgpack: ResultWriter.msgpackError(message)
        }
    }

    /// Encodes one answer in one body (chunks joined).
    static func encode(_ response: QueryResponse, _ request: QueryRequest, rowLimit: Int = 0) -> QueryReply {
        let (reply, chunks) = encodeStreaming(response, request, rowLimit: rowLimit)
        guard let chunks else { return reply }
        var body = reply.body
        while let piece = chunks.next() { body += piece }
        return QueryReply(status: reply.status, body: body)
    }

    /// Encodes one answer; a parse error is HTTP 400 with InfluxDB's `{"error":…}`. A chunked JSON
    /// answer comes back as chunks encoded on demand.
    static func encodeStreaming(_ response: QueryResponse, _ request: QueryRequest, rowLimit: Int = 0) -> (reply: QueryReply, chunks: QueryChunks?) {
        // InfluxDB reads an unknown epoch as nanoseconds (recorded from 1.6.7: epoch=xx).
        let epoch = request.epoch.map { Epoch(parameter: $0) ?? .ns }
        if let parseError = response.parseError {
            let body = Self.errorBody(parseError, request.format)
            var reply = QueryReply(status: 400, body: body)
            reply.error = parseError
            return (reply, nil)
        }
        if let denial = response.authorizationError {
            let body = Self.errorBody(denial, request.format)
            var reply = QueryReply(status: 403, body: body)
            reply.error = denial
            return (reply, nil)
        }
        switch request.format {
        case .csv:
            let assembled = ResponseAssembly.nonChunked(response, rowLimit: rowLimit)
            return (QueryReply(status: 200, body: ResultWriter.csv(assembled, epoch: epoch)), nil)
        case .msgpack where request.chunked:
            // As InfluxDB: one MessagePack object per chunk, back to back.
            let pieces = ChunkSplitter(response, size: request.chunkSize ?? 10_000)
            return (QueryReply(status: 200, body: []), QueryChunks {
                pieces.next().map { ResultWriter.msgpack($0, epoch: epoch) }
            })
        case .msgpack:
            let assembled = ResponseAssembly.nonChunked(response, rowLimit: rowLimit)
            return (QueryReply(status: 200, body: ResultWriter.msgpack(assembled, epoch: epoch)), nil)
        case .json where request.chunked:
            let pieces = ChunkSplitter(response, size: request.chunkSize ?? 10_000)
            let pretty = request.pretty
            return (QueryReply(status: 200, body: []), QueryChunks {
                guard let piece = pieces.next() else { return nil }
                var body = ResultWriter.json(piece, epoch: epoch, pretty: pretty)
                body.append(10)
                return body
            })
        case .json:
            let assembled = ResponseAssembly.nonChunked(response, rowLimit: rowLimit)
            if case .buffer(let gzip) = request.bodyTarget, !request.pretty {
                for compress in gzip ? [true, false] : [false] {
                    let sink = ResponseBodyBuffer(gzip: compress)
                    ResultWriter.json(assembled, epoch: epoch, into: sink)
                    [UInt8(10)].withUnsafeBytes { sink.write($0) }
                    // zlib failing (it does not, short of memory) leaves the plain body.
                    if let buffer = sink.finish() {
                        return (QueryReply(status: 200, body: [], buffer: buffer, gzipped: sink.gzipped), nil)
                    }
                }
            }
            var body = ResultWriter.json(assembled, epoch: epoch, pretty: request.pretty)
            if body.last != 10 { body.append(10) }
            return (QueryReply(status: 200, body: body), nil)
        }
    }
}

/// The pieces of a chunked answer, made one at a time as InfluxDB's chunked mode does: one response
/// per `size` rows of a series, `partial` on every piece but the last of a series / of a statement.
final class ChunkSplitter {
    private let response: QueryResponse
    private let size: Int
    private var resultIndex = 0
    private var seriesIndex = 0
    private var offset = 0
    private var emitted = false

    init(_ response: QueryResponse, size: Int) {
        self.response = response
        self.size = max(size, 1)
    }

    func next() -> QueryResponse? {
        guard resultIndex < response.results.count else {
            // No statement (comments or semicolons only): InfluxDB sends no chunk at all.
            if emitted || response.results.isEmpty { return nil }
            emitted = true
            return response
        }
        emitted = true
        let result = response.results[resultIndex]
        guard !result.series.isEmpty else {
            resultIndex += 1
            return QueryResponse(results: [result])
        }
        let series = result.series[seriesIndex]
        let end = min(offset + size, series.rowCount)
        let lastPiece = end >= series.rowCount
        var s = series.slice(offset..<end)
        s.partial = !lastPiece || series.partial
        var r = result
        r.series = [s]
        r.partial = !(lastPiece && seriesIndex == result.series.count - 1) || result.partial
        if !lastPiece {
            offset = end
        } else {
            offset = 0
            seriesIndex += 1
            if seriesIndex == result.series.count {
                seriesIndex = 0
                resultIndex += 1
            }
        }
        return QueryResponse(results: [r])
    }
}

extension InfluxHTTPService {
    /// The service on the real query engine (register stats providers on the executor
    /// yourself for `SHOW STATS`; `statsProvider` gives the HTTP layer's own).
    public init(
        configuration: HTTPServerConfiguration,
        store: any SeriesStore,
        executor: QueryExecutor,
        stats: [any StatsProvider],
        logger: Logger,
        limits: QueryLimits = QueryLimits(),
        users: UserRegistry? = nil,
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) {
        self.init(configuration: configuration, store: store, queries: EngineQueries(executor: executor, limits: limits),
                  stats: stats + [executor], logger: logger, users: users, registry: registry, onServerRunning: onServerRunning)
    }
}
#endif
