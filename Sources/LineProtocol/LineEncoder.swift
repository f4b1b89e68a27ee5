import TimeSeries

/// Writes points as line protocol (nanosecond timestamps), escaping as `LineParser` reads:
/// every byte InfluxDB unescapes in that part (a backslash before it in the value then stays).
public enum LineEncoder {
    public static func encode(_ point: Point) -> String {
        var out = escape(point.key.measurement, [",", " ", "=", "\""])
        for tag in point.key.tags {
            out += "," + escape(tag.key, [",", "=", " "]) + "=" + escape(tag.value, [",", "=", " "])
        }
        out += " "
        for (i, field) in point.fields.enumerated() {
            if i > 0 { out += "," }
            out += escape(field.name, [",", "=", " ", "\""]) + "=" + value(field.value)
        }
        return out + " " + String(point.time)
    }

    /// Many points, one per line.
    public static func encode(_ points: [Point]) -> String {
        points.map { encode($0) + "\n" }.joined()
    }

    static func value(_ v: FieldValue) -> String {
        switch v {
        case .float(let d): "\(d)"
        case .integer(let i): "\(i)i"
        case .unsigned(let u): "\(u)u"
        case .boolean(let b): b ? "true" : "false"
        case .string(let s): "\"" + escape(s, ["\"", "\\"]) + "\""
        }
    }

    /// Works on scalars, not Characters: a combining mark after a space forms one Character
    /// that must still get its space escaped.
    static func escape(_ text: String, _ special: Set<Unicode.Scalar>) -> String {
        guard text.unicodeScalars.contains(where: { special.contains($0) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if special.contains(scalar) { out.append("\\") }
            out.append(scalar)
        }
        return String(out)
    }
}
