import TimeSeries

extension Point {
    /// The point as one InfluxDB line-protocol line with a millisecond timestamp
    /// (write it with `precision=ms`). Only float and string fields occur in collectd data.
    var lineProtocolMs: String {
        var line = Self.escape(key.measurement, special: [",", " "])
        for tag in key.tags {
            line += "," + Self.escape(tag.key, special: [",", "=", " "]) + "=" + Self.escape(tag.value, special: [",", "=", " "])
        }
        line += " "
        line += fields.map { field in
            let name = Self.escape(field.name, special: [",", "=", " "])
            switch field.value {
            case .float(let v): return "\(name)=\(Self.float(v))"
            case .integer(let v): return "\(name)=\(v)i"
            case .unsigned(let v): return "\(name)=\(v)u"
            case .boolean(let v): return "\(name)=\(v)"
            case .string(let s): return "\(name)=\"\(Self.escape(s, special: ["\"", "\\"]))\""
            }
        }.joined(separator: ",")
        line += " \(time / 1_000_000)"
        return line
    }

    static func float(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    static func escape(_ text: String, special: Set<Character>) -> String {
        var out = ""
        for ch in text {
            if special.contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}
