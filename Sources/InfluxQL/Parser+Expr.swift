/// An expression with its tree height, used to enforce the nesting cap.
struct ExprNode {
    var expr: Expr
    var height: Int
}

extension Parser {
    /// `expr = unary_expr { binary_op unary_expr } .`
    mutating func parseExpr() throws(ParseError) -> Expr {
        try parseExprNode().expr
    }

    /// `expr = unary_expr { binary_op unary_expr } .` — precedence climbing; operators of equal
    /// precedence associate to the left (the tree InfluxDB builds). The operand of `=~`/`!~`
    /// must be a regex.
    mutating func parseExprNode() throws(ParseError) -> ExprNode {
        var operands = [try parseUnaryExpr()]
        var operators: [(op: BinaryOperator, pos: Position)] = []
        while true {
            let l = scanIgnoringWhitespace()
            guard let op = l.token.binaryOperator else {
                unscan()
                break
            }
            if op == .matchesRegex || op == .notMatchesRegex {
                guard let re = try parseRegex() else {
                    throw ParseError.unexpected(scanIgnoringWhitespace(), expected: ["regex"])
                }
                operands.append(ExprNode(expr: .regex(re), height: 1))
            } else {
                operands.append(try parseUnaryExpr())
            }
            operators.append((op, l.pos))
        }
        return try combine(operands[...], operators[...])
    }

    /// The tree of `operands` joined by `operators` (one fewer). OR binds loosest, then AND:
    /// the terms between ORs (then ANDs) are built first and joined as a chain; what has
    /// neither is built by precedence climbing.
    private func combine(
        _ operands: ArraySlice<ExprNode>, _ operators: ArraySlice<(op: BinaryOperator, pos: Position)>
    ) throws(ParseError) -> ExprNode {
        for logical in [BinaryOperator.or, .and] {
            let cuts = operators.indices.filter { operators[$0].op == logical }
            guard !cuts.isEmpty else { continue }
            var terms: [ExprNode] = []
            var start = operators.startIndex
            for cut in cuts + [operators.endIndex] {
                // operands[i] stands left of operators[i].
                let first = operands.startIndex + (start - operators.startIndex)
                let last = operands.startIndex + (cut - operators.startIndex)
                terms.append(try combine(operands[first...last], operators[start..<cut]))
                start = cut + 1
            }
            return try chain(logical, terms[...], cuts.map { operators[$0].pos }[...])
        }
        var stack = [operands[operands.startIndex]]
        var pending: [(op: BinaryOperator, pos: Position)] = []
        for (offset, op) in operators.enumerated() {
            while let last = pending.last, last.op.precedence >= op.op.precedence {
                try reduce(&stack, &pending)
            }
            pending.append(op)
            stack.append(operands[operands.startIndex + offset + 1])
        }
        while !pending.isEmpty { try reduce(&stack, &pending) }
        return stack[0]
    }

    /// A chain of one associative operator (AND, OR): left-deep as InfluxDB builds it, unless
    /// that tree would be deeper than `maxDepth` — a condition listing hundreds of tag values
    /// (`host = 'a' OR host = 'b' OR …`) — then halved recursively, which evaluates alike and
    /// reads back as the same text.
    private func chain(
        _ op: BinaryOperator, _ terms: ArraySlice<ExprNode>, _ positions: ArraySlice<Position>
    ) throws(ParseError) -> ExprNode {
        var leftDeep = terms[terms.startIndex].height
        for term in terms.dropFirst() { leftDeep = max(leftDeep, term.height) + 1 }
        if leftDeep > maxDepth && terms.count > 2 {
            // positions[k] stands between terms[k] and terms[k + 1], counted from each start.
            let half = terms.count / 2, middle = terms.startIndex + half, at = positions.startIndex + half - 1
            return try join(op, chain(op, terms[..<middle], positions[..<at]), chain(op, terms[middle...], positions[(at + 1)...]), at: positions[at])
        }
        var node = terms[terms.startIndex]
        for (term, pos) in zip(terms.dropFirst(), positions) { node = try join(op, node, term, at: pos) }
        return node
    }

