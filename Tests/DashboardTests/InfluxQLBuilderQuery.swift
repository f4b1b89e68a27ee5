import Foundation

/// The builder fields of a Grafana InfluxQL target, rendered into query text with the rules of
/// Grafana's backend (`pkg/tsdb/influxdb/models`): quoting, WHERE layout, GROUP BY and fill,
/// and the tail clauses. `$timeFilter` is left in place for the macro step.
struct InfluxQLBuilderQuery: Sendable, Hashable {
    struct Part: Sendable, Hashable {
        var type: String
        var params: [String]
    }

    struct Tag: Sendable, Hashable {
        var key: String
        var value: String
        var op: String
        var condition: String
    }

    var measurement = ""
    var policy = "default"
    var select: [[Part]] = []
    var tags: [Tag] = []
    var groupBy: [Part] = []
    var orderByTime = ""
    var limit = ""
    var slimit = ""
    var tz = ""

    init() {}

    init(json object: [String: Any]) {
        measurement = object["measurement"] as? String ?? ""
        policy = object["policy"] as? String ?? "default"
        select = (object["select"] as? [[[String: Any]]] ?? []).map { $0.map(Self.part) }
        tags = (object["tags"] as? [[String: Any]] ?? []).map { tag in
            Tag(key: tag["key"] as? String ?? "", value: Self.string(tag["value"]) ?? "",
                op: tag["operator"] as? String ?? "", condition: tag["condition"] as? String ?? "")
        }
        groupBy = (object["groupBy"] as? [[String: Any]] ?? []).map(Self.part)
        orderByTime = object["orderByTime"] as? String ?? ""
        limit = Self.string(object["limit"]) ?? ""
        slimit = Self.string(object["slimit"]) ?? ""
        tz = object["tz"] as? String ?? ""
    }

    /// Strings stay as they are; integral numbers become their decimal text (as simplejson does).
    static func string(_ any: Any?) -> String? {
        if let s = any as? String { return s }
        if let n = any as? Int { return String(n) }
        return nil
    }

    static func part(_ object: [String: Any]) -> Part {
        Part(type: object["type"] as? String ?? "", params: (object["params"] as? [Any] ?? []).compactMap(string))
    }

    // MARK: rendering

    func render() throws -> String {
        var text = try renderSelectors()
        text += renderMeasurement()
        text += renderWhere()
        text += "$timeFilter"
        text += try renderGroupBy()
        if !orderByTime.isEmpty { text += " ORDER BY time \(orderByTime)" }
        if !limit.isEmpty { text += " limit \(limit)" }
        if !slimit.isEmpty { text += " slimit \(slimit)" }
        if !tz.isEmpty { text += " tz('\(tz)')" }
        return text
    }

    func renderSelectors() throws -> String {
        let columns = try select.map { parts in
            try parts.reduce("") { inner, part in try Self.render(part, inner: inner) }
        }
        return "SELECT " + columns.joined(separator: ", ")
    }

    func renderMeasurement() -> String {
        let prefix = policy.isEmpty || policy == "default" ? "" : "\"\(policy)\"."
        let name = Self.isRegexLiteral(measurement) ? measurement : "\"\(measurement)\""
        return " FROM \(prefix)\(name)"
    }

    func renderWhere() -> String {
        let conditions = renderTags()
        var text = " WHERE "
        if conditions.count > 1 {
            text += "(" + conditions.joined(separator: " ") + ")"
        } else if let only = conditions.first {
            text += only
        }
        if !conditions.isEmpty { text += " AND " }
        return text
    }

    func renderTags() -> [String] {
        tags.enumerated().map { index, tag in
            var prefix = ""
            if index > 0 { prefix = (tag.condition.isEmpty ? "AND" : tag.condition) + " " }
            var op = tag.op
            if op.isEmpty { op = Self.isRegexLiteral(tag.value) ? "=~" : "=" }
            let value: String
            switch op {
            case "=~", "!~":
                value = tag.value
            case "<", ">", ">=", "<=":
                value = Self.removeRegexWrappers(tag.value, wrapper: "'")
            case "Is", "Is Not":
                (value, op) = Self.isOperator(tag)
            default:
                value = "'" + Self.escapeBackslashes(Self.removeRegexWrappers(tag.value, wrapper: "")) + "'"
            }
            return "\(prefix)\(Self.quoteKey(tag.key)) \(op) \(value)"
        }
    }

    func renderGroupBy() throws -> String {
        var text = ""
        for (index, part) in groupBy.enumerated() {
            if index == 0 { text += " GROUP BY" }
            // fill() follows the previous element after a space, never a comma.
            text += index > 0 && part.type != "fill" ? ", " : " "
            text += try Self.render(part, inner: "")
        }
        return text
    }

    static let functions: Set<String> = [
        "spread", "count", "distinct", "integral", "mean", "median", "sum", "mode", "cumulative_sum",
        "non_negative_difference", "holt_winters", "holt_winters_with_fit", "derivative",
        "non_negative_derivative", "difference", "moving_average", "stddev", "time", "fill", "elapsed",
        "bottom", "first", "last", "max", "min", "percentile", "top",
    ]

    static func render(_ part: Part, inner: String) throws -> String {
        switch part.type {
        case "field", "tag":
            guard let name = part.params.first else { throw DashboardTestError.missingParameter(part.type) }
            return name == "*" ? "*" : quoteKey(name)
        case "math":
            guard let suffix = part.params.first else { throw DashboardTestError.missingParameter(part.type) }
            return "\(inner) \(suffix)"
        case "alias":
            guard let alias = part.params.first else { throw DashboardTestError.missingParameter(part.type) }
            return "\(inner) AS \"\(alias)\""
        case let name where functions.contains(name):
            var params = part.params.map { name == "time" && $0 == "auto" ? "$__interval" : $0 }
            if !inner.isEmpty { params.insert(inner, at: 0) }
            return "\(name)(\(params.joined(separator: ", ")))"
        default:
            throw DashboardTestError.unknownPart(part.type)
        }
    }

    /// `"key"`, keeping a `::tag` / `::field` cast outside the quotes.
    static func quoteKey(_ key: String) -> String {
        for cast in ["::tag", "::field"] where key.hasSuffix(cast) {
            return "\"\(key.dropLast(cast.count))\"\(cast)"
        }
        return "\"\(key)\""
    }

    static func isRegexLiteral(_ text: String) -> Bool {
        text.count >= 2 && text.hasPrefix("/") && text.hasSuffix("/")
    }

    /// `/^value$/` becomes `wrapper + value + wrapper`; anything else is returned unchanged.
    static func removeRegexWrappers(_ text: String, wrapper: String) -> String {
        guard text.hasPrefix("/^"), text.hasSuffix("$/"), text.count >= 4 else { return text }
        return wrapper + String(text.dropFirst(2).dropLast(2)) + wrapper
    }

    static func escapeBackslashes(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\")
    }

    /// The `Is` / `Is Not` operators: booleans and numbers unquoted, everything else quoted.
    static func isOperator(_ tag: Tag) -> (String, String) {
        let op = tag.op == "Is Not" ? "!=" : "="
        if tag.key.hasSuffix("::tag") { return ("'" + escapeBackslashes(tag.value) + "'", op) }
        let lower = tag.value.lowercased()
        if lower == "true" || lower == "false" { return (lower, op) }
        if tag.value.wholeMatch(of: /-?\d+(\.\d+)?/) != nil { return (tag.value, op) }
        return (removeRegexWrappers("'" + escapeBackslashes(tag.value) + "'", wrapper: "'"), op)
    }
}
