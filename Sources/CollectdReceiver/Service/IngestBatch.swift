import TimeSeries

/// What one read burst mapped: value rows by ref, value lists of identities not resolved yet
/// (the writer resolves them), and the rare notifications as points.
public struct IngestBatch: Sendable {
    public var rows: ColumnBatch
    public var pending = PendingLists()
    public var notifications: [Point]
    /// collectd values in `rows` and `pending`.
    public var values: Int
    /// Handoffs of resolutions (`IdentityResolver.takeResolved`) the reader had taken before
    /// it decoded the batch's first value list: the writer forgets those resolutions then.
    var absorbed: UInt64 = 0

    public init(rows: ColumnBatch = ColumnBatch(), notifications: [Point] = [], values: Int = 0) {
        self.rows = rows
        self.notifications = notifications
        self.values = values
    }

    public var isEmpty: Bool { rows.isEmpty && pending.isEmpty && notifications.isEmpty }

    /// Bytes the batch holds in the queue (notifications estimated at 256 bytes each).
    public var byteCount: Int { rows.byteCount + pending.byteCount + notifications.count * 256 }

    /// Empties the batch and keeps its capacity (for the pool).
    public mutating func removeAll() {
        rows.removeAll()
        pending.removeAll()
        notifications.removeAll()
        values = 0
    }
}
