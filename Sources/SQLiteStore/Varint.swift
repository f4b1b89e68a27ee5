/// LEB128 unsigned varints, as used by the batch log and tag sets.
enum Varint {
    static func write(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }
}

/// Reads varints and length-prefixed byte runs from a byte slice; nil on truncation.
struct ByteReader {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { bytes.isEmpty }

    mutating func readByte() -> UInt8? {
        bytes.popFirst()
    }

    mutating func readVarint() -> UInt64? {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while let byte = bytes.popFirst() {
            guard shift < 64 else { return nil }
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
        return nil
    }

    mutating func readFixed64() -> UInt64? {
        guard bytes.count >= 8 else { return nil }
        var value: UInt64 = 0
        for (i, byte) in bytes.prefix(8).enumerated() { value |= UInt64(byte) << (8 * UInt64(i)) }
        bytes = bytes.dropFirst(8)
        return value
    }

    mutating func readBytes() -> ArraySlice<UInt8>? {
        guard let count = readVarint(), count <= UInt64(bytes.count) else { return nil }
        let run = bytes.prefix(Int(count))
        bytes = bytes.dropFirst(Int(count))
        return run
    }

    mutating func readString() -> String? {
        readBytes().map { String(decoding: $0, as: UTF8.self) }
    }
}
