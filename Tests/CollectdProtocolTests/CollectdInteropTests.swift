import Foundation
import Testing

@testable import CollectdProtocol

#if canImport(Glibc)
import Glibc
#endif

/// Packets written by CollectdEncoder are accepted by a real collectd 5.12 receiver
/// (network plugin, `SecurityLevel Sign`, auth file) and written out by its csv plugin.
@Suite("Interop with real collectd", .serialized)
struct CollectdInteropTests {
    static let collectd = "/usr/sbin/collectd"

    @Test("collectd accepts our signed and encrypted packets and rejects plain ones at level Sign")
    func collectdReceivesOurPackets() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.collectd) else {
            #expect(!Repo.isCI, "\(Self.collectd) is missing; CI must install collectd-core")
            return
        }
        let auth = try TemporaryFile("alice: s3cret\n", name: "auth_file")
        let directory = (auth.path as NSString).deletingLastPathComponent
        let port = try Self.freeUDPPort()
        let config = """
            Hostname "receiver"
            FQDNLookup false
            Interval 1
            BaseDir "\(directory)"
            PIDFile "\(directory)/collectd.pid"
            TypesDB "/usr/share/collectd/types.db"
            LoadPlugin logfile
            <Plugin logfile>
              LogLevel info
              File "\(directory)/collectd.log"
            </Plugin>
            LoadPlugin network
            LoadPlugin csv
            <Plugin network>
              <Listen "127.0.0.1" "\(port)">
                SecurityLevel Sign
                AuthFile "\(auth.path)"
              </Listen>
            </Plugin>
            <Plugin csv>
              DataDir "\(directory)/csv"
            </Plugin>
            """
        try (config + "\n").write(toFile: directory + "/collectd.conf", atomically: false, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.collectd)
        process.arguments = ["-f", "-C", directory + "/collectd.conf"]
        _ = FileManager.default.createFile(atPath: directory + "/collectd.out", contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/collectd.out"))
        process.standardOutput = output
        process.standardError = output
        try process.run()
        defer {
            // The test runner's blocked signal mask is inherited, so SIGTERM would stay
            // pending; collectd keeps no state worth a clean shutdown here.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let ready = Self.waitFor(seconds: 20) {
            (try? String(contentsOfFile: directory + "/collectd.log", encoding: .utf8))?.contains("Initialization complete") == true
        }
        let log = [directory + "/collectd.log", directory + "/collectd.out"]
            .map { (try? String(contentsOfFile: $0, encoding: .utf8)) ?? "" }.joined(separator: "\n")
        try #require(ready, "collectd did not start (running: \(process.isRunning)): \(log)")

        let time = Int64(Date().timeIntervalSince1970) * 1_000_000_000
        func load(_ host: String, _ value: Double) -> ValueList {
            ValueList(host: host, plugin: "load", type: "load", time: time, interval: 1_000_000_000,
                values: [.gauge(value), .gauge(value + 1), .gauge(value + 2)])
        }
        var packets: [[UInt8]] = []
        for (level, host) in [(SecurityLevel.none, "plain-host"), (.sign, "signed-host"), (.encrypt, "encrypted-host")] {
            var encoder = CollectdEncoder(username: "alice", password: "s3cret", securityLevel: level)
            _ = encoder.append(load(host, 0.25))
            packets += encoder.flush()
        }
        try Self.send(packets, port: port)

        let signed = directory + "/csv/signed-host/load/load-" + Self.today()
        let encrypted = directory + "/csv/encrypted-host/load/load-" + Self.today()
        let written = Self.waitFor(seconds: 20) {
            FileManager.default.fileExists(atPath: signed) && FileManager.default.fileExists(atPath: encrypted)
        }
        #expect(written, "collectd wrote no csv for our packets")
        let csv = (try? String(contentsOfFile: signed, encoding: .utf8)) ?? ""
        #expect(csv.contains("0.250000,1.250000,2.250000"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/csv/plain-host"))
    }

    static func today() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = .current
        return formatter.string(from: Date())
    }

    /// Polls `condition` until it holds or the deadline passes (collectd gives no other signal).
    static func waitFor(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }

    static func freeUDPPort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                guard bind(fd, raw, length) == 0, getsockname(fd, raw, &length) == 0 else {
                    throw CollectdProtocolError.unreadableFile(path: "udp", reason: "bind failed")
                }
            }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    static func send(_ packets: [[UInt8]], port: UInt16) throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        for packet in packets {
            let sent = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                    packet.withUnsafeBytes {
                        sendto(fd, $0.baseAddress, $0.count, 0, raw, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
            #expect(sent == packet.count)
        }
    }
}
