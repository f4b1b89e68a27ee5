import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A throw-away influxd 1.x on ephemeral localhost ports, driven through curl.
final class LiveInflux {
    let directory: URL
    let port: Int
    let process: Process
    var url: String { "http://127.0.0.1:\(port)" }

    static var binary: String? {
        let path = ProcessInfo.processInfo.environment["INFLUXD"] ?? "/usr/bin/influxd"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Int32 in
                guard bind(fd, p, len) == 0 else { return -1 }
                return getsockname(fd, p, &len)
            }
        }
        guard bound == 0 else { throw CocoaError(.fileWriteUnknown) }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    init(binary: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("influx-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try Self.freePort()
        let rpc = try Self.freePort()
        let d = directory.path
        let config = """
            reporting-disabled = true
            bind-address = "127.0.0.1:\(rpc)"
            [meta]
              dir = "\(d)/meta"
            [data]
              dir = "\(d)/data"
              wal-dir = "\(d)/wal"
              query-log-enabled = false
            [monitor]
              store-enabled = false
            [http]
              bind-address = "127.0.0.1:\(port)"
              log-enabled = false
            """
        let conf = directory.appendingPathComponent("influxdb.conf")
        try config.write(to: conf, atomically: true, encoding: .utf8)
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-config", conf.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // influxd offers no readiness signal other than answering /ping.
        for _ in 0..<400 {
            if (try? curl(["-sf", "\(url)/ping"])) != nil { return }
            usleep(25_000)
        }
        stop()
        throw CocoaError(.fileReadUnknown)
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    @discardableResult
    func curl(_ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw CocoaError(.fileReadUnknown) }
        return String(decoding: data, as: UTF8.self)
    }

    func write(lineProtocol: String, database: String) throws {
        let file = directory.appendingPathComponent("data.lp")
        try lineProtocol.write(to: file, atomically: true, encoding: .utf8)
        try curl(["-sf", "-XPOST", "\(url)/write?db=\(database)", "--data-binary", "@\(file.path)"])
    }

    func query(_ q: String, database: String?, epoch: String?) throws -> String {
        var args = ["-s", "-XPOST", "\(url)/query", "--data-urlencode", "q=\(q)"]
        if let database { args += ["--data-urlencode", "db=\(database)"] }
        if let epoch { args += ["--data-urlencode", "epoch=\(epoch)"] }
        return try curl(args).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
