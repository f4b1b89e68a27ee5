extension Scanner {
    /// Scans a quoted string whose opening quote was just read (InfluxDB's `scanString`).
    /// Escapes: `\n`, `\\`, `\'`, `\"`; anything else is `.badEscape`, a newline or the end
    /// of input `.badString`.
    mutating func scanString() -> Lexeme {
        reader.unread()
        let pos = reader.current().pos
        let ending = reader.readRune()
        var buf = LiteralBuffer()
        if ending.atEOF { return Lexeme(token: .badString, pos: pos, lit: "") }
        while true {
            let (ch0, atEOF) = reader.readRune()
            if ch0 == ending.ch && !atEOF {
                return Lexeme(token: .string, pos: pos, lit: buf.string)
            } else if atEOF || ch0 == 10 {
                return Lexeme(token: .badString, pos: pos, lit: buf.string)
            } else if ch0 == 92 {
                let ch1 = reader.readRune().ch
                switch ch1 {
                case 110: buf.append(10)
                case 92: buf.append(92)
                case 34: buf.append(34)
                case 39: buf.append(39)
                default:
                    var lit = LiteralBuffer()
                    lit.append(92)
                    lit.append(ch1)
                    return Lexeme(token: .badEscape, pos: reader.current().pos, lit: lit.string)
                }
            } else {
                buf.append(ch0)
            }
        }
    }

    /// Scans a number, integer or duration literal whose first character was just read.
    mutating func scanNumber() -> Lexeme {
        var buf = LiteralBuffer()
        let (first, pos) = reader.current()
        if first == 46 {
            let ch1 = reader.read().ch
            reader.unread()
            if !CharClass.isDigit(ch1) { return Lexeme(token: .illegal, pos: pos, lit: ".") }
            reader.unread()
        } else {
            reader.unread()
        }
        scanDigits(into: &buf)
        var isDecimal = false
        if reader.read().ch == 46 {
            isDecimal = true
            let ch1 = reader.read().ch
            if CharClass.isDigit(ch1) {
                buf.append(46)
                buf.append(ch1)
                scanDigits(into: &buf)
            } else {
                reader.unread()
            }
        } else {
            reader.unread()
        }
        if isDecimal { return Lexeme(token: .number, pos: pos, lit: buf.string) }
        let ch0 = reader.read().ch
        guard CharClass.isLetter(ch0) || ch0 == CharClass.micro else {
            reader.unread()
            return Lexeme(token: .integer, pos: pos, lit: buf.string)
        }
        buf.append(ch0)
        while true {
            let ch1 = reader.read().ch
            if !CharClass.isLetter(ch1) && ch1 != CharClass.micro {
                reader.unread()
                break
            }
            buf.append(ch1)
        }
        while true {
            let ch = reader.read().ch
            if CharClass.isLetter(ch) || ch == CharClass.micro || CharClass.isDigit(ch) {
                buf.append(ch)
            } else {
                reader.unread()
                break
            }
        }
        return Lexeme(token: .durationVal, pos: pos, lit: buf.string)
    }

    private mutating func scanDigits(into out: inout LiteralBuffer) {
        while true {
            let ch = reader.read().ch
            if !CharClass.isDigit(ch) {
                reader.unread()
                break
            }
            out.append(ch)
        }
    }

    /// Scans a `/regex/` starting at the next character (InfluxDB's `ScanRegex`): `\/` is
    /// unescaped, other escapes pass through; a newline or the end of input gives `.badRegex`.
    mutating func scanRegex() -> Lexeme {
        let pos = reader.current().pos
        let start = reader.readRune()
        guard start.ch == 47, !start.atEOF else { return Lexeme(token: .badRegex, pos: pos, lit: "") }
        var buf = LiteralBuffer()
        while true {
            let (ch0, atEOF) = reader.readRune()
            if ch0 == 47 && !atEOF {
                return Lexeme(token: .regex, pos: pos, lit: buf.string)
            } else if atEOF || ch0 == 10 {
                return Lexeme(token: .badRegex, pos: pos, lit: "")
            } else if ch0 == 92 {
                let (ch1, eof1) = reader.readRune()
                if eof1 { return Lexeme(token: .badRegex, pos: pos, lit: "") }
                if ch1 == 47 {
                    buf.append(47)
                } else {
                    reader.unread()
                    buf.append(92)
                }
            } else {
                buf.append(ch0)
            }
        }
    }
}
