import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// `collectlite serve` started where it cannot work: it must exit non-zero within seconds
/// with a message naming the thing and the reason, instead of running and losing data.
@Suite(.serialized) struct StartupFailureEndToEndTests {
    static func serve(_ dir: String, collectd: String = "127.0.0.1:0", http: String = "127.0.0.1:0") throws -> ServerProcess {
        try ServerProcess.collectlite(["serve", "--data-dir", dir, "--collectd-bind", collectd, "--http-bind", http])
    }

    /// Expects `server` to end by itself within 15 s with a non-zero status and `message` in its output.
    static func expectFailure(_ server: ServerProcess, _ message: String, sourceLocation: SourceLocation = #_sourceLocation) async {
        let status = await server.exitStatus(within: .seconds(15))
        #expect(status != nil && status != 0, "status \(status.map(String.init) ?? "still running after 15 s"); log:\n\(server.log)",
                sourceLocation: sourceLocation)
        #expect(server.log.contains(message), "no \"\(message)\" in:\n\(server.log)", sourceLocation: sourceLocation)
    }

    @Test func secondServerOnTheSameCollectdPortFails() async throws {
        let (a, b) = (try TemporaryDirectory("udp-a"), try TemporaryDirectory("udp-b"))
        defer { a.remove(); b.remove() }
        let first = try Self.serve(a.path)
        let port = try await first.collectdPort()
        let second = try Self.serve(b.path, collectd: "127.0.0.1:\(port)")
        await Self.expectFailure(second, "cannot listen on udp://127.0.0.1:\(port)")
        #expect(second.log.contains("Address already in use"), "\(second.log)")
        #expect(first.isRunning)
        await ServeEndToEndTests.stop(first)
    }

    @Test func secondServerOnTheSameDataDirectoryFails() async throws {
        let dir = try TemporaryDirectory("lock")
        defer { dir.remove() }
        let first = try Self.serve(dir.path)
        _ = try await first.collectdPort()
        let lockFile = dir.path + "/collectlite.lock"
        #expect(try String(contentsOfFile: lockFile, encoding: .utf8) == "\(first.pid)\n")

        let second = try Self.serve(dir.path)
        await Self.expectFailure(second, "data directory \(dir.path) is in use by another collectlite (pid \(first.pid))")
        #expect(first.isRunning)
        await ServeEndToEndTests.stop(first)
        #expect(!FileManager.default.fileExists(atPath: lockFile), "the lock file outlives its server")
    }

    @Test func lockLeftByAKilledServerIsTakenOver() async throws {
        let dir = try TemporaryDirectory("stale")
        defer { dir.remove() }
        let first = try Self.serve(dir.path)
        _ = try await first.collectdPort()
        first.signal(SIGKILL)
        _ = await first.waitForExit()
        #expect(FileManager.default.fileExists(atPath: dir.path + "/collectlite.lock"))

        let second = try Self.serve(dir.path)
        _ = try await second.collectdPort()
        #expect(second.log.contains("stale lock \(dir.path)/collectlite.lock left by pid \(first.pid)"), "\(second.log)")
        await ServeEndToEndTests.stop(second)
    }

    @Test func busyHTTPPortFails() async throws {
        let dir = try TemporaryDirectory("http")
        defer { dir.remove() }
        let listener = try TCPListener()
        defer { listener.close() }
        let server = try Self.serve(dir.path, http: "127.0.0.1:\(listener.port)")
        await Self.expectFailure(server, "cannot listen on http://127.0.0.1:\(listener.port): Address already in use")
        #expect(!server.log.contains("(errno:"), "NIO's raw error text leaks: \(server.log)")
    }

    @Test func openHTTPWithoutAuthWarns() async throws {
        let dir = try TemporaryDirectory("open")
        defer { dir.remove() }
        let open = try Self.serve(dir.path, http: "0.0.0.0:0")
        _ = try await open.collectdPort()
        await ServeEndToEndTests.stop(open)
        #expect(open.log.contains("HTTP API on 0.0.0.0:0 has no authentication"), "\(open.log)")
        #expect(open.log.contains("--http-auth-file"))

        let loopback = try Self.serve(dir.path)
        _ = try await loopback.collectdPort()
        await ServeEndToEndTests.stop(loopback)
        #expect(!loopback.log.contains("has no authentication"))
    }

    // As root every file is writable, so these run the server as `nobody`.

    @Test func unwritableDataDirectoryFails() async throws {
        let dir = try TemporaryDirectory("ro-dir")
        defer { dir.remove() }
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir.path)
        let server = try ServerProcess.unprivileged(["serve", "--data-dir", dir.path, "--collectd-bind", "127.0.0.1:0", "--http-bind", "127.0.0.1:0"])
        await Self.expectFailure(server, "data directory \(dir.path) is not writable: Permission denied")
        #expect(!server.log.contains("listening"))
    }

    @Test func dataDirectoryThatCannotBeCreatedFails() async throws {
        let dir = try TemporaryDirectory("ro-parent")
        defer { dir.remove() }
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir.path)
        let target = dir.path + "/data/sub"
        let server = try ServerProcess.unprivileged(["serve", "--data-dir", target, "--collectd-bind", "127.0.0.1:0", "--http-bind", "127.0.0.1:0"])
        await Self.expectFailure(server, "cannot create data directory \(target): \(dir.path)/data: Permission denied")
    }

    @Test func unwritableDatabaseFileFails() async throws {
        let dir = try TemporaryDirectory("ro-file")
        defer { dir.remove() }
        let file = dir.path + "/collectd.sqlite"
        #expect(FileManager.default.createFile(atPath: file, contents: nil, attributes: [.posixPermissions: 0o444]))
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: dir.path)
        let server = try ServerProcess.unprivileged(["serve", "--data-dir", dir.path, "--collectd-bind", "127.0.0.1:0", "--http-bind", "127.0.0.1:0"])
        await Self.expectFailure(server, "database file \(file) is not writable: Permission denied")
    }
}

