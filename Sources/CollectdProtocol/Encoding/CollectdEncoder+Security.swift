import Crypto

extension CollectdEncoder {
    /// Wraps a packet's parts in a signature or encryption part as the security level says.
    func seal(_ parts: [UInt8]) -> [UInt8] {
        guard let username, let password else { return parts }
        let user = Array(username.utf8)
        switch securityLevel {
        case .none:
            return parts
        case .sign:
            let mac = parts.withUnsafeBytes { PacketCrypto.signature(user: user, content: $0, password: password) }
            var packet: [UInt8] = []
            packet.reserveCapacity(Wire.signatureHeaderSize + user.count + parts.count)
            packet.writeHeader(.signature, length: Wire.signatureHeaderSize + user.count)
            packet += mac
            packet += user
            packet += parts
            return packet
        case .encrypt:
            var iv = [UInt8](repeating: 0, count: Wire.ivSize)
            var generator = SystemRandomNumberGenerator()
            for i in iv.indices { iv[i] = generator.next() }
            var content = parts.withUnsafeBytes { PacketCrypto.sha1($0) }
            content += parts
            PacketCrypto.ofb(&content, key: PacketCrypto.encryptionKey(password: password), iv: iv)
            var packet: [UInt8] = []
            let length = Wire.headerSize + 2 + user.count + Wire.ivSize + content.count
            packet.reserveCapacity(length)
            packet.writeHeader(.encryption, length: length)
            packet.writeBigEndian(UInt16(user.count))
            packet += user
            packet += iv
            packet += content
            return packet
        }
    }
}
