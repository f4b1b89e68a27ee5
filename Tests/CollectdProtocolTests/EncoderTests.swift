import Testing

@testable import CollectdProtocol

/// A small deterministic generator so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Encoder")
struct EncoderTests {
    static func randomString(_ rng: inout SplitMix64, maxLength: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789_-.é€")
        let length = Int.random(in: 0...maxLength, using: &rng)
        var s = ""
        while s.utf8.count < length {
            let c = alphabet.randomElement(using: &rng)!
            if s.utf8.count + String(c).utf8.count > maxLength { break }
            s.append(c)
        }
        return s
    }

    static func randomValue(_ rng: inout SplitMix64) -> CollectdValue {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: .counter(rng.next())
        case 1:
            // Any bit pattern but NaN (NaN != NaN).
            { var d = Double(bitPattern: rng.next()); while d.isNaN { d = Double(bitPattern: rng.next()) }; return .gauge(d) }()
        case 2: .derive(Int64(bitPattern: rng.next()))
        default: .absolute(rng.next())
        }
    }

    static func randomLists(seed: UInt64, count: Int) -> [ValueList] {
        var rng = SplitMix64(state: seed)
        let hosts = (0..<3).map { _ in "h" + randomString(&rng, maxLength: 126) }
        return (0..<count).map { _ in
            ValueList(
                host: hosts.randomElement(using: &rng)!,
                plugin: "p" + randomString(&rng, maxLength: 20),
                pluginInstance: Bool.random(using: &rng) ? "" : randomString(&rng, maxLength: 127),
                type: "t" + randomString(&rng, maxLength: 12),
                typeInstance: randomString(&rng, maxLength: 30),
                time: Int64.random(in: 1...Int64.max / 2, using: &rng),
                interval: Int64.random(in: 0...3_600_000_000_000, using: &rng),
                values: (0..<Int.random(in: 1...12, using: &rng)).map { _ in randomValue(&rng) })
        }
    }

    @Test("decode(encode(x)) == x on random value lists", arguments: [
        (UInt64(1), 1452, SecurityLevel.none), (2, 1024, .none), (3, 65535, .none),
        (4, 1452, .sign), (5, 1452, .encrypt),
    ])
    func roundTrip(seed: UInt64, maxPacketSize: Int, level: SecurityLevel) throws {
        let lists = Self.randomLists(seed: seed, count: 500)
        var encoder = CollectdEncoder(maxPacketSize: maxPacketSize, username: "u", password: "pw", securityLevel: level)
        var packets: [[UInt8]] = []
        for list in lists { packets += encoder.append(list) }
        packets += encoder.flush()
        #expect(packets.count > 1 || maxPacketSize == 65535)
        #expect(packets.allSatisfy { $0.count <= maxPacketSize })
        let file = try TemporaryFile("u: pw\n")
        let decoder = CollectdDecoder(securityLevel: level, authFile: try AuthFile(path: file.path))
        var decoded: [ValueList] = []
        for packet in packets {
            let result = decoder.decode(packet)
            #expect(result.error == nil)
            decoded += result.valueLists
        }
        #expect(decoded == lists)
        #expect(encoder.droppedCount == 0)
    }

    @Test("only parts that changed are written; time_hr and interval_hr are used")
    func changedPartsOnly() {
        var encoder = CollectdEncoder()
        _ = encoder.append(.sample(typeInstance: "user"))
        let first = encoder.flush()[0]
        // host 10, time_hr 12, interval_hr 12, plugin 8, plugin_instance 6, type 8, type_instance 9, values 15
        #expect(first.count == 80)
        #expect(first[0..<2] == [0, 0] && first[10..<12] == [0, 8] && first[22..<24] == [0, 9])
        _ = encoder.append(.sample(typeInstance: "user"))
        _ = encoder.append(.sample(typeInstance: "nice"))
        _ = encoder.append(.sample(typeInstance: "nice", values: [.derive(1)]))
        let packet = encoder.flush()[0]
        #expect(packet.count == 80 + (9 + 15) + 15)
    }

    @Test("a full packet is returned when the next list does not fit; state restarts")
    func packetBoundary() {
        var encoder = CollectdEncoder(maxPacketSize: 1024)
        var packets: [[UInt8]] = []
        for i in 0..<200 { packets += encoder.append(.sample(typeInstance: "ti\(i % 7)")) }
        packets += encoder.flush()
        #expect(packets.count > 2)
        #expect(packets.allSatisfy { $0.count <= 1024 && $0.count > 900 || $0 == packets.last! })
        #expect(packets.flatMap { CollectdDecoder().decode($0).valueLists }.count == 200)
        #expect(encoder.flush().isEmpty)
    }

    @Test("lists without values or too big for any packet are dropped and counted")
    func dropped() {
        var encoder = CollectdEncoder(maxPacketSize: 1024)
        #expect(encoder.append(.sample(values: [])).isEmpty)
        #expect(encoder.append(.sample(values: Array(repeating: .gauge(1), count: 200))).isEmpty)
        #expect(encoder.droppedCount == 2)
        #expect(encoder.flush().isEmpty)
    }

    @Test("over-long strings are cut to collectd's limit")
    func longStrings() {
        var encoder = CollectdEncoder()
        _ = encoder.append(.sample(host: String(repeating: "x", count: 300)))
        let list = CollectdDecoder().decode(encoder.flush()[0]).valueLists.first
        #expect(list?.host.count == 127)
    }

    @Test("notifications round-trip in packets of their own", arguments: [SecurityLevel.none, .sign, .encrypt])
    func notifications(level: SecurityLevel) throws {
        let n = Notification(host: "h1", plugin: "df", pluginInstance: "", type: "df_complex", typeInstance: "free",
            time: 1_700_000_000_250_000_000, severity: .failure, message: String(repeating: "!", count: 255))
        var encoder = CollectdEncoder(username: "u", password: "pw", securityLevel: level)
        _ = encoder.append(.sample())
        let packets = encoder.append(n)
        #expect(packets.count == 1)
        let file = try TemporaryFile("u: pw\n")
        let decoded = CollectdDecoder(securityLevel: level, authFile: try AuthFile(path: file.path)).decode(packets[0])
        #expect(decoded.notifications == [n])
        #expect(decoded.valueLists.isEmpty)
        #expect(encoder.flush().count == 1)
    }
}
