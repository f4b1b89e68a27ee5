import ArgumentParser
import Foundation
import InfluxHTTP
import SQLiteStore

/// `collectlite restore`: puts the databases of a backup into a data directory that no server
/// holds, each copy checked against the backup's manifest before it replaces anything.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore databases from a directory written by `collectlite backup`.",
        discussion: """
            Takes the data directory's lock, so it refuses while `collectlite serve` runs on it. A
            database that already exists there is refused unless --force. Each database is copied to
            a temporary file, checked (PRAGMA integrity_check, and the values per measurement read
            back through the store must equal the backup's), and only then renamed into place.
            Users and grants (influxql-users) are restored when the data directory has none, or
            with --force.
            """
    )

    @Option(help: "Data directory to restore into (created when missing; default ./data).") var dataDir: String = "./data"
    @Option(help: "Database to restore (repeatable; default every database of the backup).") var database: [String] = []
    @Flag(help: "Replace databases (and users) that already exist in the data directory.") var force = false
    @Flag(help: "Print no progress.") var quiet = false
    @Argument(help: "Backup directory written by `collectlite backup`.") var input: String

    func run() async throws {
        let manifest = try BackupManifest.read(directory: input)
        let selected = database.isEmpty ? manifest.databases : try database.map { name in
            guard let entry = manifest.databases.first(where: { $0.name == name }) else {
                throw BackupError("the backup in \(input) holds no database \(name) (it holds: \(manifest.databases.map(\.name).joined(separator: ", ")))")
            }
            return entry
        }
        do throws(ConfigurationError) {
            try ServeCommand.makeDirectories(dataDir)
        } catch {
            throw ValidationError(error.description)
        }
        let lock: DataDirectoryLock
        do throws(ConfigurationError) {
            lock = try DataDirectoryLock(directory: dataDir)
        } catch .directoryInUse(let directory, _, let pid) {
            throw BackupError("data directory \(directory) is in use by a running collectlite\(pid.map { " (pid \($0))" } ?? ""); stop it before restoring")
        } catch {
            throw ValidationError(error.description)
        }
        defer { lock.release() }
        let existing = selected.map(\.name).filter { FileManager.default.fileExists(atPath: path(of: $0)) }
        if !existing.isEmpty && !force {
            throw BackupError("\(dataDir) already holds \(existing.joined(separator: ", ")); give --force to replace \(existing.count == 1 ? "it" : "them")")
        }
        let staging = (dataDir as NSString).appendingPathComponent(".restore")
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        for entry in selected {
            try restore(entry, staging: staging)
            print("\(entry.name): \(ImportProgress.grouped(entry.census.total)) values restored, as in the backup")
        }
        let users = (dataDir as NSString).appendingPathComponent(UserRegistry.fileName)
        if manifest.users && (force || !FileManager.default.fileExists(atPath: users)) {
            try? FileManager.default.removeItem(atPath: users)
            try FileManager.default.copyItem(atPath: (input as NSString).appendingPathComponent(UserRegistry.fileName), toPath: users)
            print("users and grants restored")
        }
        print("restored \(selected.count) database\(selected.count == 1 ? "" : "s") into \(dataDir)")
    }

    func path(of name: String) -> String {
        (dataDir as NSString).appendingPathComponent(name + ".sqlite")
    }

    /// Copies one database into the staging directory, checks it, then replaces the live file.
    func restore(_ entry: BackupManifest.Database, staging: String) throws {
        let source = (input as NSString).appendingPathComponent(entry.file)
        let copy = (staging as NSString).appendingPathComponent(entry.name + ".sqlite")
        let progress = ProgressLine(enabled: !quiet)
        try SQLiteStore.copyDatabaseFile(from: source, to: copy) { done, total in
            progress.show("\(entry.name): copied \(done)/\(total) pages")
        }
        progress.finish()
        let findings = try SQLiteStore.integrityCheck(copy)
        guard findings.isEmpty else {
            throw BackupError("\(source) fails PRAGMA integrity_check: \(findings.prefix(5).joined(separator: "; ")); nothing was replaced")
        }
        let census = try StoreCensus.count(directory: staging, database: entry.name)
        guard census == entry.census else {
            let differing = Set(census.measurements.keys).union(entry.census.measurements.keys).sorted()
                .filter { census.measurements[$0] != entry.census.measurements[$0] }
                .map { "\($0): backup says \(entry.census.measurements[$0] ?? 0), copy holds \(census.measurements[$0] ?? 0)" }
            throw BackupError("the copy of \(entry.name) differs from the backup's manifest (\(differing.prefix(5).joined(separator: "; "))); nothing was replaced")
        }
        let target = path(of: entry.name)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + suffix) }
        if rename(copy, target) != 0 {
            throw BackupError("cannot move \(copy) to \(target): \(String(cString: strerror(errno)))")
        }
    }
}
