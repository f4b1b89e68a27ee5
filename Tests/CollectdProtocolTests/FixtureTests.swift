import Foundation
import Testing

@testable import CollectdProtocol

/// Packets captured from a real collectd 5.12 (Fixtures/capture.sh). The expected counts
/// were computed from the raw bytes with an independent script when they were captured.
@Suite("Real collectd captures")
struct FixtureTests {
    static let plugins: Set = [
        "cpu", "df", "disk", "interface", "load", "memory", "processes", "swap", "uptime", "users",
    ]

    static func authFile() throws -> AuthFile {
        try AuthFile(path: Repo.fixtures.appendingPathComponent("auth_file").path)
    }

    /// Decodes all datagrams of a mode and checks what every capture must satisfy.
    static func decodeAll(_ mode: String, _ decoder: CollectdDecoder) throws -> [DecodedPacket] {
        let datagrams = try Repo.datagrams(mode)
        #expect(datagrams.count >= 20)
        let packets = datagrams.map { decoder.decode($0) }
        for packet in packets {
            #expect(packet.error == nil)
            #expect(packet.dropped.isEmpty)
            for list in packet.valueLists {
                #expect(list.host == "fixturehost")
                #expect(list.interval == 1_000_000_000)
                #expect(list.time > 1_700_000_000_000_000_000)
                // Every list matches its types.db definition: count and kinds.
                let sources = TypesDB.embedded[list.type]
                #expect(sources?.map(\.kind) == list.values.map(\.kind), "\(list.identifier)")
            }
        }
        return packets
    }

    static func countByPlugin(_ packets: [DecodedPacket]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for list in packets.flatMap(\.valueLists) { counts[list.plugin, default: 0] += 1 }
        return counts
    }

    @Test("plain capture")
    func plain() throws {
        let packets = try Self.decodeAll("plain", CollectdDecoder())
        #expect(Self.countByPlugin(packets) == [
            "cpu": 98, "df": 120, "disk": 42, "interface": 128, "load": 8, "memory": 48,
            "processes": 49, "swap": 40, "uptime": 8, "users": 8,
        ])
        #expect(packets.reduce(0) { $0 + $1.valueCount } == 728)
        let lists = packets.flatMap(\.valueLists)
        let types = Set(lists.map(\.type))
        #expect(types.isSuperset(of: ["cpu", "if_octets", "load", "memory", "df_complex", "disk_octets", "swap", "ps_state", "uptime", "users"]))
        let load = try #require(lists.first { $0.type == "load" })
        #expect(load.values.count == 3)
        #expect(load.values.allSatisfy { $0.kind == .gauge })
        #expect(lists.first { $0.type == "if_octets" }?.values.map(\.kind) == [.derive, .derive])
        #expect(lists.contains { $0.plugin == "cpu" && $0.typeInstance == "idle" })
        // Packets stay within collectd's default MaxPacketSize.
        #expect(try Repo.datagrams("plain").allSatisfy { $0.count <= 1452 })
    }

    @Test("signed capture verifies with the auth file")
    func signed() throws {
        let packets = try Self.decodeAll("sign", CollectdDecoder(securityLevel: .sign, authFile: Self.authFile()))
        #expect(packets.allSatisfy { $0.user == "fixture" })
        #expect(Self.countByPlugin(packets) == [
            "cpu": 126, "df": 127, "disk": 40, "interface": 131, "load": 9, "memory": 49,
            "processes": 56, "swap": 45, "uptime": 9, "users": 9,
        ])
        #expect(packets.reduce(0) { $0 + $1.valueCount } == 790)
    }

    @Test("signed capture: other levels and auth settings")
    func signedElsewhere() throws {
        let datagram = try #require(try Repo.datagrams("sign").first)
        let unverified = CollectdDecoder().decode(datagram)
        #expect(unverified.error == nil && unverified.user == nil && !unverified.valueLists.isEmpty)
        let atEncrypt = CollectdDecoder(securityLevel: .encrypt, authFile: try Self.authFile()).decode(datagram)
        #expect(atEncrypt.error == .securityLevel(offset: 0, level: .encrypt))
        #expect(atEncrypt.valueLists.isEmpty)
        let noAuth = CollectdDecoder(securityLevel: .sign).decode(datagram)
        #expect(noAuth.error == .noAuthFile(offset: 0))
    }

    @Test("encrypted capture decrypts with the auth file")
    func encrypted() throws {
        let packets = try Self.decodeAll("encrypt", CollectdDecoder(securityLevel: .encrypt, authFile: Self.authFile()))
        #expect(packets.allSatisfy { $0.user == "fixture" })
        let counts = Self.countByPlugin(packets)
        #expect(Set(counts.keys) == Self.plugins)
        #expect(counts.values.reduce(0, +) > 400)
        let plainDecoder = CollectdDecoder()
        #expect(try Repo.datagrams("encrypt").allSatisfy { plainDecoder.decode($0).error == .noAuthFile(offset: 0) })
    }

    @Test("the encoder reproduces the plain capture's value lists")
    func reencode() throws {
        let lists = try Self.decodeAll("plain", CollectdDecoder()).flatMap(\.valueLists)
        var encoder = CollectdEncoder()
        var packets: [[UInt8]] = []
        for list in lists { packets += encoder.append(list) }
        packets += encoder.flush()
        #expect(packets.flatMap { CollectdDecoder().decode($0).valueLists } == lists)
    }
}
