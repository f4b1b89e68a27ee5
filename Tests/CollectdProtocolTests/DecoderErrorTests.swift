import Testing

@testable import CollectdProtocol

/// Every malformed-input path: the value lists before the fault are kept, and the error
/// names the fault and the byte offset of the part.
@Suite("Decoder errors")
struct DecoderErrorTests {
    enum Fault: String, CaseIterable {
        case lengthTooSmall, lengthPastEnd, missingNUL, emptyString, stringTooLong,
            messageTooLong, countMismatch, zeroCount, unknownValueKind, badNumberLength
    }

    /// A valid value list, then the fault; returns the bytes and the fault's offset.
    static func packet(with fault: Fault) -> ([UInt8], Int) {
        var p = PacketBuilder()
        p.identity()
        p.values([(0, 1)])
        let offset = p.bytes.count
        switch fault {
        case .lengthTooSmall: p.u16(0); p.u16(3); p.bytes += [0, 0, 0, 0]
        case .lengthPastEnd: p.u16(0); p.u16(100); p.bytes += [0x61, 0]
        case .missingNUL: p.u16(2); p.u16(7); p.bytes += [0x61, 0x62, 0x63]
        case .emptyString: p.u16(2); p.u16(4)
        case .stringTooLong: p.string(.host, String(repeating: "x", count: 128))
        case .messageTooLong: p.number(.severity, 1); p.string(.message, String(repeating: "m", count: 256))
        case .countMismatch: p.u16(6); p.u16(15); p.u16(2); p.bytes += [0] + [UInt8](repeating: 0, count: 8)
        case .zeroCount: p.u16(6); p.u16(6); p.u16(0)
        case .unknownValueKind: p.u16(6); p.u16(15); p.u16(1); p.bytes += [4] + [UInt8](repeating: 0, count: 8)
        case .badNumberLength: p.u16(1); p.u16(13); p.bytes += [UInt8](repeating: 0, count: 9)
        }
        let faultOffset = fault == .messageTooLong ? offset + 12 : offset
        // A valid list after the fault must not be decoded.
        p.values([(0, 2)])
        return (p.bytes, faultOffset)
    }

    static func expected(_ fault: Fault, offset: Int, size: Int) -> CollectdProtocolError {
        switch fault {
        case .lengthTooSmall: .lengthTooSmall(offset: offset, length: 3)
        case .lengthPastEnd: .lengthPastEnd(offset: offset, length: 100, available: size - offset)
        case .missingNUL, .emptyString: .missingNUL(offset: offset)
        case .stringTooLong: .stringTooLong(offset: offset, length: 129, limit: 128)
        case .messageTooLong: .stringTooLong(offset: offset, length: 257, limit: 256)
        case .countMismatch: .countMismatch(offset: offset, count: 2, length: 15)
        case .zeroCount: .countMismatch(offset: offset, count: 0, length: 6)
        case .unknownValueKind: .unknownValueKind(offset: offset, kind: 4)
        case .badNumberLength: .badNumberLength(offset: offset, length: 13)
        }
    }

    @Test("malformed part", arguments: Fault.allCases)
    func malformed(_ fault: Fault) {
        let (bytes, offset) = Self.packet(with: fault)
        let packet = CollectdDecoder().decode(bytes)
        #expect(packet.error == Self.expected(fault, offset: offset, size: bytes.count))
        #expect(packet.valueLists.count == 1)
        #expect(packet.valueLists.first?.values == [.counter(1)])
        #expect(packet.error?.offset == offset)
        #expect(packet.error?.reason.isEmpty == false)
    }

    @Test("fewer than four bytes at the end: truncated header")
    func truncatedHeaderAtEnd() {
        var p = PacketBuilder()
        p.identity()
        p.values([(0, 1)])
        let offset = p.bytes.count
        p.bytes += [0, 6, 0]
        let packet = CollectdDecoder().decode(p.bytes)
        #expect(packet.error == .truncatedHeader(offset: offset))
        #expect(packet.error?.reason == "truncated")
        #expect(packet.valueLists.count == 1)
    }

    @Test("an empty datagram is no error")
    func empty() {
        let packet = CollectdDecoder().decode([])
        #expect(packet.error == nil)
        #expect(packet.valueLists.isEmpty)
    }

    @Test("reasons are stable labels")
    func reasons() {
        #expect(CollectdProtocolError.missingNUL(offset: 0).reason == "bad_string")
        #expect(CollectdProtocolError.lengthPastEnd(offset: 0, length: 9, available: 1).reason == "truncated")
        #expect(CollectdProtocolError.badSignature(offset: 0, user: "u").reason == "bad_signature")
        #expect(CollectdProtocolError.unknownUser(offset: 0, user: "u").reason == "unknown_user")
        #expect(CollectdProtocolError.securityLevel(offset: 0, level: .sign).reason == "security_level")
        #expect("\(CollectdProtocolError.countMismatch(offset: 12, count: 2, length: 15))".contains("byte 12"))
    }
}
