import Foundation

/// `influx_inspect export` for the tests. Debian's influxdb package has influxd but not
/// influx_inspect, so `Tests/TestSupport/influx_export` (a small Go program over InfluxDB's
/// own tsm1 package from golang-github-influxdb-influxdb-dev) writes the same dump; it is
/// built once per test run with Debian's Go.
enum InfluxExport {
    static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TestSupport/influx_export").path
    static let gopath = "/usr/share/gocode"

    /// Whether Go and InfluxDB's Go sources are installed.
    static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/go")
            && FileManager.default.fileExists(atPath: gopath + "/src/github.com/influxdata/influxdb/tsdb/engine/tsm1")
    }

    /// Builds the exporter (cached under /tmp between runs by Go's build cache).
    static func build() throws -> String {
        let binary = NSTemporaryDirectory() + "collectlite-influx-export-\(getpid())"
        if FileManager.default.isExecutableFile(atPath: binary) { return binary }
        try run("/usr/bin/go", ["build", "-o", binary, "."], directory: source,
                environment: ["GO111MODULE": "off", "GOPATH": gopath, "GOCACHE": NSTemporaryDirectory() + "collectlite-go-cache",
                              "HOME": NSTemporaryDirectory(), "PATH": "/usr/bin:/bin"])
        return binary
    }

    /// Writes the dump of influxd's `data` and `wal` directories under `directory` to `out` (gzip with `compress`).
    static func export(influxDirectory: URL, to out: String, compress: Bool) throws {
        let binary = try build()
        var arguments = ["-datadir", influxDirectory.appendingPathComponent("data").path,
                         "-waldir", influxDirectory.appendingPathComponent("wal").path, "-out", out]
        if compress { arguments.append("-compress") }
        try run(binary, arguments, directory: NSTemporaryDirectory(), environment: [:])
    }

    static func run(_ executable: String, _ arguments: [String], directory: String, environment: [String: String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        if !environment.isEmpty { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw E2EError("\(executable) \(arguments.joined(separator: " ")) failed:\n\(String(decoding: output, as: UTF8.self))")
        }
    }
}
