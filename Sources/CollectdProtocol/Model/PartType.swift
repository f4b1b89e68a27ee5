/// Part type identifiers of collectd's binary protocol (network.h).
public enum PartType: UInt16, Sendable, CaseIterable {
    case host = 0x0000
    case time = 0x0001
    case plugin = 0x0002
    case pluginInstance = 0x0003
    case type = 0x0004
    case typeInstance = 0x0005
    case values = 0x0006
    case interval = 0x0007
    case timeHR = 0x0008
    case intervalHR = 0x0009
    case message = 0x0100
    case severity = 0x0101
    case signature = 0x0200
    case encryption = 0x0210

    /// The part type of a wire value, `nil` for unknown types (a plain switch: faster than
    /// the synthesized `init(rawValue:)` in the decoder's inner loop).
    @inline(__always)
    init?(wireValue: UInt16) {
        switch wireValue {
        case 0x0000: self = .host
        case 0x0001: self = .time
        case 0x0002: self = .plugin
        case 0x0003: self = .pluginInstance
        case 0x0004: self = .type
        case 0x0005: self = .typeInstance
        case 0x0006: self = .values
        case 0x0007: self = .interval
        case 0x0008: self = .timeHR
        case 0x0009: self = .intervalHR
        case 0x0100: self = .message
        case 0x0101: self = .severity
        case 0x0200: self = .signature
        case 0x0210: self = .encryption
        default: return nil
        }
    }
}

/// Size limits and fixed sizes of the wire format.
enum Wire {
    /// Part header: u16 type + u16 length.
    static let headerSize = 4
    /// Longest identity string including its NUL (collectd's DATA_MAX_NAME_LEN).
    static let maxNameLength = 128
    /// Longest notification message including its NUL (NOTIF_MAX_MSG_LEN).
    static let maxMessageLength = 256
    /// A numeric part: header + u64.
    static let numberPartSize = 12
    /// HMAC-SHA-256 digest size.
    static let macSize = 32
    /// Signature part without the user name: header + MAC.
    static let signatureHeaderSize = headerSize + macSize
    /// AES block and IV size.
    static let ivSize = 16
    /// SHA-1 digest size.
    static let sha1Size = 20
    /// Largest UDP payload.
    static let maxDatagramSize = 65535
}
