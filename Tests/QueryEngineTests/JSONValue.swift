/// A minimal JSON reader for comparing answers: keeps key order and number texts.
indirect enum JSONValue: Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)): return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    var description: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n
        case .string(let s): return "\"\(s)\""
        case .array(let a): return "[" + a.map(\.description).joined(separator: ",") + "]"
        case .object(let o): return "{" + o.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
        }
    }

    struct ParseFailure: Error {}

    /// Sorts rows that share a timestamp inside every series' `values`: InfluxDB merges series
    /// through a heap, so the order of equal-time rows from different series is unspecified.
    func normalizingEqualTimeRows() -> JSONValue {
        switch self {
        case .array(let items): return .array(items.map { $0.normalizingEqualTimeRows() })
        case .object(let pairs):
            return .object(pairs.map { key, value in
                guard key == "values", case .array(let rows) = value else { return (key, value.normalizingEqualTimeRows()) }
                var out: [JSONValue] = []
                var run: [JSONValue] = []
                func flush() {
                    out += run.sorted { $0.description < $1.description }
                    run = []
                }
                for row in rows {
                    if case .array(let r) = row, case .array(let last)? = run.last, r.first != last.first { flush() }
                    run.append(row)
                }
                flush()
                return (key, .array(out))
            })
        default: return self
        }
    }

    static func parse(_ text: String) throws -> JSONValue {
        var p = Reader(bytes: Array(text.utf8))
        let v = try p.value()
        p.skipSpace()
        guard p.i == p.bytes.count else { throw ParseFailure() }
        return v
    }

    private struct Reader {
        let bytes: [UInt8]
        var i = 0

        mutating func skipSpace() {
            while i < bytes.count, [9, 10, 13, 32].contains(bytes[i]) { i += 1 }
        }

        mutating func value() throws -> JSONValue {
            skipSpace()
            guard i < bytes.count else { throw ParseFailure() }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                i += 1
                var out: [(String, JSONValue)] = []
                skipSpace()
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(out) }
                while true {
                    guard case .string(let k) = try value() else { throw ParseFailure() }
                    skipSpace()
                    guard bytes[i] == UInt8(ascii: ":") else { throw ParseFailure() }
                    i += 1
                    out.append((k, try value()))
                    skipSpace()
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    guard bytes[i] == UInt8(ascii: "}") else { throw ParseFailure() }
                    i += 1
                    return .object(out)
                }
            case UInt8(ascii: "["):
                i += 1
                var out: [JSONValue] = []
                skipSpace()
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(out) }
                while true {
                    out.append(try value())
                    skipSpace()
                    if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                    guard bytes[i] == UInt8(ascii: "]") else { throw ParseFailure() }
                    i += 1
                    return .array(out)
                }
            case UInt8(ascii: "\""):
                i += 1
                var s: [UInt8] = []
                while bytes[i] != UInt8(ascii: "\"") {
                    if bytes[i] == UInt8(ascii: "\\") {
                        i += 1
                        switch bytes[i] {
                        case UInt8(ascii: "n"): s.append(10)
                        case UInt8(ascii: "t"): s.append(9)
                        case UInt8(ascii: "r"): s.append(13)
                        case UInt8(ascii: "u"):
                            let hex = String(decoding: bytes[(i + 1)...(i + 4)], as: UTF8.self)
                            s.append(contentsOf: Array(String(Character(Unicode.Scalar(UInt32(hex, radix: 16)!)!)).utf8))
                            i += 4
                        default: s.append(bytes[i])
                        }
                    } else {
                        s.append(bytes[i])
                    }
                    i += 1
                }
                i += 1
                return .string(String(decoding: s, as: UTF8.self))
            case UInt8(ascii: "t"): i += 4; return .bool(true)
            case UInt8(ascii: "f"): i += 5; return .bool(false)
            case UInt8(ascii: "n"): i += 4; return .null
            default:
                let start = i
                while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
                guard i > start else { throw ParseFailure() }
                return .number(String(decoding: bytes[start..<i], as: UTF8.self))
            }
        }
    }

    /// Compares with floats equal within `tolerance` relative; returns the first difference's path.
    static func difference(_ a: JSONValue, _ b: JSONValue, path: String = "$", tolerance: Double = 1e-9) -> String? {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            if x == y { return nil }
            guard let dx = Double(x), let dy = Double(y) else { return "\(path): \(x) vs \(y)" }
            let scale = max(abs(dx), abs(dy))
            return abs(dx - dy) <= tolerance * scale ? nil : "\(path): \(x) vs \(y)"
        case (.array(let x), .array(let y)):
            guard x.count == y.count else { return "\(path): \(x.count) elements vs \(y.count)" }
            for (i, (u, v)) in zip(x, y).enumerated() {
                if let d = difference(u, v, path: "\(path)[\(i)]", tolerance: tolerance) { return d }
            }
            return nil
        case (.object(let x), .object(let y)):
            guard x.map(\.0) == y.map(\.0) else { return "\(path): keys \(x.map(\.0)) vs \(y.map(\.0))" }
            for ((k, u), (_, v)) in zip(x, y) {
                if let d = difference(u, v, path: "\(path).\(k)", tolerance: tolerance) { return d }
            }
            return nil
        default:
            return a == b ? nil : "\(path): \(a) vs \(b)"
        }
    }
}
