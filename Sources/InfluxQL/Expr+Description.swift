extension Expr: CustomStringConvertible {
    /// Canonical InfluxQL text; parsing it yields this expression again. Parentheses are
    /// only added where a hand-built tree needs them (parsed trees keep theirs as `.paren`).
    public var description: String {
        switch self {
        case .varRef(let name, let type):
            return Render.ident(name) + (type.map { "::" + $0.rawValue } ?? "")
        case .call(let name, let args):
            return Render.ident(name) + "(" + args.map(\.description).joined(separator: ", ") + ")"
        case .binary(.multiply, .integer(let sign), let operand) where Expr.isSignable(operand, sign):
            // The parser's reading of unary `-x` / `+x`; written that way it reads back
            // identically wherever it stands.
            return (sign < 0 ? "-" : "+") + operand.description
        case .binary(let op, let lhs, let rhs):
            var l = lhs.description
            var r = rhs.description
            if let lp = lhs.renderedPrecedence, lp < op.precedence { l = "(" + l + ")" }
            // A chain of AND or OR halved by the parser (see `Parser.chain`) needs none on its
            // right: those two are associative.
            if let rp = rhs.renderedPrecedence, rp < op.precedence || (rp == op.precedence && !rhs.continuesChain(of: op)) {
                r = "(" + r + ")"
            }
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

    /// Whether `sign * operand` is what the parser builds for a signed variable, call or group.
    private static func isSignable(_ operand: Expr, _ sign: Int64) -> Bool {
        guard sign == 1 || sign == -1 else { return false }
        switch operand {
        case .varRef, .call, .paren: return true
        default: return false
        }
    }

    /// The precedence of the operator this expression renders with at its top, nil for atoms.
    private var renderedPrecedence: Int? {
        switch self {
        case .binary(.multiply, .integer(let sign), let operand) where Expr.isSignable(operand, sign): nil
        case .binary(let op, _, _): op.precedence
        default: nil
        }
    }
}

extension Expr {
    /// Whether this is `op` applied at the top, for `op` AND or OR.
    fileprivate func continuesChain(of op: BinaryOperator) -> Bool {
        guard op == .and || op == .or, case .binary(let inner, _, _) = self else { return false }
        return inner == op
    }
}
