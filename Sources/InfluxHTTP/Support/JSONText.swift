/// The few JSON bodies the shell writes itself (errors, ping, health).
public enum JSONText {
    /// `{"error":"<message>"}`
    public static func error(_ message: String) -> [UInt8] {
        Array("{\"error\":\(quoted(message))}\n".utf8)
    }

    /// A JSON string literal with the escapes Go's encoder uses.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// InfluxDB's CSV error shape: `error\n"<message>"\n`.
    static func csvError(_ message: String) -> [UInt8] {
        Array("error\n\"\(message.replacingAll("\"", with: "\"\""))\"\n".utf8)
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for ch in self {
            if ch == target { out += replacement } else { out.append(ch) }
        }
        return out
    }
}
