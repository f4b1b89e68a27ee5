import Crypto
import InfluxQL
import QueryEngine
import Synchronization

/// Every user of the HTTP API: the admins of the `--http-auth-file` (read-only here) and the
/// users made with InfluxQL (`CREATE USER`, `GRANT` …), which live in `<data-dir>/influxql-users`
/// and survive restarts. Answers authentication and is the executor's `UserAdministration`.
public final class UserRegistry: UserAdministration {
    /// The file, beside the databases, that keeps the InfluxQL users.
    public static let fileName = "influxql-users"

    struct Stored: Sendable, Hashable {
        var name: String
        var admin: Bool
        var hash: PasswordHash
        var privileges: [String: Privilege]
    }

    private let fileUsers: UserFile
    private let path: String?
    private let rounds: Int
    private let state: Mutex<[Stored]>
    /// SHA-256(salt ‖ password) of passwords already verified, per user: PBKDF2 is slow by
    /// design and Grafana authenticates every request.
    private let verified = Mutex<[String: [UInt8]]>([:])

    /// - Parameters:
    ///   - directory: where `influxql-users` is kept; nil keeps InfluxQL users in memory only.
    ///   - fileUsers: the `--http-auth-file` users, each an admin.
    ///   - rounds: PBKDF2 rounds for new passwords.
    public init(directory: String?, fileUsers: UserFile = UserFile(), rounds: Int = PasswordHash.defaultRounds) throws(InfluxHTTPError) {
        self.fileUsers = fileUsers
        self.rounds = rounds
        path = directory.map { $0.hasSuffix("/") ? $0 + Self.fileName : $0 + "/" + Self.fileName }
        var stored: [Stored] = []
        if let path, let text = FileIO.read(path) {
            stored = try Self.parse(text, path: path)
        }
        state = Mutex(stored)
    }

    /// True when some admin exists: only then does the API ask for credentials.
    public var adminExists: Bool {
        !fileUsers.users.isEmpty || state.withLock { $0.contains { $0.admin } }
    }

    // MARK: authentication

    /// The user when `password` is right. Runs PBKDF2 on a cache miss: call it off the event loop.
    public func authenticate(name: String, password: String) -> UserInfo? {
        guard let (user, hash) = candidate(name) else {
            // Spend the same work on unknown users so timing does not reveal which names exist.
            _ = PasswordHash(rounds: rounds, salt: [0], hash: []).verify(password)
            return nil
        }
        let fingerprint = Array(SHA256.hash(data: hash.salt + Array(password.utf8)))
        if let known = verified.withLock({ $0[name] }), ConstantTime.equal(known, fingerprint) { return user }
        guard hash.verify(password) else { return nil }
        verified.withLock { $0[name] = fingerprint }
        return user
    }

    /// The user when `password` is the one last verified for `name`: a digest and a comparison,
    /// never PBKDF2. Nil when only `authenticate` can tell (unknown user, wrong or new password).
    public func authenticateVerified(name: String, password: String) -> UserInfo? {
        guard let (user, hash) = candidate(name), let known = verified.withLock({ $0[name] }) else { return nil }
        let fingerprint = Array(SHA256.hash(data: hash.salt + Array(password.utf8)))
        return ConstantTime.equal(known, fingerprint) ? user : nil
    }

    /// The user of that name and the hash their password is checked against.
    private func candidate(_ name: String) -> (UserInfo, PasswordHash)? {
        if let hash = fileUsers.users[name] { return (UserInfo(name: name, admin: true), hash) }
        return state.withLock { users in
            users.first { $0.name == name }.map { (UserInfo(name: $0.name, admin: $0.admin, privileges: $0.privileges), $0.hash) }
        }
    }

    // MARK: UserAdministration

    public func users() -> [UserInfo] {
        let file = fileUsers.names.map { UserInfo(name: $0, admin: true) }
        return file + state.withLock { $0.map { UserInfo(name: $0.name, admin: $0.admin, privileges: $0.privileges) } }
    }

    public func user(named name: String) -> UserInfo? {
        if fileUsers.users[name] != nil { return UserInfo(name: name, admin: true) }
        return state.withLock { users in
            users.first { $0.name == name }.map { UserInfo(name: $0.name, admin: $0.admin, privileges: $0.privileges) }
        }
    }

    public func createUser(name: String, password: String, admin: Bool) throws {
        guard !name.isEmpty else { throw QueryError("username required") }
        guard fileUsers.users[name] == nil else { throw QueryError("user already exists") }
        // As InfluxDB: the same name, password and admin flag again is not an error.
        if let existing = state.withLock({ $0.first { $0.name == name } }) {
            guard existing.admin == admin, existing.hash.verify(password) else { throw QueryError("user already exists") }
            return
        }
        let hash = try PasswordHash(password: password, rounds: rounds)
        try change { users in
            guard !users.contains(where: { $0.name == name }) else { throw QueryError("user already exists") }
            users.append(Stored(name: name, admin: admin, hash: hash, privileges: [:]))
        }
    }

