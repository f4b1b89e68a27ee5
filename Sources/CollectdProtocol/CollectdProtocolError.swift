/// Everything that can go wrong in this module: decoding a datagram (each case carries the
/// byte offset of the offending part), reading types.db files and reading auth files.
public enum CollectdProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Fewer than 4 bytes left for a part header.
    case truncatedHeader(offset: Int)
    /// A part length below 4.
    case lengthTooSmall(offset: Int, length: Int)
    /// A part length reaching past the end of the datagram.
    case lengthPastEnd(offset: Int, length: Int, available: Int)
    /// A numeric part whose length is not 12.
    case badNumberLength(offset: Int, length: Int)
    /// A string part without a terminating NUL (or with no payload at all).
    case missingNUL(offset: Int)
    /// A string longer than collectd allows (128 bytes, message 256, including NUL).
    case stringTooLong(offset: Int, length: Int, limit: Int)
    /// A values part whose length is not 6 + 9 × count, or whose count is 0.
    case countMismatch(offset: Int, count: Int, length: Int)
    /// A values part with a type byte other than 0…3.
    case unknownValueKind(offset: Int, kind: UInt8)
    /// A signature or encryption part too short for its fixed fields.
    case malformedSecurityPart(offset: Int)
    /// A signature that does not match (wrong password or altered packet).
    case badSignature(offset: Int, user: String)
    /// The user named by a signed or encrypted part is not in the auth file.
    case unknownUser(offset: Int, user: String)
    /// Decrypted content whose SHA-1 does not match (wrong password or altered packet).
    case badChecksum(offset: Int, user: String)
    /// An encrypted part, but no auth file to find the password in.
    case noAuthFile(offset: Int)
    /// A part the security level does not accept (plain at sign/encrypt, signed at encrypt).
    case securityLevel(offset: Int, level: SecurityLevel)
    /// Signed or encrypted content nested deeper than the decoder follows.
    case nestingTooDeep(offset: Int)
    /// A malformed line in a types.db file.
    case typesDB(file: String, line: Int, reason: String)
    /// A file that could not be read.
    case unreadableFile(path: String, reason: String)

    /// A short stable label for counters and logs.
    public var reason: String {
        switch self {
        case .truncatedHeader: "truncated"
        case .lengthTooSmall: "bad_length"
        case .lengthPastEnd: "truncated"
        case .badNumberLength: "bad_length"
        case .missingNUL: "bad_string"
        case .stringTooLong: "string_too_long"
        case .countMismatch: "count_mismatch"
        case .unknownValueKind: "unknown_value_kind"
        case .malformedSecurityPart: "bad_security_part"
        case .badSignature: "bad_signature"
        case .unknownUser: "unknown_user"
        case .badChecksum: "bad_checksum"
        case .noAuthFile: "no_auth_file"
        case .securityLevel: "security_level"
        case .nestingTooDeep: "nesting_too_deep"
        case .typesDB: "typesdb_syntax"
        case .unreadableFile: "unreadable_file"
        }
    }

    /// Byte offset in the datagram, for decoding errors.
    public var offset: Int? {
        switch self {
        case .truncatedHeader(let o), .missingNUL(let o), .malformedSecurityPart(let o),
            .noAuthFile(let o), .nestingTooDeep(let o):
            o
        case .lengthTooSmall(let o, _), .badNumberLength(let o, _), .unknownValueKind(let o, _),
            .badSignature(let o, _), .unknownUser(let o, _), .badChecksum(let o, _),
            .securityLevel(let o, _):
            o
        case .lengthPastEnd(let o, _, _), .stringTooLong(let o, _, _), .countMismatch(let o, _, _):
            o
        case .typesDB, .unreadableFile:
            nil
        }
    }

    public var description: String {
        switch self {
        case .truncatedHeader(let o):
            "truncated packet: no room for a part header at byte \(o)"
        case .lengthTooSmall(let o, let l):
            "part at byte \(o) has length \(l) (< 4)"
        case .lengthPastEnd(let o, let l, let a):
            "truncated packet: part at byte \(o) has length \(l) but only \(a) bytes remain"
        case .badNumberLength(let o, let l):
            "numeric part at byte \(o) has length \(l) (expected 12)"
        case .missingNUL(let o):
            "string part at byte \(o) is not NUL-terminated"
        case .stringTooLong(let o, let l, let limit):
            "string part at byte \(o) is \(l) bytes long (limit \(limit) including NUL)"
        case .countMismatch(let o, let c, let l):
            "values part at byte \(o) has \(c) values but length \(l) (expected 6 + 9 × count, count > 0)"
        case .unknownValueKind(let o, let k):
            "values part at byte \(o) has unknown value type \(k)"
        case .malformedSecurityPart(let o):
            "signature/encryption part at byte \(o) is too short for its fields"
        case .badSignature(let o, let u):
            "signature at byte \(o) for user \"\(u)\" does not match"
        case .unknownUser(let o, let u):
            "user \"\(u)\" of the part at byte \(o) is not in the auth file"
        case .badChecksum(let o, let u):
            "encrypted part at byte \(o) for user \"\(u)\" fails its SHA-1 check (wrong password?)"
        case .noAuthFile(let o):
            "encrypted part at byte \(o) but no auth file is configured"
        case .securityLevel(let o, let level):
            "part at byte \(o) is not accepted at security level \(level.rawValue)"
        case .nestingTooDeep(let o):
            "signed/encrypted content nested too deeply at byte \(o)"
        case .typesDB(let file, let line, let reason):
            "\(file):\(line): \(reason)"
        case .unreadableFile(let path, let reason):
            "\(path): \(reason)"
        }
    }
}
