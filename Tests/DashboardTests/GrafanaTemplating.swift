/// Grafana's query-time text substitution for the InfluxDB datasource (InfluxQL mode):
/// dashboard variables first (as the frontend does), then the backend macros
/// `$timeFilter`, `$interval`, `$__interval_ms`, `$__interval` in that order.
struct GrafanaTemplating: Sendable {
    /// A dashboard variable's definition and current selection.
    struct Variable: Sendable, Hashable {
        var name: String
        var multi: Bool
        var includeAll: Bool
        var allValue: String?
        /// Every value the variable offers (the answer of its query), used when All is selected.
        var options: [String]
        /// The selected values; `nil` means All.
        var selected: [String]?
    }

    var variables: [String: Variable] = [:]
    var fromMs: Int64
    var toMs: Int64
    var intervalMs: Int64

    init(variables: [Variable], fromMs: Int64, toMs: Int64, intervalMs: Int64) {
        for variable in variables { self.variables[variable.name] = variable }
        self.fromMs = fromMs
        self.toMs = toMs
        self.intervalMs = intervalMs
    }

    /// The text Grafana sends for `query`: variables interpolated, then macros expanded.
    func expand(_ query: String) -> String {
        expandMacros(interpolateVariables(query))
    }

    // MARK: macros

    /// The backend's `$timeFilter` text for this range.
    var timeFilter: String { "time >= \(fromMs)ms and time <= \(toMs)ms" }

    func expandMacros(_ text: String) -> String {
        let interval = Self.formatInterval(ms: intervalMs)
        return text
            .replacingAll("$timeFilter", with: timeFilter)
            .replacingAll("$interval", with: interval)
            .replacingAll("$__interval_ms", with: String(intervalMs))
            .replacingAll("$__interval", with: interval)
    }

    /// Grafana's interval text: the largest unit (y, d, h, m, s, ms) the value reaches, truncated.
    static func formatInterval(ms: Int64) -> String {
        let units: [(Int64, String)] = [
            (365 * 86_400_000, "y"), (86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1000, "s"), (1, "ms"),
        ]
        for (size, suffix) in units where ms >= size { return "\(ms / size)\(suffix)" }
        return "1ms"
    }

    /// The interval Grafana picks for a panel: range / max data points rounded to a "nice"
    /// step, never below the datasource's minimum (its `timeInterval`, e.g. collectd's 10 s).
    static func interval(fromMs: Int64, toMs: Int64, maxDataPoints: Int64, minIntervalMs: Int64) -> Int64 {
        let raw = (toMs - fromMs) / max(maxDataPoints, 1)
        return max(roundInterval(ms: raw), minIntervalMs, 1)
    }

    /// Grafana's rounding table: each threshold maps to the step below it.
    static func roundInterval(ms: Int64) -> Int64 {
        let table: [(upTo: Int64, step: Int64)] = [
            (10, 1), (15, 10), (35, 20), (75, 50), (150, 100), (350, 200), (750, 500), (1500, 1000),
            (3500, 2000), (7500, 5000), (12_500, 10_000), (17_500, 15_000), (25_000, 20_000),
            (45_000, 30_000), (90_000, 60_000), (210_000, 120_000), (450_000, 300_000),
            (750_000, 600_000), (1_050_000, 900_000), (1_500_000, 1_200_000), (2_700_000, 1_800_000),
            (5_400_000, 3_600_000), (9_000_000, 7_200_000), (16_200_000, 10_800_000),
            (32_400_000, 21_600_000), (86_400_000, 43_200_000), (172_800_000, 86_400_000),
            (604_800_000, 86_400_000), (1_814_400_000, 604_800_000), (3_628_800_000 - 1, 2_592_000_000),
        ]
        for row in table where ms <= row.upTo { return row.step }
        return 31_536_000_000
    }

    // MARK: variables

    /// Replaces `$name`, `${name}`, `${name:format}` and `[[name]]` for known variables;
    /// anything else (macros, `$tag_x` aliases, unknown names) is left as written.
    func interpolateVariables(_ text: String) -> String {
        let chars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < chars.count {
            if let (name, format, end) = Self.reference(in: chars, at: i), let variable = variables[name] {
                out.append(contentsOf: value(of: variable, format: format).unicodeScalars)
                i = end
            } else {
                out.append(chars[i])
                i += 1
            }
        }
        return String(out)
    }

    /// A variable reference starting at `i`: its name, optional format and the index after it.
    static func reference(in chars: [Unicode.Scalar], at i: Int) -> (String, String?, Int)? {
        func word(from start: Int) -> Int {
            var j = start
            while j < chars.count, chars[j] == "_" || chars[j].properties.isAlphabetic || ("0"..."9").contains(chars[j]) {
                j += 1
            }
            return j
        }
        if chars[i] == "$", i + 1 < chars.count, chars[i + 1] == "{" {
            let nameEnd = word(from: i + 2)
            guard nameEnd > i + 2, nameEnd < chars.count else { return nil }
            let name = String(String.UnicodeScalarView(chars[(i + 2)..<nameEnd]))
            if chars[nameEnd] == "}" { return (name, nil, nameEnd + 1) }
            guard chars[nameEnd] == ":", let close = chars[nameEnd...].firstIndex(of: "}") else { return nil }
            return (name, String(String.UnicodeScalarView(chars[(nameEnd + 1)..<close])), close + 1)
        }
        if chars[i] == "$" {
            let nameEnd = word(from: i + 1)
            guard nameEnd > i + 1 else { return nil }
            return (String(String.UnicodeScalarView(chars[(i + 1)..<nameEnd])), nil, nameEnd)
        }
        if chars[i] == "[", i + 1 < chars.count, chars[i + 1] == "[" {
            let nameEnd = word(from: i + 2)
            guard nameEnd > i + 2, nameEnd + 1 < chars.count, chars[nameEnd] == "]", chars[nameEnd + 1] == "]" else { return nil }
            return (String(String.UnicodeScalarView(chars[(i + 2)..<nameEnd])), nil, nameEnd + 2)
        }
        return nil
    }

    /// The text for a variable as the InfluxDB datasource formats it (`interpolateQueryExpr`):
    /// single plain variables unescaped; multi/All values regex-escaped, several as `(a|b)`.
    func value(of variable: Variable, format: String?) -> String {
        if variable.selected == nil, let allValue = variable.allValue { return allValue }
        let values = variable.selected ?? variable.options
        switch format {
        case "raw": return values.joined(separator: ",")
        case "csv": return values.joined(separator: ",")
        case "pipe": return values.joined(separator: "|")
        case "regex":
            let escaped = values.map(Self.regexEscape)
            return escaped.count == 1 ? escaped[0] : "(" + escaped.joined(separator: "|") + ")"
        default:
            if !variable.multi && !variable.includeAll { return values.first ?? "" }
            let escaped = values.map(Self.regexEscape)
            return escaped.count == 1 ? escaped[0] : "(" + escaped.joined(separator: "|") + ")"
        }
    }

    /// Escapes regex metacharacters as Grafana's `regexEscape`: `\ ^ $ * + ? . ( ) | [ ] { } /`.
    static func regexEscape(_ text: String) -> String {
        let special: Set<Character> = ["\\", "^", "$", "*", "+", "?", ".", "(", ")", "|", "[", "]", "{", "}", "/"]
        var out = ""
        for ch in text {
            if special.contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}

extension String {
    /// Replaces every occurrence of `target` (stdlib only, like Go's `strings.ReplaceAll`).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        return self.split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
