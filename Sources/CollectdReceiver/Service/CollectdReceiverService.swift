import CollectdProtocol
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import TimeSeries

#if canImport(Glibc)
import Glibc
#endif

/// The collectd UDP listener as a ServiceLifecycle service: one datagram channel whose event
/// loop decodes and maps to refs, a queue bounded in bytes, and one writer on a thread of its
/// own feeding the store.
///
/// Graceful shutdown reads what the kernel still holds for the socket, closes it, and returns
/// once every queued point is in the store (flushing and closing the store is the caller's).
public final class CollectdReceiverService: Service, Sendable {
    public let configuration: CollectdReceiverConfiguration
    public let stats: CollectdStats
    private let store: any SeriesStore
    private let logger: Logger
    private let group: any EventLoopGroup
    private let bound: EventLoopPromise<SocketAddress>

    public init(
        configuration: CollectdReceiverConfiguration,
        store: any SeriesStore,
        stats: CollectdStats = CollectdStats(),
        logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        self.store = store
        self.stats = stats
        self.logger = logger
        self.group = eventLoopGroup
        self.bound = eventLoopGroup.any().makePromise(of: SocketAddress.self)
    }

    /// The address the socket is bound to (useful with port 0); throws when binding failed.
    public func localAddress() async throws -> SocketAddress {
        try await bound.futureResult.get()
    }

    public func run() async throws {
        let queue = IngestQueue(capacity: configuration.queueCapacity)
        stats.attachQueue(capacity: queue.capacity, depth: { queue.depth }, bytes: { queue.depthBytes })
        let socket: UDPSocket
        let handler: CollectdDatagramHandler
        let resolver: IdentityResolver
        do {
            (socket, handler, resolver) = try open(queue: queue)
        } catch {
            bound.fail(error)
            throw error
        }
        bound.succeed(socket.localAddress)
        logger.info("collectd receiver listening on udp://\(Self.text(socket.localAddress))", metadata: [
            "database": "\(configuration.database)",
            "security_level": "\(configuration.securityLevel)",
            "types": "\(configuration.typesDB.count)",
            "multivalue": "\(configuration.mapping.multiValue.rawValue)",
            "precision": "\(configuration.mapping.precision.rawValue)",
        ])
        reportReceiveBuffer(socket)
        // Reader and writer each get a thread of their own: neither waits behind queries or
        // the event loops, and the reader never waits for storage.
        let threads = NIOThreadPool(numberOfThreads: 2)
        threads.start()
        let reader = DatagramReader(socket: socket, batch: configuration.vectorReadCount)
        let writer = StoreWriter(queue: queue, store: store, database: configuration.database, resolver: resolver, stats: stats, logger: logger, thread: threads)
        await withTaskGroup(of: Void.self) { tasks in
            tasks.addTask { await writer.run() }
            tasks.addTask {
                _ = try? await threads.runIfActive { reader.run(handler) }
                // Everything read is handed over; nothing more will be offered.
                queue.finish()
            }
            // Returns on graceful shutdown, or throws at cancellation: both end reading once
            // the socket is drained.
            try? await gracefulShutdown()
            reader.stop()
            await tasks.waitForAll()
        }
        try? await threads.shutdownGracefully()
        let totals = stats.snapshot
        logger.info("collectd receiver stopped", metadata: [
            "datagrams": "\(totals.datagrams)",
            "decode_errors": "\(totals.decodeErrorsTotal)",
            "values_received": "\(totals.valuesReceived)",
            "values_stored": "\(totals.valuesStored)",
            "values_dropped": "\(totals.valuesDroppedTotal)",
        ])
    }

    private func open(queue: IngestQueue) throws -> (UDPSocket, CollectdDatagramHandler, IdentityResolver) {
        let config = configuration
        let authFile = try config.authFilePath.map { try AuthFile(path: $0) }
        let decoder = CollectdDecoder(securityLevel: config.securityLevel, authFile: authFile)
        let mapper = CollectdMapper(typesDB: config.typesDB, options: config.mapping)
        let socket = try UDPSocket(bind: config.bind, readBuffer: config.readBuffer)
        if socket.localAddress.isMulticast { logger.info("joined multicast group \(Self.text(socket.localAddress))") }
        let sink = IngestSink(mapper: mapper, cacheCapacity: config.identityCacheCapacity)
        // The writer's map only spans the moments before the reader has absorbed a resolution.
        let resolver = IdentityResolver(mapper: mapper, appender: store, database: config.database, policy: config.retentionPolicy,
                                        logger: logger)
        let handler = CollectdDatagramHandler(decoder: decoder, sink: sink, resolver: resolver, queue: queue, stats: stats, logger: logger)
        return (socket, handler, resolver)
    }

    /// Logs the receive buffer the kernel granted.
    private func reportReceiveBuffer(_ socket: UDPSocket) {
        let requested = configuration.readBuffer
        let effective = socket.receiveBuffer
        stats.receiveBuffer = effective
        if effective < requested {
            logger.warning(
                "receive buffer is \(effective) bytes, less than the \(requested) requested; raise the limit with `sysctl -w net.core.rmem_max=\(requested)` (and in /etc/sysctl.d) to avoid drops under bursts")
        } else {
            logger.info("receive buffer \(effective) bytes")
        }
    }

    static func text(_ address: SocketAddress) -> String {
        guard let ip = address.ipAddress, let port = address.port else { return "\(address)" }
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}
