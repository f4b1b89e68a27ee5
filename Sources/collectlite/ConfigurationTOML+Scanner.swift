extension ConfigurationTOML {
    /// A cursor over one line (or, for arrays, several) of the file.
    struct Scanner {
        private var chars: [Character]
        private var index = 0
        /// Array items read so far, while an array spans lines.
        private var openArray: [String]?

        init(_ line: String) { chars = Array(line) }

        var peek: Character? { index < chars.count ? chars[index] : nil }
        var atEndOrComment: Bool { peek == nil || peek == "#" }

        mutating func advance() { index += 1 }

        mutating func skipSpaces() {
            while let c = peek, c == " " || c == "\t" { index += 1 }
        }

        mutating func continueWith(_ line: String) {
            chars = Array(line.hasSuffix("\r") ? String(line.dropLast()) : line)
            index = 0
        }

        /// Text up to (not including) `stop`, leaving the cursor on it; nil when absent.
        mutating func readUntil(_ stop: Character) -> String? {
            guard let end = chars[index...].firstIndex(of: stop) else { return nil }
            defer { index = end }
            return String(chars[index..<end])
        }

        /// One value; `.some(nil)` never happens: nil means an array continues on the next line.
        mutating func readValue(_ fail: (String) -> ConfigurationError) throws -> Value? {
            if openArray != nil { return try readArrayItems(fail) }
            guard let c = peek else { throw fail("missing value") }
            switch c {
            case "\"", "'":
                return .string(try readString(fail))
            case "[":
                advance()
                openArray = []
                return try readArrayItems(fail)
            default:
                var word = ""
                while let c = peek, c != " ", c != "\t", c != "#", c != "," , c != "]" {
                    word.append(c)
                    advance()
                }
                if word == "true" { return .boolean(true) }
                if word == "false" { return .boolean(false) }
                if let n = Int64(word.replacingUnderscores) { return .integer(n) }
                throw fail("unsupported value \"\(word)\" (strings need quotes)")
            }
        }

        private mutating func readArrayItems(_ fail: (String) -> ConfigurationError) throws -> Value? {
            while true {
                skipSpaces()
                guard let c = peek, c != "#" else { return nil }
                if c == "]" {
                    advance()
                    defer { openArray = nil }
                    return .strings(openArray ?? [])
                }
                if c == "," {
                    guard !(openArray ?? []).isEmpty else { throw fail("unexpected , in array") }
                    advance()
                    continue
                }
                guard c == "\"" || c == "'" else { throw fail("arrays hold strings only") }
                let item = try readString(fail)
                openArray?.append(item)
                skipSpaces()
                guard let after = peek, after == "," || after == "]" || after == "#" else {
                    if peek == nil { continue }
                    throw fail("expected , or ] in array")
                }
            }
        }

        private mutating func readString(_ fail: (String) -> ConfigurationError) throws -> String {
            let quote = peek!
            advance()
            var out = ""
            while let c = peek {
                advance()
                if c == quote { return out }
                if c == "\\" && quote == "\"" {
                    guard let e = peek else { break }
                    advance()
                    switch e {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case "r": out.append("\r")
                    case "\\": out.append("\\")
                    case "\"": out.append("\"")
                    case "u", "U":
                        let width = e == "u" ? 4 : 8
                        guard index + width <= chars.count,
                              let code = UInt32(String(chars[index..<index + width]), radix: 16),
                              let scalar = Unicode.Scalar(code)
                        else { throw fail("bad unicode escape") }
                        out.unicodeScalars.append(scalar)
                        index += width
                    default: throw fail("unknown escape \\\(e)")
                    }
                } else {
                    out.append(c)
                }
            }
            throw fail("unterminated string")
        }
    }
}

extension String {
    fileprivate var replacingUnderscores: String { String(filter { $0 != "_" }) }
}
