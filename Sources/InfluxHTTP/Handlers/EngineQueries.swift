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
        let executor = self.executor
        let options = QueryOptions(database: request.database, retentionPolicy: request.retentionPolicy, limits: limits,
                                   authorization: request.authorization, readOnly: request.readOnly)
        let response: QueryResponse
        do {
            response = try await NIOThreadPool.singleton.runIfActive { executor.execute(request.query, options: options) }
        } catch {
            return QueryReply(status: 500, body: JSONText.error("\(error)"))
        }
        return Self.encode(response, request, rowLimit: limits.maxRows)
    }

    /// Encodes one answer; a parse error is HTTP 400 with InfluxDB's `{"error":…}`.
    static func encode(_ response: QueryResponse, _ request: QueryRequest, rowLimit: Int = 0) -> QueryReply {
        // InfluxDB reads an unknown epoch as nanoseconds (recorded from 1.6.7: epoch=xx).
        let epoch = request.epoch.map { Epoch(parameter: $0) ?? .ns }
        if let parseError = response.parseError {
            let body = request.format == .csv ? JSONText.csvError(parseError) : JSONText.error(parseError)
            return QueryReply(status: 400, body: body)
        }
        if let denial = response.authorizationError {
            let body = request.format == .csv ? JSONText.csvError(denial) : JSONText.error(denial)
            return QueryReply(status: 403, body: body)
        }
        switch request.format {
        case .csv:
            let assembled = ResponseAssembly.nonChunked(response, rowLimit: rowLimit)
            return QueryReply(status: 200, body: ResultWriter.csv(assembled, epoch: epoch))
        case .json where request.chunked:
            var body: [UInt8] = []
            for piece in chunks(response, size: request.chunkSize ?? 10_000) {
                body += ResultWriter.json(piece, epoch: epoch, pretty: request.pretty)
                body.append(10)
            }
            return QueryReply(status: 200, body: body)
        case .json:
            let assembled = ResponseAssembly.nonChunked(response, rowLimit: rowLimit)
            var body = ResultWriter.json(assembled, epoch: epoch, pretty: request.pretty)
            if body.last != 10 { body.append(10) }
            return QueryReply(status: 200, body: body)
        }
    }

    /// Splits an answer as InfluxDB's chunked mode does: one response per `size` rows of a
    /// series, `partial` on every piece but the last of a series / of a statement.
    static func chunks(_ response: QueryResponse, size: Int) -> [QueryResponse] {
        let size = max(size, 1)
        var out: [QueryResponse] = []
        for result in response.results {
            guard !result.series.isEmpty else {
                out.append(QueryResponse(results: [result]))
                continue
            }
            for (seriesIndex, series) in result.series.enumerated() {
                let pieces = stride(from: 0, to: max(series.values.count, 1), by: size).map {
                    Array(series.values[$0..<min($0 + size, series.values.count)])
                }
                for (pieceIndex, values) in pieces.enumerated() {
                    let lastPiece = pieceIndex == pieces.count - 1
                    var s = series
                    s.values = values
                    s.partial = !lastPiece || series.partial
                    var r = result
                    r.series = [s]
                    r.partial = !(lastPiece && seriesIndex == result.series.count - 1) || result.partial
                    out.append(QueryResponse(results: [r]))
                }
            }
        }
        if out.isEmpty { out.append(response) }
        return out
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