    public func dropUser(name: String) throws {
        try requireStored(name)
        try change { users in
            guard let i = users.firstIndex(where: { $0.name == name }) else { throw QueryError("user not found") }
            users.remove(at: i)
        }
    }

    public func setPassword(user name: String, password: String) throws {
        try requireStored(name)
        let hash = try PasswordHash(password: password, rounds: rounds)
        try modify(name) { $0.hash = hash }
    }

    public func setAdmin(user name: String, admin: Bool) throws {
        if fileUsers.users[name] != nil && admin { return }
        try requireStored(name)
        try modify(name) { $0.admin = admin }
    }

    public func setPrivilege(user name: String, database: String, privilege: Privilege) throws {
        try requireStored(name)
        try modify(name) { $0.privileges[database] = privilege }
    }

    public func removeDatabase(_ name: String) throws {
        try change { users in
            for i in users.indices { users[i].privileges[name] = nil }
        }
    }

    // MARK: storage

    /// Users of the auth file are managed there (`collectlite user add`), not with InfluxQL.
    private func requireStored(_ name: String) throws {
        if fileUsers.users[name] != nil {
            throw QueryError("user \(name) is an admin of the --http-auth-file: change it there")
        }
    }

    private func modify(_ name: String, _ update: (inout Stored) -> Void) throws {
        try change { users in
            guard let i = users.firstIndex(where: { $0.name == name }) else { throw QueryError("user not found") }
            update(&users[i])
        }
    }

    /// Applies a change and makes it durable before anyone sees it; a failed write keeps the old state.
    private func change(_ body: (inout [Stored]) throws -> Void) throws {
        try state.withLock { users in
            var next = users
            try body(&next)
            guard next != users else { return }
            if let path, !FileIO.writeAtomically(path, Self.render(next), mode: 0o600) {
                throw QueryError("cannot write \(path): \(FileIO.lastError())")
            }
            users = next
        }
    }

    // File format, one record a line (names and databases percent-encoded):
    //   user <name> <0|1 admin> <pbkdf2-sha256$rounds$salt$hash>
    //   grant <name> <database> <privilege: 0 none, 1 read, 2 write, 3 all>
    static func render(_ users: [Stored]) -> String {
        var out = "# InfluxQL users of collectlite (CREATE USER, GRANT …), rewritten by the server\n"
        for u in users {
            out += "user \(Percent.encode(u.name)) \(u.admin ? 1 : 0) \(u.hash.encoded)\n"
        }
        for u in users {
            for (db, p) in u.privileges.sorted(by: { $0.key < $1.key }) {
                out += "grant \(Percent.encode(u.name)) \(Percent.encode(db)) \(p.rawValue)\n"
            }
        }
        return out
    }

    static func parse(_ text: String, path: String) throws(InfluxHTTPError) -> [Stored] {
        var users: [Stored] = []
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            switch (parts.first, parts.count) {
            case ("user", 4):
                guard let name = Percent.decode(parts[1]), parts[2] == "0" || parts[2] == "1",
                      let hash = PasswordHash(encoded: parts[3]), !users.contains(where: { $0.name == name }) else { break }
                users.append(Stored(name: name, admin: parts[2] == "1", hash: hash, privileges: [:]))
                continue
            case ("grant", 4):
                guard let name = Percent.decode(parts[1]), let db = Percent.decode(parts[2]),
                      let raw = Int(parts[3]), let p = Privilege(rawValue: raw),
                      let i = users.firstIndex(where: { $0.name == name }) else { break }
                users[i].privileges[db] = p
                continue
            default:
                break
            }
            throw .authFile(path: path, reason: "line \(number): expected `user NAME 0|1 HASH` or `grant NAME DATABASE 0-3`")
        }
        return users
    }
}

/// Percent-encoding of every byte but letters, digits, `.`, `_` and `-`.
enum Percent {
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                out.unicodeScalars.append(UnicodeScalar(byte))
            default:
                out += "%" + Hex.encode([byte]).uppercased()
            }
        }
        return out.isEmpty ? "%" : out
    }

    static func decode(_ text: some StringProtocol) -> String? {
        if text == "%" { return "" }
        var bytes: [UInt8] = []
        var chars = Array(text.utf8)[...]
        while let c = chars.popFirst() {
            if c == UInt8(ascii: "%") {
                guard chars.count >= 2, let h = FormDecoding.hex(chars.removeFirst()), let l = FormDecoding.hex(chars.removeFirst()) else { return nil }
                bytes.append(h << 4 | l)
            } else {
                bytes.append(c)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
