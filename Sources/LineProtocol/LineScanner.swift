import TimeSeries

/// A cursor over the bytes of one line; each `read…` consumes one syntactic element.
struct LineScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var atEnd: Bool { index >= bytes.count }
    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }
    mutating func advance() { index += 1 }

    static let keyStops = ByteSet([UInt8(ascii: ","), UInt8(ascii: "="), UInt8(ascii: " ")])

    /// Reads up to the first unescaped stop byte; `\<stop>` becomes `<stop>`, other
    /// backslashes stay as written.
    mutating func readName(stops: ByteSet) -> String {
        let start = index
        var escaped = false
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\\") && index + 1 < bytes.count {
                if stops.contains(bytes[index + 1]) { escaped = true }
                index += 2
                continue
            }
            if stops.contains(b) { break }
            index += 1
        }
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
        guard escaped else { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            if raw[i] == UInt8(ascii: "\\") && i + 1 < raw.count {
                // Same pairing as the scan above: `\<stop>` yields the stop, any other pair stays.
                if !stops.contains(raw[i + 1]) { out.append(raw[i]) }
                out.append(raw[i + 1])
                i += 2
            } else {
                out.append(raw[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `tag_key "=" tag_value`, positioned after the comma.
    mutating func readTag() throws(LineProtocolError) -> Tag {
        let key = readName(stops: Self.keyStops)
        guard peek == UInt8(ascii: "=") else { throw .missingTagValue }
        guard !key.isEmpty else { throw .missingTagKey }
        advance()
        let value = readName(stops: Self.keyStops)
        if peek == UInt8(ascii: "=") { throw .invalidTagFormat }
        guard !value.isEmpty else { throw .missingTagValue }
        return Tag(key, value)
    }

    /// `field { "," field }`; a repeated key keeps its last value.
    mutating func readFields() throws(LineProtocolError) -> [Field] {
        var fields: [Field] = []
        while true {
            let key = readName(stops: Self.keyStops)
            guard peek == UInt8(ascii: "=") else { throw .invalidFieldFormat }
            guard !key.isEmpty else { throw .missingFieldKey }
            advance()
            let value = try readFieldValue()
            if let existing = fields.firstIndex(where: { $0.name == key }) {
                fields[existing].value = value
            } else {
                fields.append(Field(key, value))
            }
            guard peek == UInt8(ascii: ",") else { return fields }
            advance()
        }
    }

    mutating func readFieldValue() throws(LineProtocolError) -> FieldValue {
        if peek == UInt8(ascii: "\"") { return try readString() }
        let start = index
        while index < bytes.count && bytes[index] != UInt8(ascii: ",") && bytes[index] != UInt8(ascii: " ") {
            index += 1
        }
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
        guard !raw.isEmpty else { throw .missingFieldValue }
        let first = raw[0]
        if first == UInt8(ascii: "-") || first == UInt8(ascii: ".") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) {
            return try Self.number(raw)
        }
        return try Self.boolean(raw)
    }

    /// A quoted string value; `\"` and `\\` are unescaped.
    mutating func readString() throws(LineProtocolError) -> FieldValue {
        advance()
        var out: [UInt8] = []
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\\") && index + 1 < bytes.count
                && (bytes[index + 1] == UInt8(ascii: "\"") || bytes[index + 1] == UInt8(ascii: "\\")) {
                out.append(bytes[index + 1])
                index += 2
                continue
            }
            if b == UInt8(ascii: "\"") {
                index += 1
                if let next = peek, next != UInt8(ascii: ","), next != UInt8(ascii: " ") {
                    throw .invalidFieldFormat
                }
                return .string(String(decoding: out, as: UTF8.self))
            }
            out.append(b)
            index += 1
        }
        throw .unbalancedQuotes
    }

    static func boolean(_ raw: UnsafeBufferPointer<UInt8>) throws(LineProtocolError) -> FieldValue {
        switch String(decoding: raw, as: UTF8.self) {
        case "t", "T", "true", "True", "TRUE": return .boolean(true)
        case "f", "F", "false", "False", "FALSE": return .boolean(false)
        default: throw .invalidBoolean
        }
    }

    /// The rest of the line as a signed integer in `precision` units.
    mutating func readTimestamp(precision: Precision) throws(LineProtocolError) -> Int64 {
        let raw = UnsafeBufferPointer(rebasing: bytes[index...])
        index = bytes.count
        var i = 0
        var negative = false
        if i < raw.count && raw[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        guard i < raw.count else {
            if negative { throw .timestampSyntax("-") }
            throw .badTimestamp
        }
        for k in i..<raw.count where raw[k] &- UInt8(ascii: "0") >= 10 { throw .badTimestamp }
        var value: Int64 = 0
        while i < raw.count {
            let d = raw[i] &- UInt8(ascii: "0")
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(Int64(d)) : m.addingReportingOverflow(Int64(d))
            guard !o1 && !o2 else { throw .timestampOutOfRange(String(decoding: raw, as: UTF8.self)) }
            value = s
            i += 1
        }
        // InfluxDB keeps the two extreme values for its own sentinels: its range is
        // [-9223372036854775806, 9223372036854775806], both ends included.
        guard let scaled = precision.scale(value), scaled >= Int64.min + 2, scaled <= Int64.max - 1 else {
            throw .timeOutsideRange
        }
        return scaled
    }
}
