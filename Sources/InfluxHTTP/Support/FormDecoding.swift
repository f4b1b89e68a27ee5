/// `application/x-www-form-urlencoded` decoding (query strings and form bodies).
enum FormDecoding {
    /// Pairs in order; `+` is a space, `%XX` a byte; keys without `=` get an empty value.
    /// `;` is not a separator (a semicolon separates InfluxQL statements).
    static func decode(_ bytes: some Collection<UInt8>) -> [(String, String)] {
        if let pairs = bytes.withContiguousStorageIfAvailable({ decode(buffer: $0) }) { return pairs }
        return Array(bytes).withUnsafeBufferPointer { decode(buffer: $0) }
    }

    /// `decode` over contiguous bytes: each pair is found by its `&` and `=` and unescaped
    /// straight into its string (a panel's query string was copied a byte at a time before).
    static func decode(buffer: UnsafeBufferPointer<UInt8>) -> [(String, String)] {
        var pairs: [(String, String)] = []
        let n = buffer.count
        var start = 0
        while start <= n {
            var end = start
            while end < n && buffer[end] != UInt8(ascii: "&") { end += 1 }
            // An empty piece (`&&`, a trailing `&`) is no pair; `=` alone is the empty key.
            if end > start {
                var equals = start
                while equals < end && buffer[equals] != UInt8(ascii: "=") { equals += 1 }
                let key = unescape(UnsafeBufferPointer(rebasing: buffer[start..<equals]))
                let value = equals < end ? unescape(UnsafeBufferPointer(rebasing: buffer[(equals + 1)..<end])) : ""
                pairs.append((key, value))
            }
            start = end + 1
        }
        return pairs
    }

    /// `+` is a space and `%XX` a byte; a `%` without two hex digits after it stays as it is.
    /// Invalid UTF-8 becomes U+FFFD, as `String(decoding:as:)` makes it.
    static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        if raw.isEmpty { return "" }
        return String(unsafeUninitializedCapacity: raw.count) { out in
            var i = 0, o = 0
            while i < raw.count {
                let b = raw[i]
                if b == UInt8(ascii: "+") {
                    out[o] = UInt8(ascii: " ")
                } else if b == UInt8(ascii: "%"), i + 2 < raw.count, let h = hex(raw[i + 1]), let l = hex(raw[i + 2]) {
                    out[o] = h << 4 | l
                    i += 2
                } else {
                    out[o] = b
                }
                o += 1
                i += 1
            }
            return o
        }
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
        if let query { for (k, v) in FormDecoding.decode(query.utf8) where values[k] == nil { values[k] = v } }
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
