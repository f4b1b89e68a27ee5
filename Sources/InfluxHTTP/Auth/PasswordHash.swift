import Crypto
import CryptoExtras

/// A salted PBKDF2-HMAC-SHA256 password hash, stored as
/// `pbkdf2-sha256$<rounds>$<salt hex>$<hash hex>`.
public struct PasswordHash: Sendable, Hashable {
    public static let defaultRounds = 210_000

    public var rounds: Int
    public var salt: [UInt8]
    public var hash: [UInt8]

    /// Hashes `password` with a fresh 16-byte random salt.
    public init(password: String, rounds: Int = PasswordHash.defaultRounds) throws {
        var rng = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
        self.rounds = rounds
        self.salt = salt
        self.hash = try Self.derive(password: password, salt: salt, rounds: rounds)
    }

    public init(rounds: Int, salt: [UInt8], hash: [UInt8]) {
        self.rounds = rounds
        self.salt = salt
        self.hash = hash
    }

    /// Parses the stored text form.
    public init?(encoded: some StringProtocol) {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "pbkdf2-sha256", let rounds = Int(parts[1]), rounds > 0,
              let salt = Hex.decode(parts[2]), let hash = Hex.decode(parts[3]), !salt.isEmpty, hash.count == 32
        else { return nil }
        self.init(rounds: rounds, salt: salt, hash: hash)
    }

    public var encoded: String {
        "pbkdf2-sha256$\(rounds)$\(Hex.encode(salt))$\(Hex.encode(hash))"
    }

    /// True when `password` hashes to the stored hash (constant-time comparison).
    public func verify(_ password: String) -> Bool {
        guard let candidate = try? Self.derive(password: password, salt: salt, rounds: rounds) else { return false }
        return ConstantTime.equal(candidate, hash)
    }

    static func derive(password: String, salt: [UInt8], rounds: Int) throws -> [UInt8] {
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(password.utf8), salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: rounds)
        return key.withUnsafeBytes { Array($0) }
    }
}

enum ConstantTime {
    /// Compares without an early exit, so timing does not tell where two values differ.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var diff = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            diff |= x ^ y
        }
        return diff == 0
    }
}

enum Hex {
    static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".unicodeScalars)
        var s = String.UnicodeScalarView()
        for b in bytes {
            s.append(digits[Int(b >> 4)])
            s.append(digits[Int(b & 15)])
        }
        return String(s)
    }

    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let h = FormDecoding.hex(chars[i]), let l = FormDecoding.hex(chars[i + 1]) else { return nil }
            out.append(h << 4 | l)
            i += 2
        }
        return out
    }
}
