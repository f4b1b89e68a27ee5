/// The receiver's counters as a plain value: a handler accumulates a delta per read burst
/// and merges it into the shared `CollectdStats` once, instead of locking per datagram.
public struct CollectdCounters: Sendable, Hashable {
    public var datagrams: UInt64 = 0
    public var bytes: UInt64 = 0
    /// Datagrams with a decoding fault, by `CollectdProtocolError.reason`.
    public var decodeErrors: [String: UInt64] = [:]
    /// Parts refused by signature, encryption or security level checks.
    public var securityRejections: UInt64 = 0
    /// Values in every decoded value list (also those later dropped).
    public var valuesReceived: UInt64 = 0
    public var valuesStored: UInt64 = 0
    /// Values not stored, by reason (`nan`, `unknown_type`, `invalid_value_list`, `queue_full`,
    /// `store_rejected`, `store_error`).
    public var valuesDropped: [String: UInt64] = [:]
    public var notifications: UInt64 = 0
    public var notificationsStored: UInt64 = 0
    public var notificationsDropped: UInt64 = 0
    /// Values whose type was not in the types database (or had another number of data
    /// sources), by type name.
    public var unknownTypes: [String: UInt64] = [:]

    public init() {}

    public var isZero: Bool { self == CollectdCounters() }

    /// Adds every counter of `other` to this one.
    public mutating func add(_ other: CollectdCounters) {
        datagrams &+= other.datagrams
        bytes &+= other.bytes
        for (k, v) in other.decodeErrors { decodeErrors[k, default: 0] &+= v }
        securityRejections &+= other.securityRejections
        valuesReceived &+= other.valuesReceived
        valuesStored &+= other.valuesStored
        for (k, v) in other.valuesDropped { valuesDropped[k, default: 0] &+= v }
        notifications &+= other.notifications
        notificationsStored &+= other.notificationsStored
        notificationsDropped &+= other.notificationsDropped
        for (k, v) in other.unknownTypes { unknownTypes[k, default: 0] &+= v }
    }

    /// Total of `valuesDropped` over all reasons.
    public var valuesDroppedTotal: UInt64 { valuesDropped.values.reduce(0, &+) }

    /// Total of `decodeErrors` over all reasons.
    public var decodeErrorsTotal: UInt64 { decodeErrors.values.reduce(0, &+) }
}