    /// `lhs op rhs`, refused past `maxDepth` (the operator's position named).
    private func join(_ op: BinaryOperator, _ lhs: ExprNode, _ rhs: ExprNode, at pos: Position) throws(ParseError) -> ExprNode {
        let height = max(lhs.height, rhs.height) + 1
        if height > maxDepth { throw ParseError.tooDeep(maxDepth, pos) }
        return ExprNode(expr: .binary(op, lhs.expr, rhs.expr), height: height)
    }

    private func reduce(
        _ operands: inout [ExprNode], _ operators: inout [(op: BinaryOperator, pos: Position)]
    ) throws(ParseError) {
        let rhs = operands.removeLast()
        let lhs = operands.removeLast()
        let (op, pos) = operators.removeLast()
        operands.append(try join(op, lhs, rhs, at: pos))
    }

    /// `unary_expr = "(" expr ")" | ident "(" [ call_args ] ")" | var_ref | "DISTINCT" ident
    ///   | "DISTINCT" "(" call_args ")" | string | number | int | duration | "true" | "false"
    ///   | "*" [ "::" ( "field" | "tag" ) ] | ( "+" | "-" ) unary_expr .`
    mutating func parseUnaryExpr() throws(ParseError) -> ExprNode {
        let l = scanIgnoringWhitespace()
        func leaf(_ e: Expr) -> ExprNode { ExprNode(expr: e, height: 1) }
        switch l.token {
        case .lparen:
            try enter(at: l.pos)
            let inner = try parseExprNode()
            depth -= 1
            let close = scanIgnoringWhitespace()
            guard close.token == .rparen else { throw ParseError.unexpected(close, expected: [")"]) }
            return try wrap(.paren(inner.expr), inner.height, at: l.pos)
        case .ident:
            if scan().token == .lparen { return try parseCall(l) }
            unscan()
            unscan()
            return leaf(try parseVarRef())
        case .keyword(.distinct):
            let l0 = scan()
            if l0.token == .lparen { return try parseCall(Lexeme(token: .ident, pos: l.pos, lit: "distinct")) }
            if l0.token == .ws {
                let l1 = scanIgnoringWhitespace()
                guard l1.token == .ident else { throw ParseError.unexpected(l1, expected: ["identifier"]) }
                return leaf(.distinct(l1.lit))
            }
            throw ParseError.unexpected(l0, expected: ["(", "identifier"])
        case .string: return leaf(.string(l.lit))
        case .number:
            guard let v = Double(l.lit), v.isFinite else { throw ParseError.at("unable to parse number", l.pos) }
            return leaf(.number(v))
        case .integer:
            if let v = Int64(l.lit) { return leaf(.integer(v)) }
            if let v = UInt64(l.lit) { return leaf(.unsigned(v)) }
            throw ParseError.at("unable to parse integer", l.pos)
        case .true: return leaf(.boolean(true))
        case .false: return leaf(.boolean(false))
        case .durationVal: return leaf(.duration(try InfluxDuration.parse(l.lit)))
        case .mul:
            guard scan().token == .doubleColon else {
                unscan()
                return leaf(.wildcard(nil))
            }
            let t = scan()
            switch t.token {
            case .keyword(.field): return leaf(.wildcard(.field))
            case .keyword(.tag): return leaf(.wildcard(.tag))
            default: throw ParseError.unexpected(t, expected: ["field", "tag"])
            }
        case .boundParam:
            let name = String(l.lit.dropFirst())
            if name.isEmpty { throw ParseError.bare("empty bound parameter") }
            if case .invalid(let reason)? = params[name] { throw ParseError.bare("missing parameter: \(reason)") }
            throw ParseError.bare("missing parameter: \(name)")
        case .add, .sub:
            return try parseSigned(negative: l.token == .sub, at: l.pos)
        default:
            throw ParseError.unexpected(l, expected: ["identifier", "string", "number", "bool"])
        }
    }

