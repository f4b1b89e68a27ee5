import InfluxQL

extension ContinuousQuerySchedule {
    /// The SELECT a CQ runs for `window`, as InfluxDB's `SetTimeRange` builds it: every
    /// comparison whose left side is `time` and every function call in the WHERE condition
    /// become `true`, the result is rendered, `AND time >= '<start>' AND time < '<end>'` (RFC 3339,
    /// UTC) is appended to the text, and the text is parsed again and folded.
    ///
    /// Because InfluxDB joins texts, an unparenthesised OR keeps its precedence:
    /// `WHERE host = 'a' OR host = 'b'` runs as `host = 'a' OR (host = 'b' AND time >= … AND
    /// time < …)`, so `host = 'a'` is read over all time at each run (InfluxDB 1.6.7 does so).
    /// Folding is InfluxDB's `Reduce` for what the rewrite produces: `true`/`false` operands of
    /// AND/OR, and parentheses around anything but a binary expression.
    public static func statement(_ select: SelectStatement, window: Window) -> SelectStatement {
        let range = "time >= '" + TimeFormat.rfc3339Nano(window.start) + "' AND time < '"
            + TimeFormat.rfc3339Nano(window.end) + "'"
        var out = select
        let text = select.condition.map { withoutTime($0).description + " AND " + range } ?? range
        if let parsed = try? InfluxQLParser.parseExpr(text) {
            out.condition = reduce(parsed)
        } else {
            // Unreachable for a parsed condition; keep the window in any case.
            let bounds = try? InfluxQLParser.parseExpr(range)
            out.condition = select.condition.map { c in bounds.map { .binary(.and, .paren(c), $0) } ?? c } ?? bounds
        }
        return out
    }

    /// InfluxDB's `rewriteWithoutTimeDimensions` (children first, then the node).
    static func withoutTime(_ e: Expr) -> Expr {
        switch e {
        case .call: return .boolean(true)
        case .paren(let inner): return .paren(withoutTime(inner))
        case .binary(let op, let l, let r):
            let l2 = withoutTime(l)
            if l2 == .varRef("time", type: nil) { return .boolean(true) }
            return .binary(op, l2, withoutTime(r))
        default: return e
        }
    }

    /// The part of InfluxDB's `Reduce` (no valuer) that applies to rewritten conditions.
    static func reduce(_ e: Expr) -> Expr {
        switch e {
        case .paren(let inner):
            let r = reduce(inner)
            if case .binary = r { return .paren(r) }
            return r
        case .binary(let op, let l, let r):
            let l = reduce(l)
            let r = reduce(r)
            if op == .and {
                if l == .boolean(false) || r == .boolean(false) { return .boolean(false) }
                if l == .boolean(true) { return r }
                if r == .boolean(true) { return l }
            } else if op == .or {
                if l == .boolean(true) || r == .boolean(true) { return .boolean(true) }
                if l == .boolean(false) { return r }
                if r == .boolean(false) { return l }
            }
            return .binary(op, l, r)
        default: return e
        }
    }
}
