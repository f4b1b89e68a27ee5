import CompressNIO
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import TimeSeries
@testable import InfluxHTTP

/// Answers every query with a fixed body and remembers what it was asked (HTTP-level tests
/// only; the engine's answers are tested with the real executor).
final class RecordingQueries: QueryHandling {
    let received = Mutex<[QueryRequest]>([])
    let reply: QueryReply

    init(reply: QueryReply = QueryReply(status: 200, body: Array((#"{"results":[{"statement_id":0}]}"# + "\n").utf8))) {
        self.reply = reply
    }

    func handle(_ request: QueryRequest) async -> QueryReply {
        received.withLock { $0.append(request) }
        return reply
    }

    var last: QueryRequest? { received.withLock { $0.last } }
}

struct FixedStats: StatsProvider {
    func stats() -> [StatsGroup] {
        [StatsGroup(name: "collectd", tags: [TimeSeries.Tag("listener", "0.0.0.0:25826")], values: [("packets_total", 12), ("queue_length", 3)])]
    }
}

struct Harness: Sendable {
    let store: MemoryStore
    let queries: any QueryHandling
    let service: InfluxHTTPService

    init(store: MemoryStore = MemoryStore(), configuration: HTTPServerConfiguration = HTTPServerConfiguration(host: "127.0.0.1", port: 0),
         queries: any QueryHandling = RecordingQueries(), now: Int64 = 1_700_000_000_123_456_789) {
        self.store = store
        self.queries = queries
        var logger = Logger(label: "test")
        logger.logLevel = .error
        service = InfluxHTTPService(configuration: configuration, store: store, queries: queries,
                                    stats: [FixedStats()], logger: logger, clock: { now })
    }

    /// Runs `body` against the application without a socket.
    func run<T: Sendable>(_ body: @Sendable @escaping (any TestClientProtocol) async throws -> T) async throws -> T {
        try await service.makeApplication().test(.router) { client in try await body(client) }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

extension ByteBuffer {
    func gzipped() throws -> ByteBuffer {
        var copy = self
        return try copy.compress(with: .gzip())
    }

    func gunzipped() throws -> ByteBuffer {
        var copy = self
        return try copy.decompress(with: .gzip())
    }
}

func basic(_ user: String, _ password: String) -> String {
    "Basic " + Base64.encode(Array("\(user):\(password)".utf8))
}
