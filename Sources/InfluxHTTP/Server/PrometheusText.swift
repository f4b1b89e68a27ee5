import TimeSeries

/// Prometheus text for `StatsGroup`s: `collectlite_<group>_<figure>{tags} value`; figures
/// ending in `_total` are counters, the rest gauges.
enum PrometheusText {
    static func render(_ groups: [StatsGroup]) -> [UInt8] {
        var order: [String] = []
        var lines: [String: [String]] = [:]
        for group in groups {
            let labels = group.tags.isEmpty ? "" : "{" + group.tags.map { "\(sanitize($0.key))=\(quote($0.value))" }.joined(separator: ",") + "}"
            for (name, value) in group.values {
                let metric = "collectlite_\(sanitize(group.name))_\(sanitize(name))"
                if lines[metric] == nil { order.append(metric) }
                lines[metric, default: []].append("\(metric)\(labels) \(format(value))")
            }
        }
        var out = ""
        for metric in order {
            out += "# TYPE \(metric) \(metric.hasSuffix("_total") ? "counter" : "gauge")\n"
            for line in lines[metric]! { out += line + "\n" }
        }
        return Array(out.utf8)
    }

    static func sanitize(_ name: String) -> String {
        var s = ""
        for (i, c) in name.unicodeScalars.enumerated() {
            let ok = ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" || (i > 0 && ("0"..."9").contains(c))
            s.unicodeScalars.append(ok ? c : "_")
        }
        return s.isEmpty ? "_" : s
    }

    static func quote(_ value: String) -> String {
        var s = "\""
        for c in value {
            switch c {
            case "\\": s += "\\\\"
            case "\"": s += "\\\""
            case "\n": s += "\\n"
            default: s.append(c)
            }
        }
        return s + "\""
    }

    static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}
