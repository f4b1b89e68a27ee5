import Foundation

/// `collectlite-backup.json`, written last into a backup directory: what the backup holds and
/// the values counted in each copy, which `restore` checks its copies against. A directory
/// without it is no finished backup.
struct BackupManifest: Codable, Hashable, Sendable {
    static let fileName = "collectlite-backup.json"
    static let currentFormat = 1

    struct Database: Codable, Hashable, Sendable {
        var name: String
        /// The file in the backup directory, `<name>.sqlite`.
        var file: String
        var bytes: Int64
        /// Values per `<policy>.<measurement>`, counted in the copy through the store's read path.
        var census: StoreCensus
    }

    var format = currentFormat
    /// collectlite's version and commit that wrote it.
    var version: String
    /// When the copy started, RFC 3339.
    var created: String
    var source: String
    /// `--since` as RFC 3339, when the backup holds only samples from then on.
    var since: String?
    var databases: [Database]
    /// Whether `influxql-users` (users and grants) was copied too.
    var users: Bool

    static func read(directory: String) throws -> BackupManifest {
        let path = (directory as NSString).appendingPathComponent(fileName)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BackupError("\(directory) holds no \(fileName): not a finished collectlite backup")
        }
        do {
            let manifest = try JSONDecoder().decode(BackupManifest.self, from: data)
            guard manifest.format <= currentFormat else {
                throw BackupError("\(path) has format \(manifest.format), newer than this collectlite reads (\(currentFormat))")
            }
            return manifest
        } catch let error as BackupError {
            throw error
        } catch {
            throw BackupError("cannot read \(path): \(error)")
        }
    }

    func write(directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let path = (directory as NSString).appendingPathComponent(Self.fileName)
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// Why `backup` or `restore` stopped, in words for the user.
struct BackupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
