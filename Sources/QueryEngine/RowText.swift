/// A row of JSON written straight into a scratch buffer sized for it, then appended to the answer
/// in one copy. Appending each token to the answer's array (a uniqueness and capacity check and
/// a `memcpy` call per number and comma) was a third of a panel's JSON encoding.
struct RowText {
    /// Bytes one value may take: a 64-bit integer is at most 20, a float in fixed notation from
    /// Swift's shortest text at most 25 (sign, "0.000", 17 digits, point).
    static let valueBytes = 40

    private let base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private let capacity: Int

    /// The tables, read once per row text (a static read is a `swift_once` call each time).
    private let pairs = RowText.digitPairs
    private let powers = RowText.powers
    private let shortest = ShortestFixed()

    init(_ scratch: UnsafeMutableBufferPointer<UInt8>) {
        base = scratch.baseAddress!
        capacity = scratch.count
    }

    var written: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// Forgets what was written from `position` on (a row that took the general path after all).
    mutating func truncate(to position: Int) {
        assert(position <= count)
        count = position
    }

    mutating func removeAll() { count = 0 }

    @inline(__always) mutating func byte(_ b: UInt8) {
        assert(count < capacity, "row text overflow")
        base[count] = b
        count += 1
    }

    @inline(__always) mutating func ascii(_ text: StaticString) {
        text.withUTF8Buffer { append($0) }
    }

    @inline(__always) mutating func append(_ text: UnsafeBufferPointer<UInt8>) {
        assert(count + text.count <= capacity, "row text overflow")
        (base + count).update(from: text.baseAddress!, count: text.count)
        count += text.count
    }

    /// A cell of a row of numbers (times as `epoch` gives them); false, with the text left to
    /// be cut back by the caller, for a string or a float whose layout `RowText` does not make.
    @inline(__always)
    mutating func cell(_ value: ResultValue, epoch: Epoch) -> Bool {
        switch value {
        case .null: ascii("null")
        case .time(let t): integer(epoch.convert(t))
        case .float(let d): return float(d)
        case .integer(let v): integer(v)
        case .unsigned(let v): unsigned(v)
        case .boolean(let b): ascii(b ? "true" : "false")
        case .string: return false
        }
        return true
    }

    mutating func integer(_ value: Int64) {
        if value < 0 {
            byte(UInt8(ascii: "-"))
            unsigned(UInt64(0) &- UInt64(bitPattern: value))
        } else {
            unsigned(UInt64(value))
        }
    }

    mutating func unsigned(_ value: UInt64) {
        // Its digit count first: writing in place from the right then costs less than writing
        // further right and moving the digits (a `memmove` call per number).
        digits(value, width: digitCount(value))
    }

    /// The decimal digits of `value`, from its bit length (1233/4096 ≈ log10 2) corrected by one
    /// comparison. At most 20 for 64 bits; zero has one.
    @inline(__always)
    private func digitCount(_ value: UInt64) -> Int {
        let guess = ((64 &- value.leadingZeroBitCount) &* 1233) &>> 12
        return Swift.max(1, guess &+ (value >= powers[guess] ? 1 : 0))
    }

    /// The four digits of `n` (below 10 000) at `position`: two digit pairs, each one 16-bit
    /// load and store (a byte at a time was twice the loads and stores).
    @inline(__always)
    private func four(_ n: Int, at position: Int) {
        let high = (n / 100) &* 2, low = (n % 100) &* 2
        let raw = UnsafeMutableRawPointer(base + position), table = UnsafeRawPointer(pairs)
        raw.storeBytes(of: table.loadUnaligned(fromByteOffset: high, as: UInt16.self), as: UInt16.self)
        raw.storeBytes(of: table.loadUnaligned(fromByteOffset: low, as: UInt16.self), toByteOffset: 2, as: UInt16.self)
    }

