#if canImport(Glibc)
import Glibc
#endif
import CollectdProtocol
import Logging
import TimeSeries

/// The thin shell over the pure decoder and the ingest sink: called by the reader thread for
/// each datagram in place, decodes it straight into the current columnar batch, and hands each
/// read burst's batch to the queue. Used by that one thread only.
final class CollectdDatagramHandler: @unchecked Sendable {
    /// Decoder reasons that mean a security check refused content.
    static let securityReasons: Set<String> = [
        "bad_signature", "unknown_user", "bad_checksum", "no_auth_file", "security_level",
    ]
    /// Pending rows are handed over at this size even inside one long read burst.
    static let handOverSize = 8_192
    /// Rows a new batch has room for. Batches are handed over every 10 ms, so while the writer
    /// is behind (a burst of new hosts) dozens wait in the queue, mostly far from full: reserving
    /// a full batch each (12 288 rows, 295 KB) held 24 MB at 2 000 new hosts. A new batch grows
    /// as it fills, and pooled batches keep what they grew to.
    static let batchCapacity = 1_024

    private let decoder: CollectdDecoder
    private let queue: IngestQueue
    private let stats: CollectdStats
    private let logger: Logger
    private let appender: any SeriesAppender
    private let resolver: IdentityResolver
    private var sink: IngestSink
    private var generation: UInt64
    /// The number of the last handoff of resolutions taken from the writer.
    private var absorbed: UInt64 = 0
    /// `absorbed` of the last batch handed over.
    private var handedOverAbsorbed: UInt64 = 0
    private var reportedTypes: Set<String> = []
    private var malformedLog = RateLimiter(burst: 10, window: .seconds(10))
    private var storeLog = RateLimiter(burst: 5, window: .seconds(10))

    init(decoder: CollectdDecoder, sink: IngestSink, resolver: IdentityResolver, queue: IngestQueue, stats: CollectdStats, logger: Logger) {
        self.decoder = decoder
        self.queue = queue
        self.stats = stats
        self.logger = logger
        self.appender = resolver.appender
        self.resolver = resolver
        self.sink = sink
        generation = resolver.appender.appendGeneration
        self.sink.batch = queue.emptyBatch(rows: Self.batchCapacity)
    }

    /// Decodes one datagram (valid only during the call) from `sender`.
    func process(_ bytes: UnsafeRawBufferPointer, sender: UnsafePointer<sockaddr_storage>) {
        // A drop in the store makes cached refs stale: start afresh (rare).
        let current = appender.appendGeneration
        if current != generation {
            generation = current
            sink.cache.removeAll()
        }
        sink.delta.datagrams &+= 1
        sink.delta.bytes &+= UInt64(bytes.count)
        decoder.decode(raw: bytes, into: &sink)
        if let error = sink.error {
            sink.error = nil
            record(error, from: UDPSocket.text(sender))
        }
        if sink.batch.rows.count + sink.batch.pending.count >= Self.handOverSize { handOver() }
    }

    /// The end of a read burst (or a quiet socket): hands the batch over.
    func burstComplete() {
        handOver()
    }

    /// Takes the refs the writer resolved for new identities (before a burst is decoded).
    func absorbResolved() {
        guard let (resolved, take) = resolver.takeResolved() else { return }
        sink.absorb(resolved)
        absorbed = take
        if sink.batch.isEmpty { sink.batch.absorbed = take }
    }

    func socketError(_ code: Int32) {
        // A UDP socket error (e.g. a refused ICMP reply) never ends the listener.
        if let suppressed = storeLog.admit() {
            logger.warning("collectd socket error", metadata: ["error": "\(UDPSocket.reason(code))", "suppressed": "\(suppressed)"])
        }
    }

    private func handOver() {
        // An empty batch still goes when the reader took resolutions since the last one: the
        // writer then forgets them (nothing else would tell it on a quiet socket).
        if !sink.batch.isEmpty || sink.batch.absorbed > handedOverAbsorbed {
            let stamp = sink.batch.absorbed
            if queue.offer(sink.batch) {
                handedOverAbsorbed = stamp
                sink.batch = queue.emptyBatch(rows: Self.batchCapacity)
                sink.batch.absorbed = absorbed
            } else if !sink.batch.isEmpty {
                sink.refused(sink.batch)
                sink.delta.valuesDropped["queue_full", default: 0] += UInt64(sink.batch.values)
                sink.delta.notificationsDropped += UInt64(sink.batch.notifications.count)
                if let suppressed = storeLog.admit() {
                    logger.warning(
                        "collectd ingest queue full, dropping values (store too slow?)",
                        metadata: ["dropped": "\(sink.batch.values)", "suppressed": "\(suppressed)"])
                }
                sink.batch.removeAll()
                sink.batch.absorbed = absorbed
            }
        }
        stats.add(sink.delta)
        sink.delta = CollectdCounters()
    }

    private func record(_ error: CollectdProtocolError, from sender: String) {
        let reason = error.reason
        sink.delta.decodeErrors[reason, default: 0] += 1
        if Self.securityReasons.contains(reason) { sink.delta.securityRejections += 1 }
        if let suppressed = malformedLog.admit() {
            logger.warning(
                "malformed collectd datagram",
                metadata: ["sender": "\(sender)", "reason": "\(reason)", "detail": "\(error)", "suppressed": "\(suppressed)"])
        }
    }
}
