import ArgumentParser
import Foundation
import InfluxHTTP
import SQLiteStore
import TimeSeries

/// `collectlite backup`: a consistent copy of each database file, taken beside a running
/// `serve` (which keeps ingesting), verified before it counts as done.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the databases of a data directory into a backup directory, also while serve runs.",
        discussion: """
            Each database is copied with SQLite's online backup API inside one read transaction: the
            copy holds everything that was durable when its copy began, and `serve` keeps writing
            meanwhile (readers never block the writer in WAL mode). Every copy then passes
            PRAGMA integrity_check and is read back through the store, counting values per
            measurement; only then is collectlite-backup.json written, which `collectlite restore`
            needs. Users and grants (influxql-users) are copied too.
            With --since the copy keeps only samples at or after that time: the whole file is copied,
            older samples are then deleted from the copy through the store, and the copy is vacuumed.
            """
    )

    @Option(help: "Data directory to back up (default ./data).") var dataDir: String = "./data"
    @Option(help: "Database to back up (repeatable; default every database).") var database: [String] = []
    @Option(help: "Keep only samples at or after this time: RFC 3339 (2024-05-01T00:00:00Z), a duration back from now (7d), or ns since the epoch.")
    var since: String?
    @Flag(help: "Print no progress.") var quiet = false
    @Argument(help: "Directory to write the backup into (created when missing; must not hold a backup).") var out: String

    func run() async throws {
        let started = TimeArgument.now()
        let sinceTime = try since.map { text in
            guard let value = TimeArgument.nanoseconds(text, now: started) else {
                throw ValidationError("invalid --since \(text): expected RFC 3339, a duration such as 7d, or ns since the epoch")
            }
            return value
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dataDir, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigurationError.noDataDirectory(path: dataDir)
        }
        let available = try SQLiteStore(dataDirectory: dataDir, readOnly: true).databases()
        let names = database.isEmpty ? available : database
        if let missing = names.first(where: { !available.contains($0) }) {
            throw BackupError("no database \(missing) in \(dataDir) (it holds: \(available.joined(separator: ", ")))")
        }
        guard !names.isEmpty else { throw BackupError("\(dataDir) holds no database") }
        try prepareOutput(names)

        let staging = (out as NSString).appendingPathComponent(".staging")
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: staging) }
        var entries: [BackupManifest.Database] = []
        for name in names {
            let entry = try backUp(name, staging: staging, since: sinceTime)
            entries.append(entry)
            print("\(name): \(ImportProgress.grouped(entry.census.total)) values, \(ImportProgress.bytes(entry.bytes)), integrity ok")
            for line in entry.census.lines() { print(line) }
        }
        let users = (dataDir as NSString).appendingPathComponent(UserRegistry.fileName)
        let copiedUsers = FileManager.default.fileExists(atPath: users)
        if copiedUsers {
            try FileManager.default.copyItem(atPath: users, toPath: (out as NSString).appendingPathComponent(UserRegistry.fileName))
        }
        let manifest = BackupManifest(
            version: CollectliteVersion.description, created: TimeArgument.format(started),
            source: URL(fileURLWithPath: dataDir).standardizedFileURL.path, since: sinceTime.map(TimeArgument.format),
            databases: entries, users: copiedUsers)
        try manifest.write(directory: out)
        print("backup of \(names.count) database\(names.count == 1 ? "" : "s") written to \(out) and verified")
    }

    /// Creates `out`; refuses one that already holds a backup or a file of these databases.
    func prepareOutput(_ names: [String]) throws {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let present = Set((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? [])
        let clashes = ([BackupManifest.fileName, UserRegistry.fileName] + names.map { $0 + ".sqlite" }).filter(present.contains)
        if !clashes.isEmpty {
            throw BackupError("\(out) already holds \(clashes.joined(separator: ", ")); give an empty or new directory")
        }
    }

    /// Copies, trims (with `since`), verifies and moves one database into `out`.
    func backUp(_ name: String, staging: String, since: Int64?) throws -> BackupManifest.Database {
        let source = (dataDir as NSString).appendingPathComponent(name + ".sqlite")
        let copy = (staging as NSString).appendingPathComponent(name + ".sqlite")
        let progress = ProgressLine(enabled: !quiet)
        try SQLiteStore.copyDatabaseFile(from: source, to: copy) { done, total in
            progress.show("\(name): copied \(done)/\(total) pages")
        }
        progress.finish()
        if let since {
            try Self.deleteSamples(before: since, database: name, directory: staging)
            try SQLiteStore.vacuumFile(copy)
        }
        let findings = try SQLiteStore.integrityCheck(copy)
        guard findings.isEmpty else {
            throw BackupError("the copy of \(name) fails PRAGMA integrity_check: \(findings.prefix(5).joined(separator: "; "))")
        }
        let census: StoreCensus
        do {
            census = try StoreCensus.count(directory: staging, database: name)
        } catch {
            throw BackupError("the copy of \(name) cannot be read back: \(error)")
        }
        let target = (out as NSString).appendingPathComponent(name + ".sqlite")
        try FileManager.default.moveItem(atPath: copy, toPath: target)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: target)[.size] as? Int64) ?? 0
        return BackupManifest.Database(name: name, file: name + ".sqlite", bytes: bytes, census: census)
    }

    /// Deletes every sample older than `since` from the copy, through the store (whole chunks
    /// dropped, chunks across `since` rewritten), which then seals and closes the file.
    static func deleteSamples(before since: Int64, database: String, directory: String) throws {
        let store = try SQLiteStore(dataDirectory: directory, readOnly: false)
        let ids = try store.series(database: database, filter: .all, where: .always).map(\.id)
        if !ids.isEmpty && since > Int64.min {
            try store.deleteSamples(database: database, series: ids, range: TimeRange(min: .min, max: since - 1))
        }
        try store.close()
    }
}

/// One line of progress on a terminal (standard error), rewritten in place at most ~5 times a
/// second; nothing when standard error is no terminal or `enabled` is false.
final class ProgressLine {
    private let enabled: Bool
    private var lastShown = 0.0
    private var shown = false

    init(enabled: Bool) {
        self.enabled = enabled && isatty(2) == 1
    }

    func show(_ text: String, force: Bool = false) {
        guard enabled else { return }
        let now = Date().timeIntervalSince1970
        guard force || now - lastShown >= 0.2 else { return }
        lastShown = now
        shown = true
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    }

    /// Clears the line.
    func finish() {
        guard enabled, shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        shown = false
    }
}
