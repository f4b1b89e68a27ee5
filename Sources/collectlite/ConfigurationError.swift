/// Why the executable could not start: a bad flag, environment variable or file setting.
enum ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A value that does not parse; `source` says where it came from (flag, variable, file).
    case invalidValue(setting: String, value: String, source: String, expected: String)
    /// A syntax error in the configuration file.
    case file(path: String, line: Int, reason: String)
    case unreadable(path: String, reason: String)

    var description: String {
        switch self {
        case .invalidValue(let setting, let value, let source, let expected):
            "invalid value \"\(value)\" for \(setting) (from \(source)): expected \(expected)"
        case .file(let path, let line, let reason):
            "\(path):\(line): \(reason)"
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason)"
        }
    }
}
