import Crypto
import Synchronization

/// Checks request credentials against a `UserFile`: `u`/`p` parameters, HTTP Basic, or
/// `Authorization: Token user:password`.
///
/// PBKDF2 is deliberately slow, and Grafana authenticates every request, so a successful
/// check is remembered as SHA-256(salt ‖ password) per user; later requests with the same
/// password cost one hash.
public final class Authenticator: Sendable {
    public enum Outcome: Sendable, Hashable {
        case allowed(user: String)
        /// No usable credentials (InfluxDB: "unable to parse authentication credentials").
        case missingCredentials
        /// Unknown user or wrong password (InfluxDB: "authorization failed").
        case denied
    }

    private let users: UserFile
    private let verified = Mutex<[String: [UInt8]]>([:])

    public init(users: UserFile) {
        self.users = users
    }

    /// Credentials from parameters first (as InfluxDB), then the Authorization header.
    static func credentials(user: String?, password: String?, authorization: String?) -> (String, String)? {
        if let user, !user.isEmpty { return (user, password ?? "") }
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
        guard let (name, pass) = Self.credentials(user: user, password: password, authorization: authorization) else {
            return .missingCredentials
        }
        guard let hash = users.users[name] else {
            // Spend the same work on unknown users so timing does not reveal which names exist.
            _ = PasswordHash(rounds: PasswordHash.defaultRounds, salt: [0], hash: []).verify(pass)
            return .denied
        }
        let fingerprint = Array(SHA256.hash(data: hash.salt + Array(pass.utf8)))
        if let known = verified.withLock({ $0[name] }), ConstantTime.equal(known, fingerprint) {
            return .allowed(user: name)
        }
        guard hash.verify(pass) else { return .denied }
        verified.withLock { $0[name] = fingerprint }
        return .allowed(user: name)
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
