/// Everything that can go wrong in the HTTP shell; `description` is what users read.
public enum InfluxHTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidBind(String)
    case authFile(path: String, reason: String)
    case tls(String)
    case userExists(String)
    case invalidUserName(String)
    case emptyPassword
    case client(String)

    public var description: String {
        switch self {
        case .invalidBind(let text): "invalid bind address \"\(text)\" (want host:port, [v6]:port or :port)"
        case .authFile(let path, let reason): "auth file \(path): \(reason)"
        case .tls(let reason): "TLS: \(reason)"
        case .userExists(let name): "user \"\(name)\" already exists"
        case .invalidUserName(let name): "invalid user name \"\(name)\" (letters, digits, . _ - only)"
        case .emptyPassword: "the password must not be empty"
        case .client(let reason): reason
        }
    }
}
