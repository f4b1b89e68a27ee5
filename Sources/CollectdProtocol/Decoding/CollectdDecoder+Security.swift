extension CollectdDecoder {
    enum SignatureOutcome {
        case stop
        case continueUnverified
    }

    /// Handles a signature part: verifies the MAC over user name + the rest of the packet
    /// and parses that rest as a fresh, signed packet.
    func verify<Sink: CollectdSink>(
        _ buffer: UnsafeRawBufferPointer, at index: Int, length: Int, end: Int, bias: Int, depth: Int,
        protection: Protection, into packet: inout Sink
    ) -> SignatureOutcome {
        let offset = index + bias
        guard length > Wire.signatureHeaderSize else {
            packet.error = .malformedSecurityPart(offset: offset)
            return .stop
        }
        guard let authFile else {
            // collectd accepts signed data it cannot verify when no user database is set;
            // that only helps at level none, where unsigned data is accepted anyway.
            if securityLevel == .none || protection.encrypted { return .continueUnverified }
            packet.error = .noAuthFile(offset: offset)
            return .stop
        }
        let mac = buffer.collectdBytes(at: index + Wire.headerSize, length: Wire.macSize)
        let userBytes = buffer.collectdBytes(
            at: index + Wire.signatureHeaderSize, length: length - Wire.signatureHeaderSize)
        let user = String(decoding: userBytes, as: UTF8.self)
        guard let password = authFile.password(for: user) else {
            packet.error = .unknownUser(offset: offset, user: user)
            return .stop
        }
        let contentStart = index + length
        let expected = PacketCrypto.signature(
            user: userBytes, content: UnsafeRawBufferPointer(rebasing: buffer[contentStart..<end]), password: password)
        guard PacketCrypto.constantTimeEqual(expected, mac) else {
            packet.error = .badSignature(offset: offset, user: user)
            return .stop
        }
        packet.authenticated(user: user)
        var inner = protection
        inner.signed = true
        parse(buffer, from: contentStart, to: end, bias: bias, protection: inner, depth: depth + 1, into: &packet)
        return .stop
    }

    /// Handles an encryption part: decrypts it, checks the SHA-1 and parses the plaintext
    /// as a fresh, encrypted packet. Returns false when parsing must stop.
    func decrypt<Sink: CollectdSink>(
        _ buffer: UnsafeRawBufferPointer, at index: Int, length: Int, bias: Int, depth: Int,
        into packet: inout Sink
    ) -> Bool {
        let offset = index + bias
        guard let authFile else {
            packet.error = .noAuthFile(offset: offset)
            return false
        }
        guard length >= Wire.headerSize + 2 else {
            packet.error = .malformedSecurityPart(offset: offset)
            return false
        }
        let userLength = Int(buffer.bigEndianUInt16(at: index + 4))
        let fixed = Wire.headerSize + 2 + userLength + Wire.ivSize + Wire.sha1Size
        guard userLength > 0, fixed <= length else {
            packet.error = .malformedSecurityPart(offset: offset)
            return false
        }
        let user = String(decoding: buffer.collectdBytes(at: index + 6, length: userLength), as: UTF8.self)
        guard let password = authFile.password(for: user) else {
            packet.error = .unknownUser(offset: offset, user: user)
            return false
        }
        let ivStart = index + 6 + userLength
        let iv = buffer.collectdBytes(at: ivStart, length: Wire.ivSize)
        let cipherStart = ivStart + Wire.ivSize
        var plain = buffer.collectdBytes(at: cipherStart, length: index + length - cipherStart)
        PacketCrypto.ofb(&plain, key: PacketCrypto.encryptionKey(password: password), iv: iv)
        let digest = plain.withUnsafeBytes { raw in
            PacketCrypto.sha1(UnsafeRawBufferPointer(rebasing: raw[Wire.sha1Size...]))
        }
        guard PacketCrypto.constantTimeEqual(digest, Array(plain[0..<Wire.sha1Size])) else {
            packet.error = .badChecksum(offset: offset, user: user)
            return false
        }
        packet.authenticated(user: user)
        plain.withUnsafeBytes { content in
            parse(
                content, from: Wire.sha1Size, to: content.count, bias: cipherStart + bias,
                protection: Protection(signed: false, encrypted: true), depth: depth + 1, into: &packet)
        }
        return packet.error == nil
    }
}