    /// `( "+" | "-" ) unary_expr` — folds the sign into a literal, otherwise multiplies by ±1.
    private mutating func parseSigned(negative: Bool, at pos: Position) throws(ParseError) -> ExprNode {
        let l0 = scanIgnoringWhitespace()
        switch l0.token {
        case .number, .integer, .durationVal, .lparen, .ident: break
        default: throw ParseError.unexpected(l0, expected: ["identifier", "number", "duration", "("])
        }
        unscan()
        let operand = try parseUnaryExpr()
        let sign: Int64 = negative ? -1 : 1
        func leaf(_ e: Expr) -> ExprNode { ExprNode(expr: e, height: 1) }
        switch operand.expr {
        case .number(let v): return leaf(.number(negative ? -v : v))
        case .integer(let v): return leaf(.integer(v &* sign))
        case .unsigned(let v):
            guard negative else { return operand }
            if v == 9_223_372_036_854_775_808 { return leaf(.integer(Int64.min)) }
            throw ParseError.bare("constant -\(v) underflows int64")
        case .duration(let v): return leaf(.duration(v &* sign))
        default:
            return try wrap(.binary(.multiply, .integer(sign), operand.expr), operand.height, at: pos)
        }
    }

    /// A new node one level above a child of the given height, within the nesting cap.
    private func wrap(_ e: Expr, _ childHeight: Int, at pos: Position) throws(ParseError) -> ExprNode {
        if childHeight + 1 > maxDepth { throw ParseError.tooDeep(maxDepth, pos) }
        return ExprNode(expr: e, height: childHeight + 1)
    }

    /// `var_ref = segmented_ident [ "::" ( "float" | "integer" | "unsigned" | "string" | "boolean"
    ///   | "field" | "tag" ) ] .`
    mutating func parseVarRef() throws(ParseError) -> Expr {
        let segments = try parseSegmentedIdents()
        var type: DataType?
        if scan().token == .doubleColon {
            let t = scan()
            let expected = ["float", "integer", "unsigned", "string", "boolean", "field", "tag"]
            switch t.token {
            case .ident:
                switch t.lit.lowercased() {
                case "float": type = .float
                case "integer": type = .integer
                case "unsigned": type = .unsigned
                case "string": type = .string
                case "boolean": type = .boolean
                default: throw ParseError.unexpected(t, expected: expected)
                }
            case .keyword(.field): type = .field
            case .keyword(.tag): type = .tag
            default:
                // InfluxDB 1.6 omits "unsigned" from this list when the cast is not an identifier.
                throw ParseError.unexpected(t, expected: expected.filter { $0 != "unsigned" })
            }
        } else {
            unscan()
        }
        return .varRef(segments.joined(separator: "."), type: type)
    }

    /// `ident "(" [ call_args ] ")"`, `call_args = ( regex | expr ) { "," ( regex | expr ) } .`
    /// (the name and `(` have been consumed; the name is lower-cased)
    mutating func parseCall(_ name: Lexeme) throws(ParseError) -> ExprNode {
        try enter(at: name.pos)
        var args: [Expr] = []
        var height = 1
        if let re = try parseRegex() {
            args.append(.regex(re))
        } else {
            if scan().token == .rparen {
                depth -= 1
                return ExprNode(expr: .call(name.lit.lowercased(), []), height: 1)
            }
            unscan()
            let arg = try parseExprNode()
            args.append(arg.expr)
            height = max(height, arg.height)
        }
        while true {
            if scanIgnoringWhitespace().token != .comma {
                unscan()
                break
            }
            if let re = try parseRegex() {
                args.append(.regex(re))
                continue
            }
            let arg = try parseExprNode()
            args.append(arg.expr)
            height = max(height, arg.height)
        }
        let close = scan()
        guard close.token == .rparen else { throw ParseError.unexpected(close, expected: [")"]) }
        depth -= 1
        return try wrap(.call(name.lit.lowercased(), args), height, at: name.pos)
    }

    /// `regex` at the next non-blank character, or nil (nothing consumed but blanks) if there is none.
    mutating func parseRegex() throws(ParseError) -> String? {
        if CharClass.isWhitespace(peekRune()) { consumeWhitespace() }
        guard peekRune() == 47 else { return nil }
        let l = scanRegex()
        switch l.token {
        case .regex: break
        case .badEscape: throw ParseError.at("bad escape: \(l.lit)", l.pos)
        case .badRegex: throw ParseError.at("bad regex: \(l.lit)", l.pos)
        default: throw ParseError.unexpected(l, expected: ["regex"])
        }
        if let message = RegexSyntax.check(l.lit) { throw ParseError.at(message, l.pos) }
        return l.lit
    }
}
