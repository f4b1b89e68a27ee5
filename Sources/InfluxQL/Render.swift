/// Canonical InfluxQL spelling of literals and identifiers (InfluxDB's quoting rules).
enum Render {
    /// An identifier, double-quoted when it is empty, a keyword, or not a bare identifier.
    static func ident(_ s: String) -> String {
        needsQuotes(s) ? "\"" + escape(s, quote: "\"") + "\"" : s
    }

    /// InfluxDB's `QuoteIdent(segments...)`: non-final non-empty segments are always quoted.
    static func ident(segments: [String]) -> String {
        var out = ""
        for (i, seg) in segments.enumerated() {
            let last = i == segments.count - 1
            let quote = needsQuotes(seg, emptyNeedsQuotes: false) || (!last && !seg.isEmpty)
                || ((i == 0 || last) && seg.isEmpty)
            out += quote ? "\"" + escape(seg, quote: "\"") + "\"" : escape(seg, quote: "\"")
            if !last { out += "." }
        }
        return out
    }

    private static func needsQuotes(_ s: String, emptyNeedsQuotes: Bool = true) -> Bool {
        if s.isEmpty { return emptyNeedsQuotes }
        if Token.lookup(s) != .ident { return true }
        for (i, scalar) in s.unicodeScalars.enumerated() {
            if i == 0 ? !CharClass.isIdentFirstChar(scalar.value) : !CharClass.isIdentChar(scalar.value) {
                return true
            }
        }
        return false
    }

    /// Scalar by scalar: a backslash or quote followed by a combining mark is one `Character`
    /// to Swift but still needs its escape (the fuzzer found `\\` before U+06E4).
    private static func escape(_ s: String, quote: Unicode.Scalar) -> String {
        var out = String.UnicodeScalarView()
        for c in s.unicodeScalars {
            switch c {
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
            case quote:
                out.append("\\")
                out.append(quote)
            default: out.append(c)
            }
        }
        return String(out)
    }

    /// A single-quoted string literal.
    static func string(_ s: String) -> String {
        "'" + escape(s, quote: "'") + "'"
    }

    /// A `/regex/` literal.
    static func regex(_ pattern: String) -> String {
        var out = String.UnicodeScalarView()
        out.append("/")
        for c in pattern.unicodeScalars {
            if c == "/" { out.append(contentsOf: "\\/".unicodeScalars) } else { out.append(c) }
        }
        out.append("/")
        return String(out)
    }

    /// A float in plain decimal notation with at least one fractional digit (the scanner has
    /// no exponent syntax), using the shortest digits that read back to the same value.
    static func number(_ v: Double) -> String {
        guard v.isFinite else { return v.description }
        var s = v.description
        var sign = ""
        if s.hasPrefix("-") {
            sign = "-"
            s.removeFirst()
        }
        var exponent = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(s[s.index(after: e)...]) ?? 0
            s = String(s[..<e])
        }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = String(parts[0])
        let fracPart = parts.count > 1 ? String(parts[1]) : ""
        var digits = Array(intPart + fracPart)
        var point = intPart.count + exponent
        if point <= 0 {
            digits = Array(repeating: "0", count: 1 - point) + digits
            point = 1
        }
        if point >= digits.count {
            digits += Array(repeating: "0", count: point - digits.count + 1)
        }
        var whole = String(digits[..<point])
        var fraction = String(digits[point...])
        while whole.count > 1 && whole.first == "0" { whole.removeFirst() }
        while fraction.count > 1 && fraction.last == "0" { fraction.removeLast() }
        return sign + whole + "." + fraction
    }
}
