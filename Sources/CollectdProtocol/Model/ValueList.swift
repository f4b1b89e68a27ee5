/// One sample set from a collectd agent: an identity (host/plugin/type and instances),
/// a timestamp, the sending interval and one value per data source of the type.
public struct ValueList: Sendable, Hashable {
    public var host: String
    public var plugin: String
    public var pluginInstance: String
    public var type: String
    public var typeInstance: String
    /// Nanoseconds since the Unix epoch.
    public var time: Int64
    /// Nanoseconds.
    public var interval: Int64
    public var values: [CollectdValue]

    public init(
        host: String,
        plugin: String,
        pluginInstance: String = "",
        type: String,
        typeInstance: String = "",
        time: Int64,
        interval: Int64,
        values: [CollectdValue]
    ) {
        self.host = host
        self.plugin = plugin
        self.pluginInstance = pluginInstance
        self.type = type
        self.typeInstance = typeInstance
        self.time = time
        self.interval = interval
        self.values = values
    }

    /// collectd's identifier notation: `host/plugin[-instance]/type[-instance]`.
    public var identifier: String {
        var id = host + "/" + plugin
        if !pluginInstance.isEmpty { id += "-" + pluginInstance }
        id += "/" + type
        if !typeInstance.isEmpty { id += "-" + typeInstance }
        return id
    }
}

/// A value list the decoder read but did not accept, and why (collectd drops these too).
public struct DroppedValueList: Sendable, Hashable {
    /// Why a value list was dropped.
    public enum Reason: String, Sendable, Hashable {
        case zeroTime = "zero_time"
        case emptyHost = "empty_host"
        case emptyPlugin = "empty_plugin"
        case emptyType = "empty_type"
    }

    public var valueList: ValueList
    public var reason: Reason
    /// Byte offset of the values part in the datagram.
    public var offset: Int

    public init(valueList: ValueList, reason: Reason, offset: Int) {
        self.valueList = valueList
        self.reason = reason
        self.offset = offset
    }
}
