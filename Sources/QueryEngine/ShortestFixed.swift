/// The shortest decimal that reads back as a given double, closest to it among the shortest, for
/// the doubles panels print most: positive, not integral, from 1e-4 to below 1e15. The answer is
/// the digits as an integer and how many of them follow the point (`0.00125` is 125 and 5).
///
/// Exact integer arithmetic, no tables beyond powers of ten: the doubles that round to
/// `v = m·2^e` are those in the interval around `4m / 2^(2−e)` from `4m − 2` (`4m − 1` when `m`
/// is a power of two, whose lower neighbour is nearer) to `4m + 2`, the ends included when `m`
/// is even (a tie reads back as the even significand). At a scale of `10^s` with `10^−s` below a
/// tenth of the spacing, the decimals in the interval are the integers between two exact
/// quotients (a product of at most 125 bits shifted right); removing digits while a multiple of
/// ten stays between them finds the fewest, and the one nearest the double is taken.
///
/// Swift's own shortest text (`Double.description`) gives the same digits (`ShortestFixedTests`
/// compare them over millions of doubles), at about a third of the instructions: it was 6 % of a
/// host panel's answer.
struct ShortestFixed {
    /// The table, read once per instance: a static read is a call (`swift_once`) each time.
    private let powers: UnsafePointer<UInt128> = ShortestFixed.powersOfTen

    init() {}

    /// `digits` with a table of its own (tests; `RowText` keeps one instance).
    static func digits(_ value: Double) -> (digits: UInt64, scale: Int)? {
        ShortestFixed().digits(value)
    }

    /// Digits and fraction digits of `value`, or nil outside the range it handles (then use
    /// `Double.description`).
    @inline(__always)
    func digits(_ value: Double) -> (digits: UInt64, scale: Int)? {
        guard value >= 1e-4 && value < 1e15 else { return nil }
        let exponentBits = Int(value.exponentBitPattern)
        let fraction = value.significandBitPattern
        let m = (UInt64(1) << 52) | fraction
        let e = exponentBits - 1075
        // Integral values (e >= 0) have a layout of their own; 1e-4 is about 2^-66 here.
        guard e < 0 && e >= -70 else { return nil }
        let k = 2 - e
        let center = m << 2
        let upper = center + 2
        let lower = fraction == 0 && exponentBits > 1 ? center - 1 : center - 2
        let inclusive = m & 1 == 0
        // 10^-s below a tenth of the spacing 2^e: more than ten decimals of that scale fit in
        // the interval. log10(2) ≈ 0.30103 < 1233/4096 + a little: s = ceil(-e·log10 2) + 1.
        let s = ((-e) &* 1233 &+ 4095) >> 12 &+ 1
        assert(s <= 24, "scale beyond the table")
        let (lowQ, lowExact) = quotient(lower, s, k)
        let (highQ, highExact) = quotient(upper, s, k)
        // The quotients are floors: an exact one is the end itself, in or out.
        var low = lowExact && inclusive ? lowQ : lowQ &+ 1
        var high = highExact && !inclusive ? highQ &- 1 : highQ
        var removed = 0
        // (An integral value would reach scale 0: its digits are the integer.)
        while removed < s {
            let nextLow = (low &+ 9) / 10
            let nextHigh = high / 10
            guard nextLow <= nextHigh else { break }
            low = nextLow
            high = nextHigh
            removed &+= 1
        }
        let scale = s &- removed
        // The double itself at this scale, rounded half to even, kept inside the interval.
        let c = UInt128(center) &* powers[scale]
        var t = UInt64(truncatingIfNeeded: c >> k)
        let rem = c & ((UInt128(1) << k) &- 1)
        let half = UInt128(1) << (k &- 1)
        if rem > half || (rem == half && t & 1 == 1) { t &+= 1 }
        if t < low { t = low }
        if t > high { t = high }
        return (t, scale)
    }

    /// `(x · 10^s) >> k` (below 2^64 here) and whether nothing was shifted out.
    @inline(__always)
    private func quotient(_ x: UInt64, _ s: Int, _ k: Int) -> (UInt64, Bool) {
        let p = UInt128(x) &* powers[s]
        return (UInt64(truncatingIfNeeded: p >> k), p & ((UInt128(1) << k) &- 1) == 0)
    }

    /// 10^0 … 10^24, allocated once and never freed (an array read here was retained and
    /// released per value); never changed after its initializer, hence `nonisolated(unsafe)`.
    nonisolated(unsafe) private static let powersOfTen: UnsafePointer<UInt128> = {
        let table = UnsafeMutablePointer<UInt128>.allocate(capacity: 25)
        var p: UInt128 = 1
        for n in 0...24 {
            table[n] = p
            p &*= 10
        }
        return UnsafePointer(table)
    }()
}
