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
    private let progress = ReadProgress()

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
        let channel: any Channel
        let queue = IngestQueue(capacity: configuration.queueCapacity)
        stats.attachQueue(capacity: queue.capacity, depth: { queue.depth }, bytes: { queue.depthBytes })
        do {
            channel = try await bind(queue: queue)
        } catch {
            bound.fail(error)
            throw error
        }
        let address = channel.localAddress ?? (try? SocketAddress.makeAddressResolvingHost(configuration.bind.host, port: configuration.bind.port))
        if let address { bound.succeed(address) }
        logger.info("collectd receiver listening on udp://\(address.map(Self.text) ?? configuration.bind.description)", metadata: [
            "database": "\(configuration.database)",
            "security_level": "\(configuration.securityLevel)",
            "types": "\(configuration.typesDB.count)",
            "multivalue": "\(configuration.mapping.multiValue.rawValue)",
            "precision": "\(configuration.mapping.precision.rawValue)",
        ])
        let writerThread = NIOThreadPool(numberOfThreads: 1)
        writerThread.start()
        let writer = StoreWriter(queue: queue, store: store, database: configuration.database, stats: stats, logger: logger, thread: writerThread)
        await withTaskGroup(of: Void.self) { tasks in
            tasks.addTask { await writer.run() }
            // Returns on graceful shutdown, or throws at cancellation: both end reading.
            try? await gracefulShutdown()
            await drainSocket()
            try? await channel.close()
            // Anything the event loop still had is handed over before the queue closes.
            try? await channel.eventLoop.submit {}.get()
            queue.finish()
            await tasks.waitForAll()
        }
        try? await writerThread.shutdownGracefully()
        let totals = stats.snapshot
        logger.info("collectd receiver stopped", metadata: [
            "datagrams": "\(totals.datagrams)",
            "decode_errors": "\(totals.decodeErrorsTotal)",
            "values_received": "\(totals.valuesReceived)",
            "values_stored": "\(totals.valuesStored)",
            "values_dropped": "\(totals.valuesDroppedTotal)",
        ])
    }

    /// Keeps reading until no datagram has been taken off the socket for 100 ms (at most 3 s),
    /// so datagrams the kernel queued before the signal are not thrown away by closing. The
    /// event loop reads whenever the socket is readable, so a quiet counter means an empty queue.
    private func drainSocket() async {
        var last = progress.value
        var quiet = 0
        for _ in 0..<300 {
            do { try await Task.sleep(for: .milliseconds(10)) } catch { return }
            let now = progress.value
            quiet = now == last ? quiet + 1 : 0
            if quiet >= 10 { return }
            last = now
        }
    }

    private func bind(queue: IngestQueue) async throws -> any Channel {
        let config = configuration
        let authFile = try config.authFilePath.map { try AuthFile(path: $0) }
        let decoder = CollectdDecoder(securityLevel: config.securityLevel, authFile: authFile)
        let mapper = CollectdMapper(typesDB: config.typesDB, options: config.mapping)
        let store = self.store
        let address: SocketAddress
        do {
            address = try SocketAddress.makeAddressResolvingHost(config.bind.host, port: config.bind.port)
        } catch {
            throw CollectdReceiverError.bindFailed(address: config.bind.description, reason: "\(error)")
        }
        let vector = max(1, config.vectorReadCount)
        let (stats, logger, progress) = (self.stats, self.logger, self.progress)
        let bootstrap = DatagramBootstrap(group: group)
            // No SO_REUSEADDR / SO_REUSEPORT: a second process binding the port must fail,
            // not silently take a share of the traffic.
            .channelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(clamping: config.readBuffer))
            .channelOption(.datagramVectorReadMessageCount, value: vector)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: CollectdReceiverConfiguration.maxDatagram * vector))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        CollectdDatagramHandler(
                            decoder: decoder,
                            sink: IngestSink(mapper: mapper, appender: store, database: config.database, cacheCapacity: config.identityCacheCapacity),
                            queue: queue, stats: stats, progress: progress, logger: logger))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.bind(to: address).get()
        } catch {
            throw CollectdReceiverError.bindFailed(address: config.bind.description, reason: "\(error)")
        }
        if address.isMulticast {
            do {
                guard let multicast = channel as? any MulticastChannel else {
                    throw CollectdReceiverError.bindFailed(address: config.bind.description, reason: "multicast is not supported on this channel")
                }
                try await multicast.joinGroup(address).get()
                logger.info("joined multicast group \(Self.text(address))")
            } catch {
                try? await channel.close()
                throw CollectdReceiverError.bindFailed(address: config.bind.description, reason: "cannot join multicast group: \(error)")
            }
        }
        await checkReceiveBuffer(channel)
        return channel
    }

    /// Logs the receive buffer the kernel granted; as root, forces the requested size.
    private func checkReceiveBuffer(_ channel: any Channel) async {
        let requested = configuration.readBuffer
        // Linux reports twice the usable size (it counts bookkeeping overhead).
        func granted() async -> Int {
            let raw = (try? await channel.getOption(.socketOption(.so_rcvbuf)).get()).map { Int($0) } ?? 0
            #if os(Linux)
            return raw / 2
            #else
            return raw
            #endif
        }
        var effective = await granted()
        #if os(Linux)
        if effective < requested {
            // SO_RCVBUFFORCE (33) ignores net.core.rmem_max for privileged processes.
            let force = ChannelOptions.Types.SocketOption(level: SocketOptionLevel(SOL_SOCKET), name: 33)
            _ = try? await channel.setOption(force, value: SocketOptionValue(clamping: requested)).get()
            effective = await granted()
        }
        #endif
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
