/// One named field of a point.
public struct Field: Sendable, Hashable {
    public var name: String
    public var value: FieldValue

    public init(_ name: String, _ value: FieldValue) {
        self.name = name
        self.value = value
    }
}

/// A point as written: one series, one timestamp (ns since the epoch), one or more fields.
public struct Point: Sendable, Hashable {
    public var key: SeriesKey
    public var fields: [Field]
    public var time: Int64

    public init(key: SeriesKey, fields: [Field], time: Int64) {
        self.key = key
        self.fields = fields
        self.time = time
    }

    public init(measurement: String, tags: [Tag] = [], fields: [Field], time: Int64) {
        self.init(key: SeriesKey(measurement: measurement, tags: tags), fields: fields, time: time)
    }
}

/// One stored sample of one series field.
public struct Sample: Sendable, Hashable {
    public var time: Int64
    public var value: FieldValue

    public init(time: Int64, value: FieldValue) {
        self.time = time
        self.value = value
    }
}
