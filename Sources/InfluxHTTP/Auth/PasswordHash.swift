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
