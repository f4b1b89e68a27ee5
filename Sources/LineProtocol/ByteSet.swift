/// A set of ASCII bytes as a 128-bit mask: membership is two shifts, where `Set<UInt8>`
/// would hash every byte of every line.
struct ByteSet: Sendable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    init(_ bytes: [UInt8]) {
        for b in bytes {
            precondition(b < 128, "ByteSet holds ASCII only")
            if b < 64 { low |= 1 << UInt64(b) } else { high |= 1 << UInt64(b - 64) }
        }
    }

    @inline(__always)
    func contains(_ b: UInt8) -> Bool {
        if b < 64 { return low & (1 << UInt64(b)) != 0 }
        if b < 128 { return high & (1 << UInt64(b - 64)) != 0 }
        return false
    }
}
