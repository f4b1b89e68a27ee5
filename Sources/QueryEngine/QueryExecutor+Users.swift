import InfluxQL

extension QueryExecutor {
    /// `SHOW USERS`, `SHOW GRANTS FOR`, `CREATE`/`DROP USER`, `SET PASSWORD`, `GRANT`, `REVOKE`.
    func runUserStatement(_ statement: Statement) throws -> [ResultSeries] {
        guard let users else {
            if case .showUsers = statement { return [ResultSeries(name: "", columns: ["user", "admin"], values: [])] }
            throw QueryError.usersUnavailable
        }
        switch statement {
        case .showUsers:
            let rows = users.users().map { [ResultValue.string($0.name), .boolean($0.admin)] }
            return [ResultSeries(name: "", columns: ["user", "admin"], values: rows)]
        case .showGrants(let name):
            let user = try Self.existing(name, in: users)
            let rows = user.privileges.sorted { $0.key < $1.key }.map { [ResultValue.string($0.key), .string($0.value.text)] }
            return [ResultSeries(name: "", columns: ["database", "privilege"], values: rows)]
        case .createUser(let name, let password, let admin):
            try users.createUser(name: name, password: password, admin: admin)
        case .dropUser(let name):
            try users.dropUser(name: name)
        case .setPassword(let name, let password):
            try users.setPassword(user: name, password: password)
        case .grantAdmin(let name):
            try users.setAdmin(user: name, admin: true)
        case .revokeAdmin(let name):
            try users.setAdmin(user: name, admin: false)
        case .grant(let privilege, let database, let name):
            _ = try Self.existing(name, in: users)
            try requireExisting(database)
            try users.setPrivilege(user: name, database: database, privilege: privilege)
        case .revoke(let privilege, let database, let name):
            let user = try Self.existing(name, in: users)
            // Revoking ALL clears everything; otherwise the revoked bits leave the held privilege.
            let remaining = privilege == .all ? .none : (user.privileges[database] ?? .none).removing(privilege)
            try requireExisting(database)
            try users.setPrivilege(user: name, database: database, privilege: remaining)
        default:
            throw QueryError("statement not supported")
        }
        return []
    }

    private static func existing(_ name: String, in users: any UserAdministration) throws -> UserInfo {
        guard let user = users.user(named: name) else { throw QueryError.userNotFound }
        return user
    }

    /// InfluxDB's meta store words a missing database without quotes here.
    private func requireExisting(_ database: String) throws {
        guard try store.databases().contains(database) else { throw QueryError.databaseNotFound(database) }
    }
}
