extension Expr: CustomStringConvertible {
    /// Canonical InfluxQL text; parsing it yields this expression again. Parentheses are
    /// only added where a hand-built tree needs them (parsed trees keep theirs as `.paren`).
    public var description: String {
        switch self {
        case .varRef(let name, let type):
            return Render.ident(name) + (type.map { "::" + $0.rawValue } ?? "")
        case .call(let name, let args):
            return Render.ident(name) + "(" + args.map(\.description).joined(separator: ", ") + ")"
        case .binary(let op, let lhs, let rhs):
            var l = lhs.description
            var r = rhs.description
            if case .binary(let lop, _, _) = lhs, lop.precedence < op.precedence { l = "(" + l + ")" }
            if case .binary(let rop, _, _) = rhs, rop.precedence <= op.precedence { r = "(" + r + ")" }
            return l + " " + op.rawValue + " " + r
        case .paren(let inner):
            return "(" + inner.description + ")"
        case .number(let v):
            return Render.number(v)
        case .integer(let v):
            return String(v)
        case .unsigned(let v):
            return String(v)
        case .string(let s):
            return Render.string(s)
        case .boolean(let b):
            return b ? "true" : "false"
        case .duration(let d):
            return InfluxDuration.format(d)
        case .regex(let pattern):
            return Render.regex(pattern)
        case .wildcard(let type):
            return "*" + (type.map { "::" + $0.rawValue } ?? "")
        case .distinct(let name):
            return "DISTINCT " + Render.ident(name)
        }
    }
}
