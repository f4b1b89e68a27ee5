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

/// Standard base64 (RFC 4648), padding optional.
enum Base64 {
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        var out: [UInt8] = []
        var acc: UInt32 = 0
        var bits = 0
        for c in text.utf8 {
            let v: UInt32
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(c - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(c - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(c - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "+"), UInt8(ascii: "-"): v = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): v = 63
            case UInt8(ascii: "="): continue
            default: return nil
            }
            acc = acc << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
            }
        }
        return out
    }

    static func encode(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".unicodeScalars)
        var s = String.UnicodeScalarView()
        var i = 0
        while i < bytes.count {
            let b0 = UInt32(bytes[i])
            let b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0
            let b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
            let n = b0 << 16 | b1 << 8 | b2
            s.append(table[Int(n >> 18 & 63)])
            s.append(table[Int(n >> 12 & 63)])
            s.append(i + 1 < bytes.count ? table[Int(n >> 6 & 63)] : "=")
            s.append(i + 2 < bytes.count ? table[Int(n & 63)] : "=")
            i += 3
        }
        return String(s)
    }
}
