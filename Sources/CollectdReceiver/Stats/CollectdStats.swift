import Synchronization
import TimeSeries

/// The receiver's live figures, shared by its event loop, its writer and whoever reports them
/// (`/metrics`, `SHOW STATS`). Group name `collectd`; per-reason and per-type figures are
/// further `collectd` groups tagged `reason` or `type`.
public final class CollectdStats: StatsProvider, Sendable {
    private let counters = Mutex(CollectdCounters())
    private let gauges = Mutex(Gauges())

    struct Gauges {
        var receiveBuffer: Int = 0
        var queueCapacity: Int = 0
        var queueDepth: @Sendable () -> Int = { 0 }
        var queueBytes: @Sendable () -> Int = { 0 }
    }

    public init() {}

    /// Adds a delta of counters.
    public func add(_ delta: CollectdCounters) {
        guard !delta.isZero else { return }
        counters.withLock { $0.add(delta) }
    }

    /// A consistent copy of every counter.
    public var snapshot: CollectdCounters { counters.withLock { $0 } }

    /// Effective SO_RCVBUF size the kernel granted, in bytes.
    public var receiveBuffer: Int {
        get { gauges.withLock { $0.receiveBuffer } }
        set { gauges.withLock { $0.receiveBuffer = newValue } }
    }

    /// Points waiting between the receiver and the store writer.
    public var queueDepth: Int {
        let read = gauges.withLock { $0.queueDepth }
        return read()
    }

    /// Bytes of rows waiting between the receiver and the store writer.
    public var queueBytes: Int {
        let read = gauges.withLock { $0.queueBytes }
        return read()
    }

    func attachQueue(capacity: Int, depth: @escaping @Sendable () -> Int, bytes: @escaping @Sendable () -> Int) {
        gauges.withLock {
            $0.queueCapacity = capacity
            $0.queueDepth = depth
            $0.queueBytes = bytes
        }
    }

    public func stats() -> [StatsGroup] {
        let c = snapshot
        let (buffer, capacity) = gauges.withLock { ($0.receiveBuffer, $0.queueCapacity) }
        var groups = [StatsGroup(name: "collectd", values: [
            ("datagrams_total", Double(c.datagrams)),
            ("bytes_total", Double(c.bytes)),
            ("decode_errors_total", Double(c.decodeErrorsTotal)),
            ("security_rejections_total", Double(c.securityRejections)),
            ("values_received_total", Double(c.valuesReceived)),
            ("values_stored_total", Double(c.valuesStored)),
            ("values_dropped_total", Double(c.valuesDroppedTotal)),
            ("notifications_total", Double(c.notifications)),
            ("notifications_stored_total", Double(c.notificationsStored)),
            ("notifications_dropped_total", Double(c.notificationsDropped)),
            ("unknown_type_values_total", Double(c.unknownTypes.values.reduce(0, &+))),
            ("queue_depth", Double(queueDepth)),
            ("queue_capacity", Double(capacity / ColumnBatch.bytesPerRow)),
            ("queue_bytes", Double(queueBytes)),
            ("queue_capacity_bytes", Double(capacity)),
            ("receive_buffer_bytes", Double(buffer)),
        ])]
        for (reason, n) in c.decodeErrors.sorted(by: { $0.key < $1.key }) {
            groups.append(StatsGroup(name: "collectd", tags: [Tag("reason", reason)], values: [("decode_errors_total", Double(n))]))
        }
        for (reason, n) in c.valuesDropped.sorted(by: { $0.key < $1.key }) {
            groups.append(StatsGroup(name: "collectd", tags: [Tag("reason", reason)], values: [("values_dropped_total", Double(n))]))
        }
        for (type, n) in c.unknownTypes.sorted(by: { $0.key < $1.key }) {
            groups.append(StatsGroup(name: "collectd", tags: [Tag("type", type)], values: [("unknown_type_values_total", Double(n))]))
        }
        return groups
    }
}
