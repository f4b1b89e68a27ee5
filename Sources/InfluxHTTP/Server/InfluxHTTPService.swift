#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOSSL
import Prometheus
import ServiceLifecycle
import TimeSeries

/// The InfluxDB 1.x-compatible HTTP API as a ServiceLifecycle service: runs until graceful
/// shutdown, then stops accepting and finishes requests in flight.
public struct InfluxHTTPService: Service {
    public let configuration: HTTPServerConfiguration
    let store: any SeriesStore
    let queries: any QueryHandling
    let stats: [any StatsProvider]
    let logger: Logger
    let metrics: HTTPMetrics
    let users: UserRegistry?
    let onServerRunning: @Sendable (_ port: Int) async -> Void
    let clock: @Sendable () -> Int64

    /// - Parameters:
    ///   - queries: runs `/query` (see `QueryExecutor+QueryHandling`).
    ///   - stats: providers shown by `/metrics` (receiver, store, query executor).
    ///   - users: the users to authenticate (give the query executor the same); nil makes a
    ///     registry of the `authFile` users alone when authentication is on.
    ///   - registry: Prometheus registry to expose; a private one by default.
    ///   - onServerRunning: called with the bound port once listening (useful with port 0).
    ///   - clock: current time in ns for points written without a timestamp.
    public init(
        configuration: HTTPServerConfiguration,
        store: any SeriesStore,
        queries: any QueryHandling,
        stats: [any StatsProvider],
        logger: Logger,
        users: UserRegistry? = nil,
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in },
        clock: @escaping @Sendable () -> Int64 = InfluxHTTPService.wallClock
    ) {
        self.configuration = configuration
        self.store = store
        self.queries = queries
        self.stats = stats
        self.logger = logger
        self.metrics = HTTPMetrics(registry: registry)
        self.users = users
        self.onServerRunning = onServerRunning
        self.clock = clock
    }

    /// The HTTP layer's own figures (requests, queries, points written) for `SHOW STATS`.
    public var statsProvider: any StatsProvider { metrics }

    public func run() async throws {
        let responder = try makeResponder()
        let tls = try makeTLSContext()
        let server = LaneServer(host: configuration.host, port: configuration.port, tls: tls, lane: responder, logger: logger)
        let onRunning = onServerRunning
        let logger = self.logger
        try await server.run { channel in
            let port = channel.localAddress?.port ?? 0
            logger.info("HTTP API listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")", "tls": "\(tls != nil)"])
            await onRunning(port)
        }
    }

    /// The router with every endpoint, as `run` serves it (refuses an unreadable auth file).
    func makeResponder() throws -> InfluxResponder {
        var authenticator: Authenticator?
        if configuration.enforcesAuthentication {
            let registry = try users ?? UserRegistry(directory: nil, fileUsers: configuration.authFile.map(UserFile.load) ?? UserFile())
            authenticator = Authenticator(users: registry)
        }
        _ = InfluxResponder.processStarted  // the start /debug/vars reports: now, not its first request
        return InfluxResponder(
            configuration: configuration, store: store, queries: queries, stats: stats + [metrics],
            authenticator: authenticator, metrics: metrics, logger: logger, clock: clock)
    }

    /// The same router in a Hummingbird application, for tests that drive it without a socket.
    func makeApplication() throws -> Application<InfluxResponder> {
        _ = try makeTLSContext()
        return Application(responder: try makeResponder(), logger: logger)
    }

    /// The TLS context of `--http-tls-cert` and `--http-tls-key`, nil without them.
    func makeTLSContext() throws -> NIOSSLContext? {
        switch (configuration.tlsCertificate, configuration.tlsKey) {
        case (nil, nil):
            return nil
        case (let cert?, let key?):
            do {
                let chain = try NIOSSLCertificate.fromPEMFile(cert).map { NIOSSLCertificateSource.certificate($0) }
                let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
                return try NIOSSLContext(configuration: .makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(privateKey)))
            } catch {
                throw InfluxHTTPError.tls("cannot load \(cert) / \(key): \(error)")
            }
        default:
            throw InfluxHTTPError.tls("--http-tls-cert and --http-tls-key must be given together")
        }
    }

    /// Wall-clock time in ns since the epoch.
    public static let wallClock: @Sendable () -> Int64 = {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
