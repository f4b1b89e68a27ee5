import QueryEngine

/// Authenticates requests as InfluxDB 1.6.7 does with `auth-enabled = true`: while no admin
/// exists nobody is asked for credentials (so the first admin can be created); afterwards
/// `u`/`p` parameters (both given), HTTP Basic or `Authorization: Token user:password`.
public struct Authenticator: Sendable {
    public enum Outcome: Sendable, Hashable {
        case allowed(UserInfo)
        /// No admin exists yet: the request goes on without a user.
        case anonymous
        /// No usable credentials (InfluxDB: "unable to parse authentication credentials").
        case missingCredentials
        /// HTTP Basic with an empty user name (InfluxDB: "username required").
        case usernameRequired
        /// Unknown user or wrong password (InfluxDB: "authorization failed").
        case denied
    }

    public let users: UserRegistry

    public init(users: UserRegistry) {
        self.users = users
    }

    /// Credentials from parameters first (as InfluxDB), then the Authorization header.
    static func credentials(user: String?, password: String?, authorization: String?) -> (String, String)? {
        if let user, !user.isEmpty, let password, !password.isEmpty { return (user, password) }
        guard let header = authorization else { return nil }
        if let rest = header.dropPrefix(caseInsensitive: "Basic ") {
            guard let decoded = Base64.decode(rest.trimmingASCIIWhitespace) else { return nil }
            let text = String(decoding: decoded, as: UTF8.self)
            guard let colon = text.firstIndex(of: ":") else { return nil }
            return (String(text[..<colon]), String(text[text.index(after: colon)...]))
        }
        if let rest = header.dropPrefix(caseInsensitive: "Token ") {
            let text = rest.trimmingASCIIWhitespace
            guard let colon = text.firstIndex(of: ":") else { return nil }
            return (String(text[..<colon]), String(text[text.index(after: colon)...]))
        }
        return nil
    }

    /// Decides one request. Runs PBKDF2 on a cache miss: call it off the event loop.
    public func check(user: String?, password: String?, authorization: String?) -> Outcome {
        guard users.adminExists else { return .anonymous }
        guard let (name, pass) = Self.credentials(user: user, password: password, authorization: authorization) else {
            return .missingCredentials
        }
        guard !name.isEmpty else { return .usernameRequired }
        guard let info = users.authenticate(name: name, password: pass) else { return .denied }
        return .allowed(info)
    }

    /// `check` when it needs no PBKDF2 (no admin yet, bad credentials' form, or a password
    /// verified before); nil otherwise, and then only `check`, off the event loop, can decide.
    public func checkWithoutHashing(user: String?, password: String?, authorization: String?) -> Outcome? {
        guard users.adminExists else { return .anonymous }
        guard let (name, pass) = Self.credentials(user: user, password: password, authorization: authorization) else {
            return .missingCredentials
        }
        guard !name.isEmpty else { return .usernameRequired }
        return users.authenticateVerified(name: name, password: pass).map { .allowed($0) }
    }
}

extension String {
    func dropPrefix(caseInsensitive prefix: String) -> Substring? {
        guard self.utf8.count >= prefix.utf8.count else { return nil }
        let head = self.prefix(prefix.count)
        guard head.lowercased() == prefix.lowercased() else { return nil }
        return self.dropFirst(prefix.count)
    }
}
