/// Writes value lists and notifications as collectd's network plugin does.
///
/// Value lists accumulate in a packet; each writes only the parts that differ from the
/// previous list in the same packet (host, time_hr, interval_hr, plugin, plugin_instance,
/// type, type_instance), then its values part. When the next list does not fit, the
/// packet is completed and returned, and the next one starts from empty state. Room for
/// the signature or encryption part is reserved, as collectd does. Notifications are sent
/// in packets of their own. Strings longer than collectd allows are cut to fit.
public struct CollectdEncoder: Sendable {
    public let maxPacketSize: Int
    public let securityLevel: SecurityLevel
    let username: String?
    let password: String?

    /// Bytes available for parts after reserving room for security.
    let capacity: Int
    private var buffer: [UInt8] = []
    private var previous = Previous()
    /// Value lists dropped: without values, or too big even for an empty packet.
    public private(set) var droppedCount = 0

    private struct Previous {
        var host = ""
        var plugin = ""
        var pluginInstance = ""
        var type = ""
        var typeInstance = ""
        var time: UInt64 = 0
        var interval: UInt64 = 0
    }

    /// - Parameters:
    ///   - maxPacketSize: largest datagram, clamped to collectd's 1024…65535.
    ///   - securityLevel: `.sign` or `.encrypt` need both `username` and `password`;
    ///     without them packets are sent plain.
    public init(
        maxPacketSize: Int = 1452, username: String? = nil, password: String? = nil,
        securityLevel: SecurityLevel = .none
    ) {
        self.maxPacketSize = min(max(maxPacketSize, 1024), Wire.maxDatagramSize)
        let hasCredentials = username.map { !$0.isEmpty && $0.utf8.count < 65536 } ?? false && password != nil
        self.securityLevel = hasCredentials ? securityLevel : .none
        self.username = username
        self.password = password
        let userLength = username?.utf8.count ?? 0
        switch self.securityLevel {
        case .none: capacity = self.maxPacketSize
        case .sign: capacity = self.maxPacketSize - Wire.signatureHeaderSize - userLength
        case .encrypt:
            capacity = self.maxPacketSize - (Wire.headerSize + 2 + userLength + Wire.ivSize + Wire.sha1Size)
        }
        buffer.reserveCapacity(self.maxPacketSize)
    }

    /// Adds a value list. Returns the packets completed by it (zero or one).
    public mutating func append(_ list: ValueList) -> [[UInt8]] {
        guard !list.values.isEmpty else {
            droppedCount += 1  // a values part needs at least one value
            return []
        }
        var completed: [[UInt8]] = []
        if encodedSize(of: list) > capacity - buffer.count {
            completed = flush()
            guard encodedSize(of: list) <= capacity else {
                droppedCount += 1
                return completed
            }
        }
        write(list)
        return completed
    }

    /// Encodes a notification into a packet of its own and returns it.
    public mutating func append(_ n: Notification) -> [[UInt8]] {
        var parts: [UInt8] = []
        parts.writeNumber(.timeHR, CollectdTime.highResolution(fromNanoseconds: n.time))
        parts.writeNumber(.severity, n.severity.rawValue)
        parts.writeString(.host, n.host)
        if !n.plugin.isEmpty { parts.writeString(.plugin, n.plugin) }
        if !n.pluginInstance.isEmpty { parts.writeString(.pluginInstance, n.pluginInstance) }
        if !n.type.isEmpty { parts.writeString(.type, n.type) }
        if !n.typeInstance.isEmpty { parts.writeString(.typeInstance, n.typeInstance) }
        parts.writeString(.message, n.message, limit: Wire.maxMessageLength)
        return [seal(parts)]
    }

    /// Completes the current packet, if any, and returns it.
    public mutating func flush() -> [[UInt8]] {
        guard !buffer.isEmpty else { return [] }
        let packet = seal(buffer)
        buffer.removeAll(keepingCapacity: true)
        previous = Previous()
        return [packet]
    }

    private func encodedSize(of list: ValueList) -> Int {
        var size = 6 + 9 * list.values.count
        func string(_ value: String, _ last: String) {
            if value != last { size += Wire.headerSize + min(value.utf8.count, Wire.maxNameLength - 1) + 1 }
        }
        string(list.host, previous.host)
        if CollectdTime.highResolution(fromNanoseconds: list.time) != previous.time { size += Wire.numberPartSize }
        if CollectdTime.highResolution(fromNanoseconds: list.interval) != previous.interval {
            size += Wire.numberPartSize
        }
        string(list.plugin, previous.plugin)
        string(list.pluginInstance, previous.pluginInstance)
        string(list.type, previous.type)
        string(list.typeInstance, previous.typeInstance)
        return size
    }

    private mutating func write(_ list: ValueList) {
        if list.host != previous.host {
            buffer.writeString(.host, list.host)
            previous.host = list.host
        }
        let time = CollectdTime.highResolution(fromNanoseconds: list.time)
        if time != previous.time {
            buffer.writeNumber(.timeHR, time)
            previous.time = time
        }
        let interval = CollectdTime.highResolution(fromNanoseconds: list.interval)
        if interval != previous.interval {
            buffer.writeNumber(.intervalHR, interval)
            previous.interval = interval
        }
        if list.plugin != previous.plugin {
            buffer.writeString(.plugin, list.plugin)
            previous.plugin = list.plugin
        }
        if list.pluginInstance != previous.pluginInstance {
            buffer.writeString(.pluginInstance, list.pluginInstance)
            previous.pluginInstance = list.pluginInstance
        }
        if list.type != previous.type {
            buffer.writeString(.type, list.type)
            previous.type = list.type
        }
        if list.typeInstance != previous.typeInstance {
            buffer.writeString(.typeInstance, list.typeInstance)
            previous.typeInstance = list.typeInstance
        }
        buffer.writeValues(list.values)
    }
}
