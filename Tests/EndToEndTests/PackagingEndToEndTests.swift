import Foundation
import Testing

/// `Packaging/build-deb.sh` on the debug build: the package's contents, and (as root, where
/// dpkg exists) `dpkg -i` on this machine, the installed binary, its configuration file and
/// `systemd-analyze verify` of the unit; the package is purged afterwards.
@Suite(.serialized) struct PackagingEndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @discardableResult
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Every option `serve --help` lists appears (commented) in the packaged configuration file.
    @Test func configurationFileListsEveryServeOption() throws {
        let (status, help) = try Self.run(try ServerProcess.collectliteBinary(), ["serve", "--help"])
        #expect(status == 0)
        let options = Set(help.matches(of: /--([a-z][a-z0-9-]+)/).map { String($0.1) }).subtracting(["config", "help", "version"])
        #expect(options.count >= 20, "\(options)")
        let toml = try String(contentsOf: Self.root.appendingPathComponent("Packaging/collectlite.toml"), encoding: .utf8)
        for option in options.sorted() {
            #expect(toml.contains("\n# \(option) = "), "Packaging/collectlite.toml does not list \(option)")
        }
    }

    @Test func debPackageBuildsInstallsAndRuns() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg-deb") else {
            if Environment.isCI { Issue.record("dpkg-deb not found; required under CI=true") }
            return
        }
        let binary = try ServerProcess.collectliteBinary()
        let out = try TemporaryDirectory("deb")
        defer { out.remove() }
        let script = Self.root.appendingPathComponent("Packaging/build-deb.sh").path
        let (status, log) = try Self.run(script, ["--binary", binary, "--out", out.path], environment: ["COLLECTLITE_DEB_COMPRESSION": "gzip"])
        #expect(status == 0, "\(log)")
        let deb = log.split(separator: "\n").last.map(String.init) ?? ""
        #expect(deb.hasSuffix(".deb") && FileManager.default.fileExists(atPath: deb), "\(log)")

        let (_, contents) = try Self.run("/usr/bin/dpkg-deb", ["-c", deb])
        for path in ["./usr/bin/collectlite", "./lib/systemd/system/collectlite.service", "./etc/collectlite/collectlite.toml",
                     "./usr/share/collectlite/dashboards/collectd-host.json", "./usr/share/collectlite/dashboards/collectd-fleet.json",
                     "./usr/share/collectlite/provisioning/dashboards/collectlite.yaml",
                     "./usr/share/collectlite/provisioning/datasources/collectlite.yaml"] {
            #expect(contents.contains(" " + path + "\n"), "\(path) missing from the package:\n\(contents)")
        }
        let (_, conffiles) = try Self.run("/usr/bin/dpkg-deb", ["-I", deb, "conffiles"])
        #expect(conffiles.trimmingCharacters(in: .whitespacesAndNewlines) == "/etc/collectlite/collectlite.toml")
        let (_, control) = try Self.run("/usr/bin/dpkg-deb", ["-f", deb, "Version"])
        let (_, version) = try Self.run(binary, ["--version"])
        #expect(version.hasPrefix(control.trimmingCharacters(in: .whitespacesAndNewlines) + " (commit "), "\(control) / \(version)")

        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg") else {
            if Environment.isCI { Issue.record("dpkg -i needs root; CI runs as root") }
            return
        }
        let (installed, installLog) = try Self.run("/usr/bin/dpkg", ["-i", deb])
        defer { _ = try? Self.run("/usr/bin/dpkg", ["--purge", "collectlite"]) }
        #expect(installed == 0, "\(installLog)")
        let (versionStatus, installedVersion) = try Self.run("/usr/bin/collectlite", ["--version"])
        #expect(versionStatus == 0)
        #expect(installedVersion == version)
        let (helpStatus, help) = try Self.run("/usr/bin/collectlite", ["serve", "--help"])
        #expect(helpStatus == 0 && help.contains("--config"), "\(help)")
        #expect(try Self.run("/usr/bin/getent", ["passwd", "collectlite"]).0 == 0, "postinst made no collectlite user")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze") {
            let (verified, verifyLog) = try Self.run("/usr/bin/systemd-analyze", ["verify", "/lib/systemd/system/collectlite.service"])
            #expect(verified == 0, "\(verifyLog)")
            #expect(!verifyLog.contains("collectlite.service:"), "\(verifyLog)")
        }
        // The installed configuration file is read as it is (every line a comment) by serve.
        let data = try TemporaryDirectory("deb-serve")
        defer { data.remove() }
        let server = try ServerProcess(executable: "/usr/bin/collectlite", arguments: [
            "serve", "--config", "/etc/collectlite/collectlite.toml", "--data-dir", data.path,
            "--collectd-bind", "127.0.0.1:0", "--http-bind", "127.0.0.1:0",
        ])
        _ = try await server.httpPort()
        #expect(server.log.contains("setting config = /etc/collectlite/collectlite.toml"), "\(server.log)")
        server.signal(SIGTERM)
        #expect(await server.waitForExit() == 0, "\(server.log)")
    }
}
