import ArgumentParser
import Foundation

/// `collectlite import`: InfluxDB 1.x data (a running server, or an `influx_inspect export`
/// dump or line-protocol file) into a running collectlite or a data directory.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import InfluxDB 1.x data into collectlite (from a running InfluxDB or an export file).",
        discussion: """
            Target: --to URL (a running collectlite, through /write; -u/-p when it has
            authentication on) or --data-dir DIR (a data directory no server holds).
            Source: --from-influxdb URL --database DB [--rp RP] [--since TIME] pulls over /query
            (chunked, per measurement in time slices); --file F reads `influx_inspect export`
            output or plain line protocol (gzip or not; for plain line protocol --database names
            the target database).
            Idempotent: a point with the same series, field and time replaces the one stored, so a
            second run changes nothing. Resumable: the progress is kept in a state file next to the
            target (--state), and an interrupted import continues where it stopped. At the end the
            values per measurement are counted on both sides.
            """
    )

    @Option(help: "A running collectlite to write into, e.g. http://127.0.0.1:8086.") var to: String?
    @Option(help: "A data directory to write into (no server may hold it).") var dataDir: String?
    @Option(help: "A running InfluxDB 1.x to read from, e.g. http://127.0.0.1:8086.") var fromInfluxdb: String?
    @Option(help: "An influx_inspect export file or a line-protocol file (gzip or not).") var file: String?
    @Option(help: "Database to read from InfluxDB; for a line-protocol file, the database to write; for an export file, the one database to import (default all).")
    var database: String?
    @Option(help: "Retention policy to read from InfluxDB (default: the database's default); for a line-protocol file, the one to write.")
    var rp: String?
    @Option(help: "Import only points at or after this time (InfluxDB source): RFC 3339, a duration back from now (7d), or ns since the epoch.")
    var since: String?
    @Option(name: [.customShort("u"), .customLong("username")], help: "User for --to and --from-influxdb.") var username: String?
    @Option(name: [.customShort("p"), .customLong("password")], help: "Password for --to and --from-influxdb (or COLLECTLITE_PASSWORD).")
    var password: String?
    @Option(help: "User for --from-influxdb when it differs from -u.") var sourceUsername: String?
    @Option(help: "Password for --from-influxdb when it differs from -p.") var sourcePassword: String?
    @Option(help: "Resume state file (default: collectlite-import.json in --data-dir, or collectlite-import-HOST-PORT.json here for --to).")
    var state: String?
    @Option(help: ArgumentHelp("Values per time slice read from InfluxDB.", visibility: .hidden)) var sliceValues = 100_000
    @Option(help: ArgumentHelp("Points per write.", visibility: .hidden)) var batchPoints = 5_000
    @Flag(help: "Print no progress.") var quiet = false

    func validate() throws {
        if (to == nil) == (dataDir == nil) { throw ValidationError("give either --to URL or --data-dir DIR") }
        if (fromInfluxdb == nil) == (file == nil) { throw ValidationError("give either --from-influxdb URL or --file FILE") }
        if fromInfluxdb != nil && database == nil { throw ValidationError("--from-influxdb needs --database") }
        if file != nil && since != nil { throw ValidationError("--since applies to --from-influxdb only") }
        if sliceValues < 1 || batchPoints < 1 { throw ValidationError("--slice-values and --batch-points must be positive") }
    }

    /// One measurement's values on the source, and where the target is counted.
    struct Tally {
        var database: String
        var policy: String
        var measurement: String
        var source: Int
        /// The time range the source was read in (nil: all time).
        var range: ClosedRange<Int64>?
        /// A file's key for `distinctValues` (its source count counts every line, so a point
        /// repeated in the file is counted again though the target stores it once).
        var fileKey: String? = nil
        var key: String { "\(database).\(policy).\(measurement)" }
    }

    func run() async throws {
        let password = self.password ?? ProcessInfo.processInfo.environment["COLLECTLITE_PASSWORD"]
        let target: any ImportTarget
        let statePath: String
        if let dataDir {
            target = try LocalImportTarget(directory: dataDir)
            statePath = state ?? (dataDir as NSString).appendingPathComponent("collectlite-import.json")
        } else {
            let client = try HTTPStreamClient(url: to!, username: username, password: password)
            target = RemoteImportTarget(client: client)
            statePath = state ?? "collectlite-import-\(client.host)-\(client.port).json"
        }
        var closed = false
        defer { if !closed { try? target.close() } }
        let reporter = ImportReporter(quiet: quiet)
        let tallies: [Tally]
        if let fromInfluxdb {
            let source = try HTTPStreamClient(url: fromInfluxdb, username: sourceUsername ?? username,
                                              password: sourcePassword ?? (sourceUsername == nil ? password : nil))
            tallies = try await importFromInfluxDB(source, into: target, statePath: statePath, reporter: reporter)
        } else {
            tallies = try await importFile(file!, into: target, statePath: statePath, reporter: reporter)
        }
        try target.sync()
        reporter.finish()
        let complete = try await report(tallies, target: target) { keys in
            guard let file = self.file, self.fromInfluxdb == nil else { return [:] }
            return try self.distinctValues(file, keys)
        }
        ImportState.remove(path: statePath)
        closed = true
        try target.close()
        if !complete { throw ExitCode(1) }
    }

    /// Prints the values per measurement on both sides; false when the target has fewer.
    /// `distinct` counts, for the file keys of measurements that came out short, the values
    /// of distinct series, field and time: the target keeps one of each, so fewer target values
    /// than source lines is not a loss when the file repeats points.
    func report(_ tallies: [Tally], target: any ImportTarget,
                distinct: (Set<String>) throws -> [String: Int] = { _ in [:] }) async throws -> Bool {
        var rows: [(String, Int, Int)] = []
        var short: [String: String] = [:]  // row key → file key
        for tally in tallies.sorted(by: { $0.key < $1.key }) {
            var condition = ""
            if let range = tally.range {
                condition = " WHERE " + (range.lowerBound == Int64.min ? "" : "time >= \(range.lowerBound) AND ") + "time <= \(range.upperBound)"
            }
            let text = "SELECT count(*) FROM \(InfluxQLName.quote(tally.policy)).\(InfluxQLName.quote(tally.measurement))\(condition)"
            let count = try InfluxAnswer.count(try await target.query(text, database: tally.database, change: false))
            rows.append((tally.key, tally.source, count))
            if count < tally.source, let fileKey = tally.fileKey { short[tally.key] = fileKey }
        }
        let distinctCounts = short.isEmpty ? [:] : try distinct(Set(short.values))
        let width = max(11, rows.map(\.0.count).max() ?? 0)
        func pad(_ s: String, _ n: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, n - s.count))
            return left ? s + fill : fill + s
        }
        print(pad("measurement", width, left: true) + "  " + pad("source", 14) + "  " + pad("target", 14))
        var missing = 0
        for (name, source, count) in rows {
            let unique = short[name].flatMap { distinctCounts[$0] } ?? source
            var note = count < unique ? "  MISSING \(ImportProgress.grouped(unique - count))" : ""
            if unique < source {
                note += "  (the file repeats \(ImportProgress.grouped(source - unique)) value\(source - unique == 1 ? "" : "s"): same series, field and time)"
            }
            if count < unique { missing += 1 }
            print(pad(name, width, left: true) + "  " + pad(ImportProgress.grouped(source), 14) + "  " + pad(ImportProgress.grouped(count), 14) + note)
        }
        let total = rows.reduce((0, 0)) { ($0.0 + $1.1, $0.1 + $1.2) }
        print(pad("total", width, left: true) + "  " + pad(ImportProgress.grouped(total.0), 14) + "  " + pad(ImportProgress.grouped(total.1), 14))
        if missing > 0 {
            print("\(missing) measurement\(missing == 1 ? " has" : "s have") fewer values in the target than in the source")
        } else {
            print("every value of the source is in the target")
        }
        return missing == 0
    }
}

