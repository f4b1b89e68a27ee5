import InfluxQL

/// One user as authorization sees it.
public struct UserInfo: Sendable, Hashable {
    public var name: String
    public var admin: Bool
    /// Database → privilege; a revoked grant stays as `.none` (InfluxDB lists it as NO PRIVILEGES).
    public var privileges: [String: Privilege]

    public init(name: String, admin: Bool, privileges: [String: Privilege] = [:]) {
        self.name = name
        self.admin = admin
        self.privileges = privileges
    }

    /// InfluxDB's `AuthorizeDatabase`: admins may do anything, `.none` asks for nothing.
    public func authorizes(_ privilege: Privilege, on database: String) -> Bool {
        admin || privilege == .none || (privileges[database]?.includes(privilege) ?? false)
    }
}

/// The users behind `CREATE USER`, `GRANT` and friends, and behind HTTP authentication.
///
/// Implementations keep users durable and throw `QueryError`s worded as InfluxDB's meta
/// store words them ("user not found", "user already exists").
public protocol UserAdministration: Sendable {
    /// Every user, in creation order.
    func users() -> [UserInfo]
    func user(named name: String) -> UserInfo?
    /// Creates a user; re-creating one with the same password and admin flag is a no-op.
    func createUser(name: String, password: String, admin: Bool) throws
    func dropUser(name: String) throws
    func setPassword(user: String, password: String) throws
    func setAdmin(user: String, admin: Bool) throws
    /// Replaces the user's privilege on `database` (which the caller checked exists).
    func setPrivilege(user: String, database: String, privilege: Privilege) throws
    /// Forgets every privilege on a dropped database.
    func removeDatabase(_ name: String) throws
}

/// Who runs a query, for authorization (`QueryOptions.authorization`).
public enum QueryAuthorization: Sendable, Hashable {
    /// Authorization is off: everything is allowed.
    case open
    /// Authorization is on but the request carried no authenticated user (no admin exists yet).
    case anonymous
    /// The authenticated user, as it was when authenticated.
    case user(UserInfo)
}
