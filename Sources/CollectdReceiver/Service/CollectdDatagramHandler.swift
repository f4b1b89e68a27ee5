import CollectdProtocol
import Logging
import NIOCore
import TimeSeries

/// The thin I/O shell over the pure decoder and mapper: runs on the channel's event loop,
/// decodes and maps every datagram, and hands each read burst's points to the queue.
final class CollectdDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    /// Decoder reasons that mean a security check refused content.
    static let securityReasons: Set<String> = [
        "bad_signature", "unknown_user", "bad_checksum", "no_auth_file", "security_level",
    ]
    /// Pending points are handed over at this size even inside one long read burst.
    static let handOverSize = 8_192

    private let decoder: CollectdDecoder
    private let mapper: CollectdMapper
    private let queue: IngestQueue
    private let stats: CollectdStats
    private let logger: Logger
    private let progress: ReadProgress
    private var pending = IngestBatch()
    private var delta = CollectdCounters()
    private var reportedTypes: Set<String> = []
    private var malformedLog = RateLimiter(burst: 10, window: .seconds(10))
    private var storeLog = RateLimiter(burst: 5, window: .seconds(10))

    init(decoder: CollectdDecoder, mapper: CollectdMapper, queue: IngestQueue, stats: CollectdStats, progress: ReadProgress, logger: Logger) {
        self.progress = progress
        self.decoder = decoder
        self.mapper = mapper
        self.queue = queue
        self.stats = stats
        self.logger = logger
        pending.points.reserveCapacity(Self.handOverSize)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        progress.advance()
        delta.datagrams += 1
        delta.bytes += UInt64(envelope.data.readableBytes)
        let packet = decoder.decode(envelope.data)
        if let error = packet.error { record(error, from: envelope.remoteAddress) }
        for dropped in packet.dropped {
            delta.valuesReceived += UInt64(dropped.valueList.values.count)
            delta.valuesDropped["invalid_value_list", default: 0] += UInt64(dropped.valueList.values.count)
        }
        delta.notificationsDropped += UInt64(packet.droppedNotifications)
        for list in packet.valueLists {
            delta.valuesReceived += UInt64(list.values.count)
            let result = mapper.map(list, into: &pending.points)
            pending.values += result.mapped
            if result.skippedNonFinite > 0 { delta.valuesDropped["nan", default: 0] += UInt64(result.skippedNonFinite) }
            if result.droppedUnknown > 0 { delta.valuesDropped["unknown_type", default: 0] += UInt64(result.droppedUnknown) }
            if result.typeMatch != .known { recordUnknownType(list, match: result.typeMatch, from: envelope.remoteAddress) }
        }
        for notification in packet.notifications {
            delta.notifications += 1
            pending.points.append(mapper.map(notification))
            pending.notifications += 1
        }
        if pending.points.count >= Self.handOverSize { handOver() }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        handOver()
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        handOver()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A UDP socket error (e.g. a refused ICMP reply) never ends the listener.
        if let suppressed = storeLog.admit() {
            logger.warning("collectd socket error", metadata: ["error": "\(error)", "suppressed": "\(suppressed)"])
        }
    }

    private func handOver() {
        if !pending.isEmpty {
            if !queue.offer(pending) {
                delta.valuesDropped["queue_full", default: 0] += UInt64(pending.values)
                delta.notificationsDropped += UInt64(pending.notifications)
                if let suppressed = storeLog.admit() {
                    logger.warning(
                        "collectd ingest queue full, dropping values (store too slow?)",
                        metadata: ["dropped": "\(pending.values)", "suppressed": "\(suppressed)"])
                }
            }
            pending = IngestBatch()
            pending.points.reserveCapacity(Self.handOverSize)
        }
        stats.add(delta)
        delta = CollectdCounters()
    }

    private func record(_ error: CollectdProtocolError, from sender: SocketAddress) {
        let reason = error.reason
        delta.decodeErrors[reason, default: 0] += 1
        if Self.securityReasons.contains(reason) { delta.securityRejections += 1 }
        if let suppressed = malformedLog.admit() {
            logger.warning(
                "malformed collectd datagram",
                metadata: ["sender": "\(CollectdReceiverService.text(sender))", "reason": "\(reason)", "detail": "\(error)", "suppressed": "\(suppressed)"])
        }
    }

    private func recordUnknownType(_ list: ValueList, match: MappingResult.TypeMatch, from sender: SocketAddress) {
        delta.unknownTypes[list.type, default: 0] += UInt64(list.values.count)
        guard reportedTypes.count < 10_000, reportedTypes.insert(list.type).inserted else { return }
        let problem: String
        switch match {
        case .countMismatch(let expected):
            problem = "has \(list.values.count) values but types.db declares \(expected) data sources"
        default:
            problem = "is not in the types database"
        }
        let action = mapper.options.unknownTypes == .keep
            ? "values kept with positional field names (value, value0, value1, ...)"
            : "values dropped (--collectd-unknown-types drop)"
        logger.warning(
            "collectd type \"\(list.type)\" \(problem); \(action); add its types.db with --typesdb PATH",
            metadata: ["sender": "\(CollectdReceiverService.text(sender))", "identifier": "\(list.identifier)"])
    }
}
