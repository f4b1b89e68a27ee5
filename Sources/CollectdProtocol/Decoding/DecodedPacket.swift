/// What one datagram decoded to.
///
/// When parsing stops at a malformed or unacceptable part, `error` says what and where;
/// everything decoded before that part is kept.
public struct DecodedPacket: Sendable {
    /// Accepted value lists, in packet order.
    public var valueLists: [ValueList]
    /// Accepted notifications, in packet order.
    public var notifications: [Notification]
    /// Value lists read but not accepted (time 0, empty host/plugin/type).
    public var dropped: [DroppedValueList]
    /// Notifications read but not accepted (unknown severity, time 0 or empty message).
    public var droppedNotifications: Int
    /// Set when parsing stopped early.
    public var error: CollectdProtocolError?
    /// The user whose signature or encryption was verified, if any part was protected.
    public var user: String?

    public init(
        valueLists: [ValueList] = [],
        notifications: [Notification] = [],
        dropped: [DroppedValueList] = [],
        droppedNotifications: Int = 0,
        error: CollectdProtocolError? = nil,
        user: String? = nil
    ) {
        self.valueLists = valueLists
        self.notifications = notifications
        self.dropped = dropped
        self.droppedNotifications = droppedNotifications
        self.error = error
        self.user = user
    }

    /// Total number of values in the accepted value lists.
    public var valueCount: Int {
        valueLists.reduce(0) { $0 + $1.values.count }
    }
}

extension DecodedPacket: CollectdSink {
    public mutating func authenticated(user: String) {
        self.user = user
    }

    public mutating func valueList(_ list: borrowing ValueListView) {
        valueLists.append(list.materialize())
    }

    public mutating func droppedValueList(_ list: borrowing ValueListView, reason: DroppedValueList.Reason, offset: Int) {
        dropped.append(DroppedValueList(valueList: list.materialize(), reason: reason, offset: offset))
    }

    public mutating func notification(_ notification: Notification) {
        notifications.append(notification)
    }

    public mutating func droppedNotification() {
        droppedNotifications += 1
    }
}
