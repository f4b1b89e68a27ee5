extension [UInt8] {
    mutating func writeBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    mutating func writeHeader(_ type: PartType, length: Int) {
        writeBigEndian(type.rawValue)
        writeBigEndian(UInt16(truncatingIfNeeded: length))
    }

    /// A string part: the UTF-8 bytes cut to `limit - 1`, then NUL.
    mutating func writeString(_ type: PartType, _ value: String, limit: Int = Wire.maxNameLength) {
        let bytes = value.utf8.prefix(limit - 1)
        writeHeader(type, length: Wire.headerSize + bytes.count + 1)
        append(contentsOf: bytes)
        append(0)
    }

    mutating func writeNumber(_ type: PartType, _ value: UInt64) {
        writeHeader(type, length: Wire.numberPartSize)
        writeBigEndian(value)
    }

    /// A values part: count, type bytes, then each value (GAUGE little-endian).
    mutating func writeValues(_ values: [CollectdValue]) {
        writeHeader(.values, length: 6 + 9 * values.count)
        writeBigEndian(UInt16(values.count))
        for value in values { append(value.wireType) }
        for value in values {
            if case .gauge = value {
                Swift.withUnsafeBytes(of: value.wireBits.littleEndian) { append(contentsOf: $0) }
            } else {
                writeBigEndian(value.wireBits)
            }
        }
    }
}
