/// Where settings come from, in precedence order: command-line flag, environment variable
/// `COLLECTLITE_<FLAG_NAME>`, the TOML file given by `--config`, then the built-in default.
struct ConfigurationSources: Sendable {
    /// Flag name (without `--`) → values given on the command line (several for repeatable flags).
    var flags: [String: [String]]
    var environment: [String: String]
    var file: ConfigurationTOML?
    var filePath: String

    init(flags: [String: [String]], environment: [String: String], file: ConfigurationTOML? = nil, filePath: String = "") {
        self.flags = flags.filter { !$0.value.isEmpty }
        self.environment = environment
        self.file = file
        self.filePath = filePath
    }

    /// A raw setting and a description of its source, or nil when no source sets it.
    struct Raw: Sendable, Hashable {
        var values: [String]
        var source: String
    }

    /// `collectd-bind` → `COLLECTLITE_COLLECTD_BIND`.
    static func environmentName(of flag: String) -> String {
        "COLLECTLITE_" + flag.uppercased().replacing("-", with: "_")
    }

    /// Keys a flag may have in the file: `collectd-bind`, `collectd_bind`, and under a table
    /// named after its first word, `[collectd] bind` (or `read_buffer` for `read-buffer`).
    static func fileKeys(of flag: String) -> [String] {
        var keys = [flag, flag.replacing("-", with: "_")]
        if flag == "typesdb" { keys.append("collectd.typesdb") }
        if let dash = flag.firstIndex(of: "-") {
            let table = flag[..<dash]
            let rest = String(flag[flag.index(after: dash)...])
            keys.append("\(table).\(rest)")
            keys.append("\(table).\(rest.replacing("-", with: "_"))")
        }
        return keys
    }

    func raw(_ flag: String) -> Raw? {
        if let given = flags[flag] { return Raw(values: given, source: "--\(flag)") }
        let variable = Self.environmentName(of: flag)
        if let text = environment[variable] {
            return Raw(values: [text], source: "$\(variable)")
        }
        if let file {
            for key in Self.fileKeys(of: flag) {
                guard let value = file[key] else { continue }
                let source = "\(filePath) \(key)"
                switch value {
                case .string(let s): return Raw(values: [s], source: source)
                case .integer(let n): return Raw(values: [String(n)], source: source)
                case .boolean(let b): return Raw(values: [String(b)], source: source)
                case .strings(let list): return Raw(values: list, source: source)
                }
            }
        }
        return nil
    }

    /// The setting's single value converted by `parse`, or `fallback`.
    func value<T>(_ flag: String, default fallback: T, expected: String, _ parse: (String) -> T?) throws -> T {
        guard let raw = raw(flag), let text = raw.values.last else { return fallback }
        guard let parsed = parse(text) else {
            throw ConfigurationError.invalidValue(setting: "--\(flag)", value: text, source: raw.source, expected: expected)
        }
        return parsed
    }

    /// An optional string setting (empty means unset).
    func string(_ flag: String) -> String? {
        guard let text = raw(flag)?.values.last, !text.isEmpty else { return nil }
        return text
    }

    /// A repeatable setting; an environment variable separates items with `:` or `,`.
    func list(_ flag: String) -> [String] {
        guard let raw = raw(flag) else { return [] }
        if raw.source.hasPrefix("$") {
            return raw.values.flatMap { $0.split(whereSeparator: { $0 == ":" || $0 == "," }).map(String.init) }
        }
        return raw.values.filter { !$0.isEmpty }
    }
}
