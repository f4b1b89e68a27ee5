import Foundation
import Testing

@testable import CollectdProtocol

@Suite("Signing, encryption, auth file")
struct SecurityTests {
    static let lists = (0..<5).map { ValueList.sample(typeInstance: "t\($0)", values: [.derive(Int64($0))]) }

    static func encode(_ level: SecurityLevel, user: String = "alice", password: String = "secret") -> [UInt8] {
        var encoder = CollectdEncoder(username: user, password: password, securityLevel: level)
        var packets: [[UInt8]] = []
        for list in lists { packets += encoder.append(list) }
        packets += encoder.flush()
        precondition(packets.count == 1)
        return packets[0]
    }

    static func auth(_ text: String = "alice: secret\nbob: hunter2\n") throws -> (TemporaryFile, AuthFile) {
        let file = try TemporaryFile(text, name: "auth_file")
        return (file, try AuthFile(path: file.path))
    }

    @Test("signed and encrypted packets decode at the levels that accept them", arguments: [
        (SecurityLevel.sign, SecurityLevel.none), (.sign, .sign),
        (.encrypt, .none), (.encrypt, .sign), (.encrypt, .encrypt),
    ])
    func accepted(sent: SecurityLevel, level: SecurityLevel) throws {
        let (_, auth) = try Self.auth()
        let packet = CollectdDecoder(securityLevel: level, authFile: auth).decode(Self.encode(sent))
        #expect(packet.error == nil)
        #expect(packet.valueLists == Self.lists)
        #expect(packet.user == "alice")
    }

    @Test("parts the level does not accept", arguments: [
        (SecurityLevel.none, SecurityLevel.sign), (.none, .encrypt), (.sign, .encrypt),
    ])
    func rejected(sent: SecurityLevel, level: SecurityLevel) throws {
        let (_, auth) = try Self.auth()
        let packet = CollectdDecoder(securityLevel: level, authFile: auth).decode(Self.encode(sent))
        #expect(packet.error == .securityLevel(offset: 0, level: level))
        #expect(packet.valueLists.isEmpty)
    }

    @Test("altered signed packet: bad signature")
    func alteredSignature() throws {
        let (_, auth) = try Self.auth()
        var bytes = Self.encode(.sign)
        bytes[bytes.count - 1] ^= 1
        let packet = CollectdDecoder(securityLevel: .sign, authFile: auth).decode(bytes)
        #expect(packet.error == .badSignature(offset: 0, user: "alice"))
        #expect(packet.valueLists.isEmpty)
    }

    @Test("signed with a wrong password: bad signature")
    func wrongPasswordSigned() throws {
        let (_, auth) = try Self.auth()
        let packet = CollectdDecoder(securityLevel: .sign, authFile: auth).decode(Self.encode(.sign, password: "guess"))
        #expect(packet.error?.reason == "bad_signature")
    }

    @Test("encrypted with a wrong password: SHA-1 mismatch")
    func wrongPasswordEncrypted() throws {
        let (_, auth) = try Self.auth()
        let packet = CollectdDecoder(securityLevel: .encrypt, authFile: auth).decode(Self.encode(.encrypt, password: "guess"))
        #expect(packet.error == .badChecksum(offset: 0, user: "alice"))
        #expect(packet.valueLists.isEmpty)
    }

    @Test("altered ciphertext: SHA-1 mismatch")
    func alteredCiphertext() throws {
        let (_, auth) = try Self.auth()
        var bytes = Self.encode(.encrypt)
        bytes[bytes.count - 3] ^= 0x40
        let packet = CollectdDecoder(securityLevel: .encrypt, authFile: auth).decode(bytes)
        #expect(packet.error?.reason == "bad_checksum")
    }

    @Test("unknown user", arguments: [SecurityLevel.sign, .encrypt])
    func unknownUser(sent: SecurityLevel) throws {
        let (_, auth) = try Self.auth()
        let packet = CollectdDecoder(securityLevel: .sign, authFile: auth).decode(Self.encode(sent, user: "mallory"))
        #expect(packet.error == .unknownUser(offset: 0, user: "mallory"))
    }

    @Test("encrypted part at level none without auth file")
    func encryptedWithoutAuthFile() {
        let packet = CollectdDecoder().decode(Self.encode(.encrypt))
        #expect(packet.error == .noAuthFile(offset: 0))
        #expect(packet.error?.reason == "no_auth_file")
    }

    @Test("signed part without auth file: accepted unverified at level none only")
    func signedWithoutAuthFile() {
        let none = CollectdDecoder().decode(Self.encode(.sign))
        #expect(none.error == nil && none.valueLists == Self.lists && none.user == nil)
        #expect(CollectdDecoder(securityLevel: .sign).decode(Self.encode(.sign)).error == .noAuthFile(offset: 0))
    }

    @Test("plain value lists before a rejected part are kept at level none, and signed content is a fresh packet")
    func freshStateAfterSignature() throws {
        let (_, auth) = try Self.auth()
        var p = PacketBuilder()
        p.identity(host: "outer")
        p.values([(0, 1)])
        let packet = CollectdDecoder(authFile: auth).decode(p.bytes + Self.encode(.sign))
        #expect(packet.valueLists.map(\.host) == ["outer"] + Self.lists.map(\.host))
        #expect(packet.error == nil)
    }

    @Test("malformed security parts")
    func malformedSecurityParts() throws {
        let (_, auth) = try Self.auth()
        var shortSignature = PacketBuilder()
        shortSignature.u16(PartType.signature.rawValue)
        shortSignature.u16(36)
        shortSignature.bytes += [UInt8](repeating: 0, count: 32)
        #expect(CollectdDecoder(authFile: auth).decode(shortSignature.bytes).error == .malformedSecurityPart(offset: 0))
        var noUser = PacketBuilder()
        noUser.u16(PartType.encryption.rawValue)
        noUser.u16(60)
        noUser.u16(0)
        noUser.bytes += [UInt8](repeating: 0, count: 54)
        #expect(CollectdDecoder(authFile: auth).decode(noUser.bytes).error == .malformedSecurityPart(offset: 0))
    }

    @Test("auth file format")
    func authFileFormat() {
        let parsed = AuthFile.parse("# comment\n\nalice: secret\n  bob:pw with spaces \r\nnocolon\n: nouser\ncarol:   \n")
        #expect(parsed == ["alice": "secret", "bob": "pw with spaces ", "carol": ""])
    }

    @Test("auth file is read again when it changes")
    func authFileReload() throws {
        let (file, auth) = try Self.auth("alice: secret\n")
        #expect(auth.password(for: "alice") == "secret")
        #expect(auth.password(for: "dave") == nil)
        try file.rewrite("alice: changed-password\ndave: x\n")
        #expect(auth.password(for: "alice") == "changed-password")
        #expect(auth.password(for: "dave") == "x")
        #expect(auth.users == ["alice", "dave"])
        #expect(throws: CollectdProtocolError.self) { try AuthFile(path: file.path + ".missing") }
    }
}
