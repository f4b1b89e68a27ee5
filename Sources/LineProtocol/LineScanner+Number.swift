import TimeSeries

extension LineScanner {
    /// InfluxDB's check of a number field value starting at `start`: optional `-`, digits with at
    /// most one `.`, an exponent anywhere after the first byte, one `i` (integer) suffix.
    /// Unsigned values (`u`) are refused, as InfluxDB 1.6 refuses them by default. Returns where
    /// the value ends (a `,`, a space or the line's end).
    func scanNumber(_ start: Int) throws(LineProtocolError) -> Int {
        let n = bytes.count
        var i = start
        if bytes[i] == UInt8(ascii: "-") {
            i += 1
            guard i < n else { throw .invalidNumber }
        }
        var isInt = false, isUnsigned = false, decimal = false, scientific = false
        while i < n {
            let b = bytes[i]
            if b == Self.comma || b == Self.space { break }
            if (b == UInt8(ascii: "i") || b == UInt8(ascii: "u")) && i > start && !isInt && !isUnsigned {
                if b == UInt8(ascii: "i") { isInt = true } else { isUnsigned = true }
                i += 1
                continue
            }
            if b == UInt8(ascii: ".") {
                if decimal { throw .invalidNumber }
                decimal = true
            }
            if i > start && (b == UInt8(ascii: "e") || b == UInt8(ascii: "E")) {
                scientific = true
                i += 1
                continue
            }
            if (b == UInt8(ascii: "+") || b == UInt8(ascii: "-")) && (bytes[i - 1] == UInt8(ascii: "e") || bytes[i - 1] == UInt8(ascii: "E")) {
                i += 1
                continue
            }
            guard Self.isNumeric(b) else { throw .invalidNumber }
            i += 1
        }
        if (isInt || isUnsigned) && (decimal || scientific) { throw .invalidNumber }
        var digits = i - start
        if isInt { digits -= 1 }
        if decimal { digits -= 1 }
        if bytes[start] == UInt8(ascii: "-") { digits -= 1 }
        guard digits > 0 else { throw .invalidNumber }
        if isInt {
            guard bytes[i - 1] == UInt8(ascii: "i") else { throw .invalidNumber }
            // Fewer than 19 bytes cannot overflow (InfluxDB parses only the longer ones here).
            if i - 1 - start >= 19 && Self.integer(UnsafeBufferPointer(rebasing: bytes[start..<(i - 1)])) == nil {
                throw .integerOutOfRange(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(i - 1)]), as: UTF8.self))
            }
        } else if isUnsigned {
            throw .invalidNumber
        } else if scientific || i - start >= 25 {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            guard let value = Double(text), value.isFinite else { throw .invalidFloat }
        }
        return i
    }

    /// InfluxDB's check of a boolean field value: `t`, `T`, `f`, `F`, `true`, `True`, `TRUE`,
    /// `false`, `False`, `FALSE`. Returns where the value ends.
    func scanBoolean(_ start: Int) throws(LineProtocolError) -> Int {
        let n = bytes.count
        let first = bytes[start]
        guard first == UInt8(ascii: "t") || first == UInt8(ascii: "f") || first == UInt8(ascii: "T") || first == UInt8(ascii: "F") else {
            throw .invalidBoolean
        }
        var i = start + 1
        while i < n && bytes[i] != Self.comma && bytes[i] != Self.space { i += 1 }
        guard Self.boolean(UnsafeBufferPointer(rebasing: bytes[start..<i])) != nil else { throw .invalidBoolean }
        return i
    }

    /// The spellings InfluxDB's scan accepts: `t`, `T`, `f`, `F`, `true`, `True`, `TRUE`,
    /// `false`, `False`, `FALSE`; nil for anything else. Compared as bytes, with no String.
    static func boolean(_ raw: UnsafeBufferPointer<UInt8>) -> Bool? {
        switch raw.count {
        case 1:
            switch raw[0] {
            case UInt8(ascii: "t"), UInt8(ascii: "T"): return true
            case UInt8(ascii: "f"), UInt8(ascii: "F"): return false
            default: return nil
            }
        case 4:
            return ["true", "True", "TRUE"].contains { raw.elementsEqual($0.utf8) } ? true : nil
        case 5:
            return ["false", "False", "FALSE"].contains { raw.elementsEqual($0.utf8) } ? false : nil
        default:
            return nil
        }
    }

    /// A field's value as InfluxDB types it once scanned: `"…"` a string (its first and last byte
    /// taken off, `\"` and `\\` unescaped); a value starting with a digit, `-`, `.`, `n`, `N`, `i`,
    /// `I` or `u` an integer when it ends in `i`, else a float; anything else a boolean.
    func value(_ range: Range<Int>) throws(LineProtocolError) -> FieldValue? {
        guard let first = range.first.map({ bytes[$0] }) else { return nil }
        let raw = UnsafeBufferPointer(rebasing: bytes[range])
        if first == Self.quote {
            guard raw.count >= 2 else { return .string("") }
            return .string(Self.unescape(UnsafeBufferPointer(rebasing: raw[1..<(raw.count - 1)]), Self.stringEscapes))
        }
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "n"), UInt8(ascii: "N"),
             UInt8(ascii: "i"), UInt8(ascii: "I"), UInt8(ascii: "u"):
            let body = UnsafeBufferPointer(rebasing: raw[0..<(raw.count - 1)])
            switch raw[raw.count - 1] {
            case UInt8(ascii: "i"):
                guard let v = Self.integer(body) else {
                    throw .unparsableValue("integer", String(decoding: body, as: UTF8.self), "ParseInt")
                }
                return .integer(v)
            case UInt8(ascii: "u"):
                let digits = String(decoding: body, as: UTF8.self)
                guard let v = UInt64(digits) else { throw .unparsableValue("unsigned", digits, "ParseUint") }
                return .unsigned(v)
            default:
                let text = String(decoding: raw, as: UTF8.self)
                guard let v = Double(text), v.isFinite else { throw .unparsableValue("floating point", text, "ParseFloat") }
                return .float(v)
            }
        default:
            break
        }
        // (Go's ParseBool also reads `1` and `0`, but those went the numeric way above.)
        guard let b = Self.boolean(raw) else { throw .unparsableValue("bool", String(decoding: raw, as: UTF8.self), "ParseBool") }
        return .boolean(b)
    }

    /// Decimal digits with an optional `-` as an Int64; nil when empty, not digits, or out of range.
    static func integer(_ raw: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        let negative = raw.first == UInt8(ascii: "-")
        if negative { i = 1 }
        guard i < raw.count else { return nil }
        var value: Int64 = 0
        while i < raw.count {
            let d = raw[i] &- UInt8(ascii: "0")
            guard d < 10 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (v, o2) = negative ? m.subtractingReportingOverflow(Int64(d)) : m.addingReportingOverflow(Int64(d))
            guard !o1 && !o2 else { return nil }
            value = v
            i += 1
        }
        return value
    }

    /// What InfluxDB unescapes: in a string field value `\"` and `\\`; in measurements and field
    /// keys `\,` `\=` `\ ` `\"`; in tag keys and values `\,` `\=` `\ `.
    static let stringEscapes = ByteSet([quote, backslash])
    static let keyEscapes = ByteSet([comma, equals, space, quote])
    static let tagEscapes = ByteSet([comma, equals, space])

    /// `raw` with InfluxDB's escapes undone: `\` before one of `escapes` is dropped.
    static func unescape(_ raw: UnsafeBufferPointer<UInt8>, _ escapes: ByteSet) -> String {
        guard raw.contains(backslash) else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            if raw[i] == backslash && i + 1 < raw.count && escapes.contains(raw[i + 1]) {
                out.append(raw[i + 1])
                i += 2
            } else {
                out.append(raw[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
