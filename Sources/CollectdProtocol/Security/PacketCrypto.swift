import Crypto
import CryptoExtras

/// The cryptographic building blocks of collectd's signed and encrypted parts, composed
/// from swift-crypto primitives.
enum PacketCrypto {
    /// HMAC-SHA-256 over `user` followed by `content`, keyed with the password bytes.
    static func signature(user: [UInt8], content: UnsafeRawBufferPointer, password: String) -> [UInt8] {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: Array(password.utf8)))
        hmac.update(data: user)
        hmac.update(data: content)
        return Array(hmac.finalize())
    }

    /// The AES-256 key collectd derives from a password: SHA-256 of its bytes.
    static func encryptionKey(password: String) -> SymmetricKey {
        SymmetricKey(data: Array(SHA256.hash(data: Array(password.utf8))))
    }

    /// SHA-1 of `content` (collectd's integrity check inside encrypted parts).
    static func sha1(_ content: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = Insecure.SHA1()
        hasher.update(bufferPointer: content)
        return Array(hasher.finalize())
    }

    /// Applies AES-256 in OFB mode to `data` in place (encryption and decryption are the
    /// same operation): the key stream is IV, E(IV), E(E(IV)), … XORed onto the data.
    static func ofb(_ data: inout [UInt8], key: SymmetricKey, iv: [UInt8]) {
        precondition(iv.count == Wire.ivSize)
        var block = iv
        var position = 0
        while position < data.count {
            // Cannot throw: the block is 16 bytes and the key is a 32-byte SHA-256 digest.
            try! AES.permute(&block, key: key)
            let n = min(Wire.ivSize, data.count - position)
            for j in 0..<n { data[position + j] ^= block[j] }
            position += n
        }
    }

    /// Compares two byte strings in time independent of where they differ.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
