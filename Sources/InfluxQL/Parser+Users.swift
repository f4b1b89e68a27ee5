extension Parser {
    /// `create_user_stmt = "CREATE" "USER" ident "WITH" "PASSWORD" string [ "WITH" "ALL" "PRIVILEGES" ] .`
    /// (after `CREATE USER`)
    mutating func parseCreateUserStatement() throws(ParseError) -> Statement {
        let name = try parseIdent()
        try expect(.keyword(.with), .keyword(.password))
        let password = try parseString()
        guard accept(.keyword(.with)) else { return .createUser(name: name, password: password, admin: false) }
        // Only the admin privilege can be given at creation.
        try expect(.keyword(.all), .keyword(.privileges))
        return .createUser(name: name, password: password, admin: true)
    }

    /// `set_password_stmt = "SET" "PASSWORD" "FOR" ident "=" string .` (after `SET PASSWORD`)
    mutating func parseSetPasswordStatement() throws(ParseError) -> Statement {
        try expect(.keyword(.for))
        let user = try parseIdent()
        try expect(.eq)
        return .setPassword(user: user, password: try parseString())
    }

    /// `grant_stmt = "GRANT" privilege ( "ON" ident "TO" ident | "TO" ident ) .` and
    /// `revoke_stmt = "REVOKE" privilege ( "ON" ident "FROM" ident | "FROM" ident ) .`
    /// (after `GRANT` / `REVOKE`); the form without `ON` is the admin privilege, ALL only.
    mutating func parseGrantOrRevoke(grant: Bool) throws(ParseError) -> Statement {
        let privilege = try parsePrivilege()
        let direction: Token = .keyword(grant ? .to : .from)
        let l = scanIgnoringWhitespace()
        if l.token == .keyword(.on) {
            let database = try parseIdent()
            try expect(direction)
            let user = try parseIdent()
            return grant ? .grant(privilege: privilege, database: database, user: user)
                : .revoke(privilege: privilege, database: database, user: user)
        }
        if l.token == direction && privilege == .all {
            let user = try parseIdent()
            return grant ? .grantAdmin(user: user) : .revokeAdmin(user: user)
        }
        throw ParseError.unexpected(l, expected: privilege == .all ? ["ON", direction.description] : ["ON"])
    }

    /// `privilege = "READ" | "WRITE" | "ALL" [ "PRIVILEGES" ] .`
    private mutating func parsePrivilege() throws(ParseError) -> Privilege {
        let l = scanIgnoringWhitespace()
        switch l.token {
        case .keyword(.read): return .read
        case .keyword(.write): return .write
        case .keyword(.all):
            _ = accept(.keyword(.privileges))
            return .all
        default: throw ParseError.unexpected(l, expected: ["READ", "WRITE", "ALL [PRIVILEGES]"])
        }
    }
}