extension ServerProcess {
    /// `collectlite` as user `nobody` when the tests run as root (through `setpriv`), else as is.
    static func unprivileged(_ arguments: [String]) throws -> ServerProcess {
        guard getuid() == 0 else { return try collectlite(arguments) }
        let setpriv = "/usr/bin/setpriv"
        guard FileManager.default.isExecutableFile(atPath: setpriv) else {
            throw E2EError("running as root and \(setpriv) is missing (util-linux): cannot drop to an unprivileged user")
        }
        return try ServerProcess(
            executable: setpriv,
            arguments: ["--reuid=nobody", "--regid=nogroup", "--clear-groups", try binaryForOthers()] + arguments)
    }

    /// The collectlite binary at a path any user may execute: the build's own when every
    /// directory above it is searchable by others, else a copy in the temporary directory
    /// (a clone under /root is not), removed when the tests end.
    static func binaryForOthers() throws -> String {
        let binary = try collectliteBinary()
        if reachableByOthers(binary) { return binary }
        let copy = othersCopyDirectory + "/collectlite"
        if !FileManager.default.fileExists(atPath: copy) {
            try FileManager.default.createDirectory(atPath: othersCopyDirectory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o755])
            try FileManager.default.copyItem(atPath: binary, toPath: copy)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy)
            atexit { _ = try? FileManager.default.removeItem(atPath: othersCopyDirectory) }
        }
        return copy
    }

    static func reachableByOthers(_ path: String) -> Bool {
        var url = URL(fileURLWithPath: path)
        var info = stat()
        guard stat(url.path, &info) == 0, info.st_mode & S_IXOTH != 0 else { return false }
        while url.path != "/" {
            url.deleteLastPathComponent()
            guard stat(url.path, &info) == 0, info.st_mode & S_IXOTH != 0 else { return false }
        }
        return true
    }

    /// The exit status once the process has ended; nil (and the process killed) after `limit`.
    func exitStatus(within limit: Duration) async -> Int32? {
        await withTaskGroup(of: Int32?.self) { group in
            group.addTask { await self.waitForExit() }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = await group.next() ?? nil
            if first == nil {
                signal(SIGKILL)
                _ = await group.next()
            } else {
                group.cancelAll()
            }
            return first
        }
    }
}

private let othersCopyDirectory = NSTemporaryDirectory() + "collectlite-e2e-nobody-\(getpid())"

/// A TCP socket listening on a free loopback port, to make an address busy.
final class TCPListener {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard ok else {
            Glibc.close(fd)
            throw E2EError("cannot listen on a loopback TCP port: errno \(errno)")
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { Glibc.close(fd) }
}