/// Quoting of InfluxQL identifiers.
enum InfluxQLName {
    static func quote(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// Shows `ImportProgress`: a bar redrawn on a terminal, a plain line every 10 s otherwise.
final class ImportReporter {
    private let line: ProgressLine
    private let quiet: Bool
    private let plain: Bool
    private let started = Date()
    private var lastPlain = Date()
    private var lastUpdate = Date.distantPast
    var progress = ImportProgress()

    init(quiet: Bool) {
        line = ProgressLine(enabled: !quiet)
        self.quiet = quiet
        plain = !quiet && isatty(2) != 1
    }

    func update(values: Int, done: Int, total: Int) {
        progress.values = values
        progress.done = done
        progress.total = total
        // Called per point: the bar is formatted only a few times a second.
        let now = Date()
        guard now.timeIntervalSince(lastUpdate) >= 0.2 else { return }
        lastUpdate = now
        progress.elapsed = now.timeIntervalSince(started)
        line.show(progress.bar(width: Self.terminalWidth))
        if plain && Date().timeIntervalSince(lastPlain) >= 10 {
            lastPlain = Date()
            FileHandle.standardError.write(Data((progress.plainLine + "\n").utf8))
        }
    }

    /// Notes to the user, on standard error, never mixed into the bar.
    func note(_ text: String) {
        line.finish()
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    func finish() {
        progress.elapsed = Date().timeIntervalSince(started)
        line.finish()
        guard !quiet else { return }
        FileHandle.standardError.write(Data((progress.plainLine + " in " + ImportProgress.duration(progress.elapsed) + "\n").utf8))
    }

    static var terminalWidth: Int {
        var size = winsize()
        if ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 20 { return Int(size.ws_col) }
        return 80
    }
}
