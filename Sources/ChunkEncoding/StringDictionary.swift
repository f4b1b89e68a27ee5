/// String codec with a per-chunk dictionary of the strings seen so far:
///
/// | bits | meaning |
/// |---|---|
/// | `0` | same bytes as the previous value |
/// | `10` + ⌈log2(entries)⌉ bits | dictionary entry by index |
/// | `11` + 6 bits n + n bits length + length × 8 bits | literal UTF-8 bytes; becomes the next entry |
///
/// The dictionary stops growing at `capacity` entries; later literals are not added.
struct StringDictionary: Sendable {
    static let capacity = 4096

    var entries: [String] = []
    /// Encoder side only: string → latest entry holding it (checked byte-wise on use, since
    /// Swift's `==` treats canonically equivalent strings as equal).
    var index: [String: Int] = [:]
    var previous = ""

    @inline(__always)
    static func indexWidth(_ entryCount: Int) -> Int {
        entryCount <= 1 ? 0 : 64 &- UInt64(entryCount &- 1).leadingZeroBitCount
    }

    mutating func append(_ value: String, first: Bool, to bits: inout BitWriter) {
        defer { previous = value }
        if !first, value.utf8.elementsEqual(previous.utf8) {
            bits.write(0, count: 1)
            return
        }
        if let i = index[value], entries[i].utf8.elementsEqual(value.utf8) {
            bits.write(0b10, count: 2)
            bits.write(UInt64(i), count: Self.indexWidth(entries.count))
            return
        }
        let length = UInt64(value.utf8.count)
        let lengthWidth = 64 - length.leadingZeroBitCount
        bits.write(0b11_000000 | UInt64(lengthWidth), count: 8)
        bits.write(length, count: lengthWidth)
        for byte in value.utf8 {
            bits.write(UInt64(byte), count: 8)
        }
        if entries.count < Self.capacity {
            index[value] = entries.count
            entries.append(value)
        }
    }

    mutating func read(from reader: inout BitReader, first: Bool) throws(ChunkError) -> String {
        let peek = reader.peek()
        if peek & (1 &<< 63) == 0 {
            guard !first else { throw .corrupt(reason: "first string refers to a previous one") }
            reader.skip(1)
            return previous
        }
        if peek & (1 &<< 62) == 0 {
            guard !entries.isEmpty else { throw .corrupt(reason: "string dictionary is empty") }
            reader.skip(2)
            let i = Int(truncatingIfNeeded: reader.read(Self.indexWidth(entries.count)))
            guard i < entries.count else { throw .corrupt(reason: "string index out of range") }
            previous = entries[i]
            return previous
        }
        let lengthWidth = Int(truncatingIfNeeded: (peek &>> 56) & 0x3F)
        reader.skip(8)
        let length = reader.readWide(lengthWidth)
        let remaining = reader.limit &- reader.position
        guard remaining >= 0, length <= UInt64(remaining / 8) else { throw .truncated }
        let bytes = [UInt8](unsafeUninitializedCapacity: Int(length)) { buffer, initialized in
            for i in 0..<buffer.count {
                buffer[i] = UInt8(truncatingIfNeeded: reader.read(8))
            }
            initialized = buffer.count
        }
        previous = String(decoding: bytes, as: UTF8.self)
        if entries.count < Self.capacity {
            entries.append(previous)
        }
        return previous
    }
}
