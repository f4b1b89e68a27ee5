import ArgumentParser
import CollectdProtocol

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `collectlite send --to HOST:PORT`: sends value lists in collectd's binary protocol,
/// as collectd's network plugin would, to test a receiver (collectlite, InfluxDB, collectd).
struct SendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send collectd value lists (given or synthetic) to a collectd receiver over UDP.",
        discussion: """
            Given value lists use collectd's PUTVAL notation, IDENTIFIER=TIME:V1[:V2…], \
            e.g. --value web1/load/load=N:0.5:0.4:0.3 or --value web1/cpu-0/cpu-idle=N:1234 \
            (TIME N means now; the value kinds come from the type's types.db definition). \
            Without --value, synthetic cpu, interface, load and memory value lists are sent \
            for --hosts hosts, --count rounds at --rate rounds per second.
            """
    )

    @Option(help: ArgumentHelp("Receiver address, HOST:PORT or HOST (port 25826).", valueName: "host:port"))
    var to: String

    @Option(name: .customLong("value"), help: ArgumentHelp("A value list IDENTIFIER=TIME:V1[:V2…] (repeatable).", valueName: "putval"))
    var values: [String] = []

    @Option(help: "Synthetic hosts per round.")
    var hosts: Int = 1

    @Option(help: "Rounds to send (every host's value lists once per round).")
    var count: Int = 1

    @Option(help: "Rounds per second (0: as fast as possible).")
    var rate: Double = 1

    @Option(name: .customLong("security-level"), help: "none, sign or encrypt.")
    var securityLevel: String = "none"

    @Option(help: "User name for sign/encrypt.")
    var username: String?

    @Option(help: "Password for sign/encrypt.")
    var password: String?

    @Option(name: .customLong("max-packet-size"), help: "Largest datagram (1024…65535).")
    var maxPacketSize: Int = 1452

    @Option(name: .customLong("typesdb"), help: ArgumentHelp("Extra types.db file or directory for --value kinds.", valueName: "path"))
    var typesDB: [String] = []

    @Flag(help: "Print a line per round.")
    var verbose = false

    func validate() throws {
        guard let level = SecurityLevel(rawValue: securityLevel) else {
            throw ValidationError("--security-level must be none, sign or encrypt")
        }
        if level != .none, username == nil || password == nil {
            throw ValidationError("--security-level \(securityLevel) needs --username and --password")
        }
        guard hosts >= 1, count >= 1, rate >= 0 else {
            throw ValidationError("--hosts and --count must be at least 1, --rate not negative")
        }
        guard (1024...65535).contains(maxPacketSize) else {
            throw ValidationError("--max-packet-size must be within 1024…65535")
        }
    }

    func run() throws {
        var db = TypesDB.embedded
        for path in typesDB { try db.load(path: path) }
        let given = try values.map { try Self.parseValueList($0, typesDB: db, now: Self.now()) }
        let socket = try UDPSender(address: to)
        defer { socket.close() }
        var encoder = CollectdEncoder(
            maxPacketSize: maxPacketSize, username: username, password: password,
            securityLevel: SecurityLevel(rawValue: securityLevel) ?? .none)
        var synthetic = SyntheticValueLists(hosts: hosts)
        var packets = 0
        var lists = 0
        let started = Self.now()
        for round in 0..<(given.isEmpty ? count : 1) {
            let batch = given.isEmpty ? synthetic.next(time: Self.now()) : given
            for list in batch {
                for packet in encoder.append(list) { try socket.send(packet); packets += 1 }
            }
            for packet in encoder.flush() { try socket.send(packet); packets += 1 }
            lists += batch.count
            if verbose { print("round \(round + 1): \(batch.count) value lists") }
            if rate > 0, round + 1 < count, given.isEmpty {
                let due = started + Int64(Double(round + 1) / rate * 1e9)
                let wait = due - Self.now()
                if wait > 0 { usleep(useconds_t(min(wait / 1000, 60_000_000))) }
            }
        }
        print("sent \(lists) value lists in \(packets) packets to \(to)"
            + (encoder.droppedCount > 0 ? " (\(encoder.droppedCount) dropped: too large or empty)" : ""))
    }

    /// Wall-clock nanoseconds since the epoch.
    static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }
}
