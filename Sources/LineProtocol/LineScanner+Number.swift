import TimeSeries

extension LineScanner {
    /// Float (`-1.5e3`), integer (`12i`) or unsigned (`12u`), validated as InfluxDB's scanner
    /// does: optional `-`, digits with at most one `.`, optional exponent, optional suffix.
    static func number(_ raw: UnsafeBufferPointer<UInt8>) throws(LineProtocolError) -> FieldValue {
        var i = 0
        let n = raw.count
        if raw[i] == UInt8(ascii: "-") { i += 1 }
        var digits = 0
        var dot = false
        var exponent = false
        while i < n {
            let b = raw[i]
            if b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") {
                digits += 1
            } else if b == UInt8(ascii: ".") && !dot && !exponent {
                dot = true
            } else if (b == UInt8(ascii: "e") || b == UInt8(ascii: "E")) && !exponent && digits > 0 {
                exponent = true
                if i + 1 < n && (raw[i + 1] == UInt8(ascii: "+") || raw[i + 1] == UInt8(ascii: "-")) { i += 1 }
                guard i + 1 < n, raw[i + 1] >= UInt8(ascii: "0"), raw[i + 1] <= UInt8(ascii: "9") else {
                    throw .invalidFloat
                }
            } else {
                break
            }
            i += 1
        }
        guard digits > 0 else { throw .invalidNumber }
        let text = String(decoding: UnsafeBufferPointer(rebasing: raw[0..<i]), as: UTF8.self)
        if i == n {
            guard let value = Double(text), value.isFinite else { throw .invalidFloat }
            return .float(value)
        }
        guard i == n - 1, !dot, !exponent else { throw .invalidNumber }
        switch raw[i] {
        case UInt8(ascii: "i"):
            guard let value = Int64(text) else { throw .integerOutOfRange(text) }
            return .integer(value)
        case UInt8(ascii: "u"):
            guard raw[0] != UInt8(ascii: "-") else { throw .invalidNumber }
            guard let value = UInt64(text) else { throw .unsignedOutOfRange(text) }
            return .unsigned(value)
        default:
            throw .invalidNumber
        }
    }
}
