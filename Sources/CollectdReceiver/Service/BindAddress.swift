/// A listening address as written in flags: `host:port`, `[ipv6]:port` or `:port` (all IPv4
/// interfaces).
public struct BindAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, `[v6]:port`, `:port`; throws `CollectdReceiverError.invalidAddress`.
    public init(parsing text: String) throws {
        let bad = CollectdReceiverError.invalidAddress(text)
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw bad }
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw bad }
            portPart = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw bad }
            hostPart = text[..<colon]
            // A bare IPv6 literal without brackets is ambiguous about the port.
            guard !hostPart.contains(":") else { throw bad }
            portPart = text[text.index(after: colon)...]
        }
        guard let port = Int(portPart), (0...65535).contains(port) else { throw bad }
        self.host = hostPart.isEmpty ? "0.0.0.0" : String(hostPart)
        self.port = port
    }

    /// `host:port`, with brackets around IPv6 literals.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
