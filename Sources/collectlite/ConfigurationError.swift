#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a command could not do its work: a bad setting, a data directory that cannot be used,
/// an address that cannot be bound, a server that cannot be reached. `description` is what
/// users read after `Error:`; every case names the thing and the reason.
enum ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A value that does not parse; `source` says where it came from (flag, variable, file).
    case invalidValue(setting: String, value: String, source: String, expected: String)
    /// A syntax error in the configuration file.
    case file(path: String, line: Int, reason: String)
    case unreadable(path: String, reason: String)
    /// `serve` could not create the data directory.
    case cannotCreateDirectory(path: String, reason: String)
    /// `serve` needs to write `path` (the data directory or a database file in it).
    case notWritable(path: String, what: String, reason: String)
    /// Another process holds the data directory's lock; `pid` is the one in the lock file.
    case directoryInUse(directory: String, lockFile: String, pid: Int32?)
    /// The HTTP API could not listen on `address`.
    case httpBindFailed(address: String, reason: String)
    /// `query --data-dir` names a directory that does not exist.
    case noDataDirectory(path: String)
    /// `query --url` could not reach the server.
    case cannotConnect(url: String, reason: String)

    var description: String {
        switch self {
        case .invalidValue(let setting, let value, let source, let expected):
            "invalid value \"\(value)\" for \(setting) (from \(source)): expected \(expected)"
        case .file(let path, let line, let reason):
            "\(path):\(line): \(reason)"
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason)"
        case .cannotCreateDirectory(let path, let reason):
            "cannot create data directory \(path): \(reason)"
        case .notWritable(let path, let what, let reason):
            "\(what) \(path) is not writable: \(reason)"
        case .directoryInUse(let directory, let lockFile, let pid):
            "data directory \(directory) is in use by another collectlite"
                + (pid.map { " (pid \($0))" } ?? "")
                + "; only one serve may write a data directory (lock file \(lockFile))"
        case .httpBindFailed(let address, let reason):
            "cannot listen on http://\(address): \(reason)"
        case .noDataDirectory(let path):
            "data directory \(path) does not exist; give the directory `collectlite serve` writes to with --data-dir, or ask a running server with --url"
        case .cannotConnect(let url, let reason):
            "cannot connect to \(url): \(reason)"
        }
    }

    /// The C library's text for an errno value ("Permission denied").
    static func reason(errno code: Int32) -> String {
        String(cString: strerror(code))
    }
}
