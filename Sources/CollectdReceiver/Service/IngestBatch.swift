import TimeSeries

/// Points mapped from one read burst, with how many collectd values and notifications they hold.
public struct IngestBatch: Sendable {
    public var points: [Point]
    public var values: Int
    public var notifications: Int

    public init(points: [Point] = [], values: Int = 0, notifications: Int = 0) {
        self.points = points
        self.values = values
        self.notifications = notifications
    }

    public var isEmpty: Bool { points.isEmpty }

    mutating func append(contentsOf other: IngestBatch) {
        points.append(contentsOf: other.points)
        values += other.values
        notifications += other.notifications
    }
}
