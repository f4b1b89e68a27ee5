/// Every failure of the SQLite store; each names the file it concerns.
public enum SQLiteStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// SQLite reported an error: its primary/extended result code and message.
    case sqlite(file: String, code: Int32, message: String)
    /// The file is not a collectlite database (another program's SQLite file, or not SQLite at all).
    case foreignFile(file: String, reason: String)
    /// The file was written by a newer collectlite (schema version above what this build knows).
    case unsupportedVersion(file: String, version: Int32)
    /// Stored bytes could not be decoded (a damaged chunk or log row); the row is left untouched.
    case corruptData(file: String, reason: String)
    /// The store was opened read-only and was asked to change something.
    case readOnlyStore(directory: String)
    /// The store was closed.
    case closed(directory: String)
    /// A file-system operation on the data directory failed.
    case fileSystem(path: String, errno: Int32, operation: String)

    public var description: String {
        switch self {
        case .sqlite(let file, let code, let message):
            "sqlite error \(code) in \(file): \(message)"
        case .foreignFile(let file, let reason):
            "\(file) is not a collectlite database: \(reason)"
        case .unsupportedVersion(let file, let version):
            "\(file) has schema version \(version), newer than this collectlite supports (\(Schema.version))"
        case .corruptData(let file, let reason):
            "corrupt data in \(file): \(reason)"
        case .readOnlyStore(let directory):
            "the store at \(directory) is open read-only"
        case .closed(let directory):
            "the store at \(directory) is closed"
        case .fileSystem(let path, let errno, let operation):
            "\(operation) \(path) failed: errno \(errno)"
        }
    }
}
