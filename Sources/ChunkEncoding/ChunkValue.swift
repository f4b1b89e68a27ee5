/// The type shared by every value in one chunk.
public enum ChunkValueKind: UInt8, Sendable, CaseIterable {
    case float = 1
    case integer = 2
    case unsigned = 3
    case boolean = 4
    case string = 5
}

/// One sample value. Equality and hashing compare doubles by bit pattern, so NaN payloads,
/// -0.0 and +0.0 are told apart exactly as the codec preserves them.
public enum ChunkValue: Sendable {
    case float(Double)
    case integer(Int64)
    case unsigned(UInt64)
    case boolean(Bool)
    case string(String)

    /// The kind a chunk holding this value must have.
    public var kind: ChunkValueKind {
        switch self {
        case .float: .float
        case .integer: .integer
        case .unsigned: .unsigned
        case .boolean: .boolean
        case .string: .string
        }
    }
}

extension ChunkValue: Hashable {
    public static func == (lhs: ChunkValue, rhs: ChunkValue) -> Bool {
        switch (lhs, rhs) {
        case let (.float(a), .float(b)): a.bitPattern == b.bitPattern
        case let (.integer(a), .integer(b)): a == b
        case let (.unsigned(a), .unsigned(b)): a == b
        case let (.boolean(a), .boolean(b)): a == b
        // Strings compare by their UTF-8 bytes: the chunk keeps exactly the bytes it was given.
        case let (.string(a), .string(b)): a.utf8.elementsEqual(b.utf8)
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        switch self {
        case .float(let v): hasher.combine(v.bitPattern)
        case .integer(let v): hasher.combine(v)
        case .unsigned(let v): hasher.combine(v)
        case .boolean(let v): hasher.combine(v)
        case .string(let v):
            for byte in v.utf8 { hasher.combine(byte) }
        }
    }
}
