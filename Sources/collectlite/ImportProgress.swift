/// What `collectlite import` shows while it runs: a bar with values, values/s and ETA on a
/// terminal, plain lines otherwise. Pure formatting (times are passed in), so it is testable.
struct ImportProgress: Sendable {
    /// Values written so far.
    var values = 0
    /// Work done and expected in the unit ETA is computed from (values for an InfluxDB
    /// source, bytes of the file for a file); `total` 0 means unknown.
    var done = 0
    var total = 0
    /// Seconds since the start.
    var elapsed = 0.0

    var rate: Double { elapsed > 0 ? Double(values) / elapsed : 0 }

    /// 0...1, nil when the total is unknown.
    var fraction: Double? {
        guard total > 0 else { return nil }
        return min(1, Double(done) / Double(total))
    }

    /// Seconds left at the rate so far; nil when unknown.
    var remaining: Double? {
        guard let fraction, fraction > 0, elapsed > 0 else { return nil }
        return elapsed * (1 - fraction) / fraction
    }

    /// `[#########...........]  45%  1,234,567 values  12,345/s  ETA 1m23s` in at most `width` columns.
    func bar(width: Int) -> String {
        let tail = "  " + (fraction.map { Self.percent($0) + "  " } ?? "") + Self.grouped(values) + " values  "
            + Self.grouped(Int(rate.rounded())) + "/s  ETA " + (remaining.map(Self.duration) ?? "?")
        let room = width - tail.count - 2
        guard room >= 10, let fraction else { return String(tail.dropFirst(2).prefix(max(0, width))) }
        let filled = Int((Double(room) * fraction).rounded(.down))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: room - filled) + "]" + tail
    }

    /// `imported 1,234,567 values (45%), 12,345/s, ETA 1m23s` for logs and pipes.
    var plainLine: String {
        "imported " + Self.grouped(values) + " values" + (fraction.map { " (" + Self.percent($0) + ")" } ?? "")
            + ", " + Self.grouped(Int(rate.rounded())) + "/s" + (remaining.map { ", ETA " + Self.duration($0) } ?? "")
    }

    static func percent(_ fraction: Double) -> String {
        let value = Int((fraction * 100).rounded(.down))
        return (value < 10 ? "  " : value < 100 ? " " : "") + String(value) + "%"
    }

    /// `1234567` → `1,234,567`.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// `42s`, `3m07s`, `2h05m`, `3d04h`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m" + two(s % 60) + "s" }
        if s < 86_400 { return "\(s / 3600)h" + two(s % 3600 / 60) + "m" }
        return "\(s / 86_400)d" + two(s % 86_400 / 3600) + "h"
    }

    /// `512 B`, `1.5 MiB`.
    static func bytes(_ n: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(n)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(n) B" }
        return String(Int(value * 10) / 10) + "." + String(Int(value * 10) % 10) + " " + units[unit]
    }
}
