import CollectdProtocol
import TimeSeries

/// Turns decoded collectd value lists and notifications into points, exactly as InfluxDB 1.x's
/// collectd service names them (see Docs/collectd.md).
///
/// Pure: no I/O, no shared state; the receiver calls it on its event loop.
public struct CollectdMapper: Sendable {
    /// Measurement that notifications are stored in.
    public static let notificationMeasurement = "collectd_notification"

    public var typesDB: TypesDB
    public var options: MappingOptions

    public init(typesDB: TypesDB, options: MappingOptions = MappingOptions()) {
        self.typesDB = typesDB
        self.options = options
    }

    /// Appends the points of one value list to `points`.
    ///
    /// Split mode gives one point per data source (`<plugin>_<dsname>`, field `value`), join mode
    /// one point per list (`<plugin>`, one field per data source). Tags `host`, `instance`,
    /// `type`, `type_instance` appear only when non-empty. Every value becomes a float.
    public func map(_ list: ValueList, into points: inout [Point]) -> MappingResult {
        var result = MappingResult()
        let names: [String]
        if let sources = typesDB[list.type], sources.count == list.values.count {
            names = sources.map(\.name)
        } else {
            if let sources = typesDB[list.type] {
                result.typeMatch = .countMismatch(expected: sources.count)
            } else {
                result.typeMatch = .unknown
            }
            if options.unknownTypes == .drop {
                result.droppedUnknown = list.values.count
                return result
            }
            names = Self.positionalNames(count: list.values.count)
        }
        let key = Self.tags(of: list)
        let time = options.precision.floor(list.time)
        switch options.multiValue {
        case .split:
            for (index, value) in list.values.enumerated() {
                let number = value.doubleValue
                guard number.isFinite else {
                    result.skippedNonFinite += 1
                    continue
                }
                let measurement = list.plugin + "_" + names[index]
                points.append(Point(
                    key: SeriesKey(measurement: measurement, sortedTags: key),
                    fields: [Field("value", .float(number))],
                    time: time))
                result.mapped += 1
            }
        case .join:
            var fields: [Field] = []
            fields.reserveCapacity(list.values.count)
            for (index, value) in list.values.enumerated() {
                let number = value.doubleValue
                guard number.isFinite else {
                    result.skippedNonFinite += 1
                    continue
                }
                fields.append(Field(names[index], .float(number)))
            }
            if !fields.isEmpty {
                points.append(Point(key: SeriesKey(measurement: list.plugin, sortedTags: key), fields: fields, time: time))
                result.mapped += fields.count
            }
        }
        return result
    }

    /// The point of one notification in `collectd_notification`: tags host, instance, plugin,
    /// severity (failure|warning|okay), type, type_instance (non-empty ones), field `message`.
    public func map(_ notification: Notification) -> Point {
        var tags: [Tag] = []
        tags.reserveCapacity(6)
        // Sorted by key: host, instance, plugin, severity, type, type_instance.
        if !notification.host.isEmpty { tags.append(Tag("host", notification.host)) }
        if !notification.pluginInstance.isEmpty { tags.append(Tag("instance", notification.pluginInstance)) }
        if !notification.plugin.isEmpty { tags.append(Tag("plugin", notification.plugin)) }
        tags.append(Tag("severity", Self.name(of: notification.severity)))
        if !notification.type.isEmpty { tags.append(Tag("type", notification.type)) }
        if !notification.typeInstance.isEmpty { tags.append(Tag("type_instance", notification.typeInstance)) }
        return Point(
            key: SeriesKey(measurement: Self.notificationMeasurement, sortedTags: tags),
            fields: [Field("message", .string(notification.message))],
            time: options.precision.floor(notification.time))
    }

    /// `failure`, `warning` or `okay`.
    public static func name(of severity: Severity) -> String {
        switch severity {
        case .failure: "failure"
        case .warning: "warning"
        case .okay: "okay"
        }
    }

    /// `value` for one data source, else `value0`, `value1`, ….
    public static func positionalNames(count: Int) -> [String] {
        count == 1 ? ["value"] : (0..<count).map { "value\($0)" }
    }

    /// The value list's tags, already in key order (host < instance < type < type_instance).
    static func tags(of list: ValueList) -> [Tag] {
        var tags: [Tag] = []
        tags.reserveCapacity(4)
        if !list.host.isEmpty { tags.append(Tag("host", list.host)) }
        if !list.pluginInstance.isEmpty { tags.append(Tag("instance", list.pluginInstance)) }
        if !list.type.isEmpty { tags.append(Tag("type", list.type)) }
        if !list.typeInstance.isEmpty { tags.append(Tag("type_instance", list.typeInstance)) }
        return tags
    }
}
