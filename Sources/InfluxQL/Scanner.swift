/// InfluxQL's lexical scanner: turns characters into `Lexeme`s exactly as InfluxDB 1.x does.
///
/// Regex literals are context dependent (`/` is also division), so the parser asks for them
/// explicitly with `scanRegex()`.
struct Scanner: Sendable {
    var reader: SourceReader

    init(_ text: String) {
        reader = SourceReader(text)
    }

    /// Scans the next token (whitespace and comments included).
    mutating func scan() -> Lexeme {
        let (ch0, pos) = reader.read()
        if CharClass.isWhitespace(ch0) {
            return scanWhitespace()
        } else if CharClass.isIdentFirstChar(ch0) {
            reader.unread()
            return scanIdent(lookup: true)
        } else if CharClass.isDigit(ch0) {
            return scanNumber()
        }
        func tok(_ t: Token) -> Lexeme { Lexeme(token: t, pos: pos, lit: "") }
        switch ch0 {
        case SourceReader.eof: return tok(.eof)
        case 34: // "
            reader.unread()
            return scanIdent(lookup: true)
        case 39: // '
            return scanString()
        case 46: // .
            let ch1 = reader.read().ch
            reader.unread()
            if CharClass.isDigit(ch1) { return scanNumber() }
            return tok(.dot)
        case 36: // $
            let l = scanIdent(lookup: false)
            if l.token != .ident { return Lexeme(token: l.token, pos: pos, lit: "$" + l.lit) }
            return Lexeme(token: .boundParam, pos: pos, lit: "$" + l.lit)
        case 43: return tok(.add)
        case 45: // -
            if reader.read().ch == 45 {
                skipUntilNewline()
                return tok(.comment)
            }
            reader.unread()
            return tok(.sub)
        case 42: return tok(.mul)
        case 47: // /
            if reader.read().ch == 42 {
                return skipUntilEndComment() ? tok(.comment) : tok(.illegal)
            }
            reader.unread()
            return tok(.div)
        case 37: return tok(.mod)
        case 38: return tok(.bitwiseAnd)
        case 124: return tok(.bitwiseOr)
        case 94: return tok(.bitwiseXor)
        case 61: // =
            if reader.read().ch == 126 { return tok(.eqRegex) }
            reader.unread()
            return tok(.eq)
        case 33: // !
            let ch1 = reader.read().ch
            if ch1 == 61 { return tok(.neq) }
            if ch1 == 126 { return tok(.neqRegex) }
            reader.unread()
        case 62: // >
            if reader.read().ch == 61 { return tok(.gte) }
            reader.unread()
            return tok(.gt)
        case 60: // <
            let ch1 = reader.read().ch
            if ch1 == 61 { return tok(.lte) }
            if ch1 == 62 { return tok(.neq) }
            reader.unread()
            return tok(.lt)
        case 40: return tok(.lparen)
        case 41: return tok(.rparen)
        case 44: return tok(.comma)
        case 59: return tok(.semicolon)
        case 58: // :
            if reader.read().ch == 58 { return tok(.doubleColon) }
            reader.unread()
            return tok(.colon)
        default: break
        }
        var lit = LiteralBuffer()
        lit.append(ch0)
        return Lexeme(token: .illegal, pos: pos, lit: lit.string)
    }

    /// Consumes a run of whitespace starting at the current character.
    mutating func scanWhitespace() -> Lexeme {
        let (first, pos) = reader.current()
        var lit = LiteralBuffer()
        lit.append(first)
        while true {
            let ch = reader.read().ch
            if ch == SourceReader.eof { break }
            if !CharClass.isWhitespace(ch) {
                reader.unread()
                break
            }
            lit.append(ch)
        }
        return Lexeme(token: .ws, pos: pos, lit: lit.string)
    }

    private mutating func skipUntilNewline() {
        while true {
            let ch = reader.read().ch
            if ch == 10 || ch == SourceReader.eof { return }
        }
    }

    /// Skips to the end of a `/* */` comment; false when the input ends first.
    private mutating func skipUntilEndComment() -> Bool {
        while true {
            let ch1 = reader.read().ch
            if ch1 == 42 {
                while true {
                    let ch2 = reader.read().ch
                    if ch2 == 47 { return true }
                    if ch2 == SourceReader.eof { return false }
                    if ch2 != 42 { break }
                }
            } else if ch1 == SourceReader.eof {
                return false
            }
        }
    }

    /// Scans a bare or double-quoted identifier (or keyword when `lookup`).
    mutating func scanIdent(lookup: Bool) -> Lexeme {
        let pos = reader.read().pos
        reader.unread()
        var lit = LiteralBuffer()
        while true {
            let ch = reader.read().ch
            if ch == SourceReader.eof { break }
            if ch == 34 {
                let s = scanString()
                if s.token == .badString || s.token == .badEscape { return s }
                return Lexeme(token: .ident, pos: pos, lit: s.lit)
            } else if CharClass.isIdentChar(ch) {
                reader.unread()
                scanBareIdent(into: &lit)
            } else {
                reader.unread()
                break
            }
        }
        let text = lit.string
        if lookup {
            let t = Token.lookup(text)
            if t != .ident { return Lexeme(token: t, pos: pos, lit: "") }
        }
        return Lexeme(token: .ident, pos: pos, lit: text)
    }

    private mutating func scanBareIdent(into out: inout LiteralBuffer) {
        while true {
            let (ch, atEOF) = reader.readRune()
            if atEOF { break }
            if !CharClass.isIdentChar(ch) {
                reader.unread()
                break
            }
            out.append(ch)
        }
    }
}
