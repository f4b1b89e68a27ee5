import Foundation
import Testing

@testable import collectlite

@Suite struct StartupChecksTests {
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "collectlite-checks-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func lockIsExclusiveAndRemovedOnRelease() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lock = try DataDirectoryLock(directory: dir)
        #expect(lock.stalePID == nil)
        #expect(try String(contentsOfFile: lock.path, encoding: .utf8) == "\(getpid())\n")
        // flock conflicts between open files, so a second open in this process is refused too.
        #expect {
            _ = try DataDirectoryLock(directory: dir)
        } throws: { error in
            guard case ConfigurationError.directoryInUse(let d, _, let pid) = error else { return false }
            return d == dir && pid == getpid()
        }
        lock.release()
        #expect(!FileManager.default.fileExists(atPath: lock.path))
        let again = try DataDirectoryLock(directory: dir)
        again.release()
    }

    @Test func lockFileOfADeadProcessIsStale() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "4000000\n".write(toFile: dir + "/collectlite.lock", atomically: false, encoding: .utf8)
        let lock = try DataDirectoryLock(directory: dir)
        defer { lock.release() }
        #expect(lock.stalePID == 4_000_000)
        #expect(try String(contentsOfFile: lock.path, encoding: .utf8) == "\(getpid())\n")
    }

    @Test func makeDirectoriesCreatesParentsAndRefusesFiles() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ServeCommand.makeDirectories(dir + "/a/b/c")
        try ServeCommand.makeDirectories(dir + "/a/b/c")
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: dir + "/a/b/c", isDirectory: &isDirectory) && isDirectory.boolValue)
        #expect(FileManager.default.createFile(atPath: dir + "/file", contents: nil))
        #expect(throws: ConfigurationError.cannotCreateDirectory(path: dir + "/file/x", reason: "\(dir)/file exists and is not a directory")) {
            try ServeCommand.makeDirectories(dir + "/file/x")
        }
    }

    @Test(arguments: [("127.0.0.1", true), ("127.1.2.3", true), ("::1", true), ("localhost", true),
                      ("0.0.0.0", false), ("::", false), ("192.168.1.5", false)])
    func loopbackAddresses(host: String, loopback: Bool) {
        #expect(ServeCommand.isLoopback(host) == loopback)
    }

    @Test(arguments: [
        ("qeury", "unknown command 'qeury'; did you mean 'query'?"),
        ("Query", "unknown command 'Query'; did you mean 'query'?"),
        ("serv", "unknown command 'serv'; did you mean 'serve'?"),
        ("users", "unknown command 'users'; did you mean 'user'?"),
        ("frobnicate", "unknown command 'frobnicate'; the commands are serve, query, import, backup, restore, types, send, user"),
    ])
    func unknownCommands(word: String, message: String) {
        #expect(Collectlite.unknownCommandMessage(word) == message)
    }

    @Test(arguments: ["serve", "query", "types", "send", "user", "help", "--help", "-h"])
    func knownCommandsAndOptionsPass(word: String) {
        #expect(Collectlite.unknownCommandMessage(word) == nil)
    }

    @Test func editDistanceCountsASwapAsOneEdit() {
        #expect(Collectlite.editDistance("qeury", "query") == 1)
        #expect(Collectlite.editDistance("", "abc") == 3)
        #expect(Collectlite.editDistance("kitten", "sitting") == 3)
    }

    @Test func notesForALocalDataDirectory() {
        let empty = QueryCommand.notes(for: "SELECT * FROM m", directory: "/d", databases: [], database: "collectd")
        #expect(empty.count == 1 && empty[0].hasPrefix("data directory /d holds no database") && empty[0].contains("--data-dir"))
        #expect(QueryCommand.notes(for: "SHOW DATABASES", directory: "/d", databases: [], database: "collectd").isEmpty)
        let other = QueryCommand.notes(for: "SHOW MEASUREMENTS", directory: "/d", databases: ["a", "b"], database: "collectd")
        #expect(other == ["database \"collectd\" is not in data directory /d, which holds a, b; choose one with --database, or give the directory `collectlite serve` writes to with --data-dir"])
        #expect(QueryCommand.notes(for: "SHOW MEASUREMENTS", directory: "/d", databases: ["collectd"], database: "collectd").isEmpty)
        let stats = QueryCommand.notes(for: "SHOW STATS", directory: "/d", databases: ["collectd"], database: "collectd")
        #expect(stats.count == 1 && stats[0].contains("--url"))
    }
}
