/// Severity of a collectd notification, with its wire values.
public enum Severity: UInt64, Sendable {
    case failure = 1
    case warning = 2
    case okay = 4
}

/// A collectd notification: the identity of the value list state at the time the message
/// part was read, plus severity and message.
public struct Notification: Sendable, Hashable {
    public var host: String
    public var plugin: String
    public var pluginInstance: String
    public var type: String
    public var typeInstance: String
    /// Nanoseconds since the Unix epoch.
    public var time: Int64
    public var severity: Severity
    public var message: String

    public init(
        host: String,
        plugin: String = "",
        pluginInstance: String = "",
        type: String = "",
        typeInstance: String = "",
        time: Int64,
        severity: Severity,
        message: String
    ) {
        self.host = host
        self.plugin = plugin
        self.pluginInstance = pluginInstance
        self.type = type
        self.typeInstance = typeInstance
        self.time = time
        self.severity = severity
        self.message = message
    }
}