    /// 10^0 … 10^19, and "00", "01", … "99": tables allocated once and never freed, read through
    /// pointers (an array read in the digit loop was retained and released per number). Written
    /// once by the initializer, before any read; never changed, hence `nonisolated(unsafe)`.
    nonisolated(unsafe) private static let powers: UnsafePointer<UInt64> = {
        let table = UnsafeMutablePointer<UInt64>.allocate(capacity: 20)
        var p: UInt64 = 1
        for n in 0..<20 {
            table[n] = p
            p &*= 10
        }
        return UnsafePointer(table)
    }()

    nonisolated(unsafe) private static let digitPairs: UnsafePointer<UInt8> = {
        let table = UnsafeMutablePointer<UInt8>.allocate(capacity: 200)
        for n in 0..<100 {
            table[2 * n] = UInt8(truncatingIfNeeded: 48 + n / 10)
            table[2 * n + 1] = UInt8(truncatingIfNeeded: 48 + n % 10)
        }
        return UnsafePointer(table)
    }()

    /// `value` (below 10^n) as exactly `n` digits, zeros in front: from the right, four and then
    /// two at a time. Index arithmetic wraps: the positions are inside the row buffer by
    /// construction, and checked arithmetic put three overflow branches into every step.
    private mutating func digits(_ value: UInt64, width n: Int) {
        assert(count + n <= capacity, "row text overflow")
        var end = count &+ n
        var x = value
        while end &- count >= 4 {
            let quad = Int(truncatingIfNeeded: x % 10_000)
            x /= 10_000
            end &-= 4
            four(quad, at: end)
        }
        while end &- count >= 2 {
            let pair = Int(truncatingIfNeeded: x % 100) &* 2
            x /= 100
            end &-= 2
            UnsafeMutableRawPointer(base + end).storeBytes(of: UnsafeRawPointer(pairs).loadUnaligned(fromByteOffset: pair, as: UInt16.self),
                                                           as: UInt16.self)
        }
        if end > count { base[count] = UInt8(truncatingIfNeeded: 48 &+ x % 10) }
        count &+= n
    }

    /// Go's JSON text of the values that need no digit layout of their own: not finite (`null`),
    /// zero, integral below 1e15 (counters, byte counts), and the others from 1e-4 to 1e15 in fixed
    /// notation from `ShortestFixed`'s digits (Go's text too: the same shortest digits, closest to
    /// the value, and the same layout); false, with nothing written, for the others, which
    /// `NumberFormat.json(_:into:)` lays out from the shortest digits.
    mutating func float(_ value: Double) -> Bool {
        guard value.isFinite else { ascii("null"); return true }
        let magnitude = value.magnitude
        if magnitude == 0 {
            if value.sign == .minus { byte(UInt8(ascii: "-")) }
            byte(UInt8(ascii: "0"))
            return true
        }
        // Integral: the conversion truncates (`rounded(.towardZero)` was a call into libm).
        if magnitude < 1e15, case let whole = UInt64(magnitude), Double(whole) == magnitude {
            if value.sign == .minus { byte(UInt8(ascii: "-")) }
            unsigned(whole)
            return true
        }
        guard let (digits, scale) = shortest.digits(magnitude) else { return false }
        if value.sign == .minus { byte(UInt8(ascii: "-")) }
        fixed(digits, scale: scale)
        return true
    }

    /// `digits` with a point before its last `scale` (at least one digit before the point).
    private mutating func fixed(_ digits: UInt64, scale: Int) {
        // 10^20 does not fit in 64 bits; the digits (at most 17) are below 10^19 anyway.
        if scale >= 20 || digits < powers[scale] {
            byte(UInt8(ascii: "0"))
            byte(UInt8(ascii: "."))
            self.digits(digits, width: scale)
            return
        }
        // Every digit one place to the right of where it goes, then the whole part moved back
        // over the gap and the point written after it: splitting the number at the point took
        // two divisions by a power of ten from the table, which the compiler cannot turn into
        // multiplications as it does the constant ones of `digits`.
        let start = count
        count &+= 1
        let n = digitCount(digits)
        self.digits(digits, width: n)
        let whole = n &- scale
        var i = start
        while i < start &+ whole {
            base[i] = base[i &+ 1]
            i &+= 1
        }
        base[i] = UInt8(ascii: ".")
    }
}
