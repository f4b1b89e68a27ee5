extension SelectStatement: CustomStringConvertible {
    /// Canonical InfluxQL text (`SELECT … FROM …` with clauses in grammar order).
    public var description: String {
        var s = "SELECT " + fields.map(\.description).joined(separator: ", ")
        if let into { s += " INTO " + Self.target(into) }
        if !sources.isEmpty { s += " FROM " + sources.map(\.description).joined(separator: ", ") }
        if let condition { s += " WHERE " + condition.description }
        if !dimensions.isEmpty { s += " GROUP BY " + dimensions.map(\.description).joined(separator: ", ") }
        switch fill {
        case .null: break
        case .none: s += " fill(none)"
        case .previous: s += " fill(previous)"
        case .linear: s += " fill(linear)"
        case .integer(let v): s += " fill(\(v))"
        case .number(let v): s += " fill(\(Render.number(v)))"
        }
        if orderDescending { s += " ORDER BY time DESC" }
        s += Clauses.limits(limit: limit, offset: offset, slimit: slimit, soffset: soffset)
        if let timezone { s += " TZ(" + Render.string(timezone) + ")" }
        return s
    }
}

extension SelectField: CustomStringConvertible {
    /// The expression, followed by `AS alias` when aliased.
    public var description: String {
        expr.description + (alias.map { " AS " + Render.ident($0) } ?? "")
    }
}

extension Source: CustomStringConvertible {
    /// A measurement reference or a parenthesized subquery.
    public var description: String {
        switch self {
        case .measurement(let m): m.description
        case .subquery(let stmt): "(" + stmt.description + ")"
        }
    }
}

extension SelectStatement {
    /// The INTO target as InfluxDB prints it: an empty name after a database or policy is
    /// `:MEASUREMENT` (`db0.rp1.:MEASUREMENT`, `rp1.:MEASUREMENT`, `db0..:MEASUREMENT`).
    static func target(_ m: Measurement) -> String {
        guard case .name("") = m.name, m.database != nil || m.retentionPolicy != nil else { return m.description }
        return (m.database.map { Render.ident($0) + "." } ?? "") + (m.retentionPolicy.map(Render.ident) ?? "") + ".:MEASUREMENT"
    }
}

extension Measurement: CustomStringConvertible {
    /// `name`, `rp.name`, `db.rp.name`, `db..name` or the same with `/regex/`.
    public var description: String {
        var s = ""
        if let database { s += Render.ident(database) + "." }
        if let retentionPolicy { s += Render.ident(retentionPolicy) }
        if database != nil || retentionPolicy != nil { s += "." }
        switch name {
        case .name(let n): s += Render.ident(n)
        case .regex(let r): s += Render.regex(r)
        }
        return s
    }
}

extension Dimension: CustomStringConvertible {
    /// `time(…)`, a tag key, `/regex/`, `*` or an expression.
    public var description: String {
        switch self {
        case .time(let interval, let offset):
            "time(" + interval.description + (offset.map { ", " + $0.description } ?? "") + ")"
        case .tag(let key): Render.ident(key)
        case .regex(let r): Render.regex(r)
        case .wildcard: "*"
        case .expr(let e): e.description
        }
    }
}

/// Shared rendering of trailing clauses.
enum Clauses {
    /// ` LIMIT n OFFSET n SLIMIT n SOFFSET n`, each only when non-zero.
    static func limits(limit: Int, offset: Int, slimit: Int = 0, soffset: Int = 0) -> String {
        var s = ""
        if limit > 0 { s += " LIMIT \(limit)" }
        if offset > 0 { s += " OFFSET \(offset)" }
        if slimit > 0 { s += " SLIMIT \(slimit)" }
        if soffset > 0 { s += " SOFFSET \(soffset)" }
        return s
    }

    /// ` ON db` when a database is named.
    static func on(_ database: String?) -> String {
        database.map { " ON " + Render.ident($0) } ?? ""
    }

    /// ` FROM a, b` when there are sources.
    static func from(_ sources: [Source]) -> String {
        sources.isEmpty ? "" : " FROM " + sources.map(\.description).joined(separator: ", ")
    }

    /// ` WHERE cond` when there is a condition.
    static func `where`(_ condition: Expr?) -> String {
        condition.map { " WHERE " + $0.description } ?? ""
    }
}
