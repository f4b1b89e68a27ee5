/// A database privilege of `GRANT`/`REVOKE` and `SHOW GRANTS` (InfluxDB's bit set: ALL is
/// READ | WRITE, and REVOKE clears bits).
public enum Privilege: Int, Sendable, Hashable, CaseIterable {
    case none = 0
    case read = 1
    case write = 2
    case all = 3

    /// InfluxDB's spelling (`SHOW GRANTS` column, statement rendering).
    public var text: String {
        switch self {
        case .none: "NO PRIVILEGES"
        case .read: "READ"
        case .write: "WRITE"
        case .all: "ALL PRIVILEGES"
        }
    }

    /// True when holding `self` allows what `required` asks for.
    public func includes(_ required: Privilege) -> Bool {
        required == .none || self == required || self == .all
    }

    /// `self` with the bits of `other` cleared (`REVOKE`).
    public func removing(_ other: Privilege) -> Privilege {
        Privilege(rawValue: rawValue & ~other.rawValue) ?? .none
    }
}

/// What a statement needs from the user running it (InfluxDB's `ExecutionPrivilege`).
public struct RequiredPrivilege: Sendable, Hashable {
    /// Only an admin may run the statement.
    public var admin: Bool
    /// The database named by the statement; nil means the request's `db` parameter.
    public var database: String?
    public var privilege: Privilege

    public init(admin: Bool = false, database: String? = nil, privilege: Privilege = .none) {
        self.admin = admin
        self.database = database
        self.privilege = privilege
    }

    static let admin = RequiredPrivilege(admin: true, privilege: .all)

    static func read(_ database: String?) -> RequiredPrivilege { RequiredPrivilege(database: database, privilege: .read) }
    static func write(_ database: String?) -> RequiredPrivilege { RequiredPrivilege(database: database, privilege: .write) }
}
