/// Receives what the decoder reads from one datagram, as it reads it.
///
/// Value lists arrive as `ValueListView`s: views into the datagram (or its decrypted copy),
/// valid only during the call, so a sink that keeps nothing allocates nothing per value.
/// `DecodedPacket` is the sink that copies everything into values.
public protocol CollectdSink {
    /// Set by the decoder when parsing stops early; what was read before stays delivered.
    var error: CollectdProtocolError? { get set }
    /// A signature or encryption part of `user` was verified.
    mutating func authenticated(user: String)
    /// An accepted value list.
    mutating func valueList(_ list: borrowing ValueListView)
    /// A value list read but not accepted (collectd drops these too); `offset` is its values part.
    mutating func droppedValueList(_ list: borrowing ValueListView, reason: DroppedValueList.Reason, offset: Int)
    /// An accepted notification.
    mutating func notification(_ notification: Notification)
    /// A notification read but not accepted (unknown severity, time 0 or empty message).
    mutating func droppedNotification()
}

/// A value list as it lies in the datagram: the identity strings as bytes (without the NUL),
/// the time and interval in nanoseconds, and the values part, already checked.
public struct ValueListView: ~Copyable {
    public let host: UnsafeRawBufferPointer
    public let plugin: UnsafeRawBufferPointer
    public let pluginInstance: UnsafeRawBufferPointer
    public let type: UnsafeRawBufferPointer
    public let typeInstance: UnsafeRawBufferPointer
    /// Nanoseconds since the Unix epoch.
    public let time: Int64
    /// Nanoseconds.
    public let interval: Int64
    /// Number of values.
    public let count: Int
    /// The kind bytes, then the 8-byte values.
    let kinds: UnsafeRawPointer

    init(
        host: UnsafeRawBufferPointer, plugin: UnsafeRawBufferPointer, pluginInstance: UnsafeRawBufferPointer,
        type: UnsafeRawBufferPointer, typeInstance: UnsafeRawBufferPointer,
        time: Int64, interval: Int64, count: Int, kinds: UnsafeRawPointer
    ) {
        self.host = host
        self.plugin = plugin
        self.pluginInstance = pluginInstance
        self.type = type
        self.typeInstance = typeInstance
        self.time = time
        self.interval = interval
        self.count = count
        self.kinds = kinds
    }

    /// Value `index` (the decoder has checked every kind byte).
    @inline(__always)
    public func value(at index: Int) -> CollectdValue {
        let kind = kinds.load(fromByteOffset: index, as: UInt8.self)
        let word = kinds.loadUnaligned(fromByteOffset: count + 8 * index, as: UInt64.self)
        let bits = kind == 1 ? UInt64(littleEndian: word) : UInt64(bigEndian: word)
        return CollectdValue(wireType: kind, bits: bits).unsafelyUnwrapped
    }

    /// Value `index` as a double, as InfluxDB stores every collectd value.
    @inline(__always)
    public func doubleValue(at index: Int) -> Double {
        let kind = kinds.load(fromByteOffset: index, as: UInt8.self)
        let word = kinds.loadUnaligned(fromByteOffset: count + 8 * index, as: UInt64.self)
        switch kind {
        case 1: return Double(bitPattern: UInt64(littleEndian: word))
        case 2: return Double(Int64(bitPattern: UInt64(bigEndian: word)))
        default: return Double(UInt64(bigEndian: word))
        }
    }

    /// The value list copied into a `ValueList`.
    public func materialize() -> ValueList {
        ValueList(
            host: Self.string(host), plugin: Self.string(plugin), pluginInstance: Self.string(pluginInstance),
            type: Self.string(type), typeInstance: Self.string(typeInstance), time: time, interval: interval,
            values: (0..<count).map { value(at: $0) })
    }

    @inline(__always)
    static func string(_ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
