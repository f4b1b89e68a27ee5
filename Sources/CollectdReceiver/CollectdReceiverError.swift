/// Everything that can go wrong in the receiver: configuration values it cannot use and
/// failures to open its socket.
public enum CollectdReceiverError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A bind address that is not `host:port`, `[v6]:port` or `:port`.
    case invalidAddress(String)
    /// An option value outside what the receiver accepts.
    case invalidOption(name: String, value: String, expected: String)
    /// The UDP socket could not be bound or configured.
    case bindFailed(address: String, reason: String)

    public var description: String {
        switch self {
        case .invalidAddress(let text):
            "invalid address \"\(text)\": expected host:port, [ipv6]:port or :port"
        case .invalidOption(let name, let value, let expected):
            "invalid value \"\(value)\" for \(name): expected \(expected)"
        case .bindFailed(let address, let reason):
            "cannot listen on udp://\(address): \(reason)"
        }
    }
}
