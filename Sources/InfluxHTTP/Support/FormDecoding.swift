/// `application/x-www-form-urlencoded` decoding (query strings and form bodies).
enum FormDecoding {
    /// Pairs in order; `+` is a space, `%XX` a byte; keys without `=` get an empty value.
    /// `;` is not a separator (a semicolon separates InfluxQL statements).
    static func decode(_ bytes: some Collection<UInt8>) -> [(String, String)] {
        var pairs: [(String, String)] = []
        var key: [UInt8] = []
        var value: [UInt8] = []
        var inValue = false
        func flush() {
            if !key.isEmpty || inValue {
                pairs.append((unescape(key), unescape(value)))
            }
            key.removeAll(keepingCapacity: true)
            value.removeAll(keepingCapacity: true)
            inValue = false
        }
        for b in bytes {
            if b == UInt8(ascii: "&") {
                flush()
            } else if b == UInt8(ascii: "=") && !inValue {
                inValue = true
            } else if inValue {
                value.append(b)
            } else {
                key.append(b)
            }
        }
        flush()
        return pairs
    }

    static func unescape(_ raw: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            let b = raw[i]
            if b == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " "))
            } else if b == UInt8(ascii: "%"), i + 2 < raw.count, let h = hex(raw[i + 1]), let l = hex(raw[i + 2]) {
                out.append(h << 4 | l)
                i += 2
            } else {
                out.append(b)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Percent-encodes a component for a query string (unreserved characters kept).
    static func escape(_ text: String) -> String {
        var out = ""
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let digits = Array("0123456789ABCDEF".utf8)
                out += "%"
                out.unicodeScalars.append(Unicode.Scalar(digits[Int(b >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(digits[Int(b & 15)]))
            }
        }
        return out
    }
}

/// Request parameters: URL query first, then form body values override (Go's `FormValue`
/// prefers the body).
struct Parameters: Sendable {
    private var values: [String: String] = [:]

    init(query: String?, form: [UInt8]?) {
        if let query { for (k, v) in FormDecoding.decode(Array(query.utf8)) where values[k] == nil { values[k] = v } }
        if let form {
            var seen = Set<String>()
            for (k, v) in FormDecoding.decode(form) where seen.insert(k).inserted { values[k] = v }
        }
    }

    subscript(_ name: String) -> String? { values[name] }

    /// Non-empty value, else nil.
    func nonEmpty(_ name: String) -> String? {
        guard let v = values[name], !v.isEmpty else { return nil }
        return v
    }

    func flag(_ name: String) -> Bool { values[name] == "true" }
}
