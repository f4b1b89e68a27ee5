import NIOCore

/// Decodes datagrams of collectd's binary network protocol.
///
/// Pure: a decoder holds only its configuration, and `decode` maps bytes to a sink's calls.
/// The parser itself allocates nothing for plain packets: identity strings stay views into
/// the datagram until a sink copies them (`DecodedPacket` does; the receiver does not).
public struct CollectdDecoder: Sendable {
    public var securityLevel: SecurityLevel
    public var authFile: AuthFile?

    /// How deep signed/encrypted content may nest inside signed/encrypted content.
    static let maxNesting = 4

    public init(securityLevel: SecurityLevel = .none, authFile: AuthFile? = nil) {
        self.securityLevel = securityLevel
        self.authFile = authFile
    }

    /// Decodes one datagram (its readable bytes).
    public func decode(_ datagram: ByteBuffer) -> DecodedPacket {
        datagram.withUnsafeReadableBytes { decode(raw: $0) }
    }

    /// Decodes one datagram given as bytes.
    public func decode(_ bytes: [UInt8]) -> DecodedPacket {
        bytes.withUnsafeBytes { decode(raw: $0) }
    }

    /// Decodes one datagram in memory.
    public func decode(raw bytes: UnsafeRawBufferPointer) -> DecodedPacket {
        var packet = DecodedPacket()
        // A value list takes at least 15 bytes, typically 25–40 in collectd packets.
        packet.valueLists.reserveCapacity(min(bytes.count / 24, 256))
        parse(bytes, from: 0, to: bytes.count, bias: 0, protection: Protection(), depth: 0, into: &packet)
        return packet
    }

    /// Decodes one datagram in memory into `sink`, which sees each value list as a view.
    public func decode<Sink: CollectdSink>(raw bytes: UnsafeRawBufferPointer, into sink: inout Sink) {
        parse(bytes, from: 0, to: bytes.count, bias: 0, protection: Protection(), depth: 0, into: &sink)
    }

    /// How the content being parsed was protected.
    struct Protection {
        var signed = false
        var encrypted = false
    }

    /// The identity and notification state that parts build up inside one packet.
    /// String parts are kept as views into the buffer being parsed (without the NUL); a
    /// decrypted part is parsed with fresh state, so no view outlives its buffer.
    struct State {
        var host = UnsafeRawBufferPointer(start: nil, count: 0)
        var plugin = UnsafeRawBufferPointer(start: nil, count: 0)
        var pluginInstance = UnsafeRawBufferPointer(start: nil, count: 0)
        var type = UnsafeRawBufferPointer(start: nil, count: 0)
        var typeInstance = UnsafeRawBufferPointer(start: nil, count: 0)
        var time: Int64 = 0
        var timeIsSet = false
        var interval: Int64 = 0
        var severity: UInt64 = 0
    }

    /// Parses the parts in `buffer[from..<to]` as one packet with fresh state; `bias` maps
    /// an index to the datagram offset reported in errors.
    func parse<Sink: CollectdSink>(
        _ buffer: UnsafeRawBufferPointer, from: Int, to end: Int, bias: Int,
        protection: Protection, depth: Int, into packet: inout Sink
    ) {
        var state = State()
        var index = from
        while index < end {
            let offset = index + bias
            let remaining = end - index
            guard remaining >= Wire.headerSize else {
                packet.error = .truncatedHeader(offset: offset)
                return
            }
            let rawType = buffer.bigEndianUInt16(at: index)
            let length = Int(buffer.bigEndianUInt16(at: index + 2))
            guard length >= Wire.headerSize else {
                packet.error = .lengthTooSmall(offset: offset, length: length)
                return
            }
            guard length <= remaining else {
                packet.error = .lengthPastEnd(offset: offset, length: length, available: remaining)
                return
            }
            let part = PartType(wireValue: rawType)

            // Security gates, in collectd's order: encrypted parts are always examined; other
            // parts must be protected enough for the level; a signature covers the rest.
            if part == .encryption {
                guard depth < Self.maxNesting else {
                    packet.error = .nestingTooDeep(offset: offset)
                    return
                }
                guard decrypt(buffer, at: index, length: length, bias: bias, depth: depth, into: &packet) else {
                    return
                }
                index += length
                continue
            }
            if securityLevel == .encrypt && !protection.encrypted {
                packet.error = .securityLevel(offset: offset, level: securityLevel)
                return
            }
            if part == .signature {
                guard depth < Self.maxNesting else {
                    packet.error = .nestingTooDeep(offset: offset)
                    return
                }
                switch verify(buffer, at: index, length: length, end: end, bias: bias, depth: depth,
                    protection: protection, into: &packet)
                {
                case .stop:
                    return
                case .continueUnverified:
                    index += length
                    continue
                }
            }
            if securityLevel == .sign && !protection.encrypted && !protection.signed {
                packet.error = .securityLevel(offset: offset, level: securityLevel)
                return
            }

            guard let part else {
                index += length  // unknown part types are skipped by their length
                continue
            }
            let ok: Bool
            switch part {
            case .host, .plugin, .pluginInstance, .type, .typeInstance, .message:
                ok = readString(part, buffer, at: index, length: length, offset: offset,
                    state: &state, into: &packet)
            case .time, .timeHR, .interval, .intervalHR, .severity:
                ok = readNumber(part, buffer, at: index, length: length, offset: offset,
                    state: &state, into: &packet)
            case .values:
                ok = readValues(buffer, at: index, length: length, offset: offset, state: state, into: &packet)
            case .signature, .encryption:
                ok = true  // handled above
            }
            guard ok else { return }
            index += length
        }
    }
}
