import Synchronization

/// Request ids in UUID text form (version 4 layout). The bits come from two SplitMix64 sequences
/// over one counter, seeded once per process from the system's random source: they look as
/// random as version-4 ids do, without the two `getrandom` system calls per response that
/// drawing from `SystemRandomNumberGenerator` cost on every response. The ids need no secrecy
/// (InfluxDB's own are time-based).
enum RequestID {
    private static let seed: (UInt64, UInt64) = {
        var rng = SystemRandomNumberGenerator()
        return (rng.next(), rng.next())
    }()
    private static let counter = Atomic<UInt64>(0)

    /// SplitMix64's output function: a bijection on 64 bits that scatters consecutive inputs.
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }

    /// Written byte by byte into one string: this runs for every response.
    static func make() -> String {
        let n = counter.add(1, ordering: .relaxed).newValue
        return text(high: mix(seed.0 &+ n), low: mix(seed.1 ^ n))
    }

    static func text(high: UInt64, low: UInt64) -> String {
        String(unsafeUninitializedCapacity: 36) { out in
            let digits: StaticString = "0123456789abcdef"
            var n = 0
            for i in 0..<16 {
                var byte = UInt8(truncatingIfNeeded: (i < 8 ? high : low) >> (UInt64(7 - i % 8) * 8))
                if i == 6 { byte = byte & 0x0F | 0x40 }
                if i == 8 { byte = byte & 0x3F | 0x80 }
                if i == 4 || i == 6 || i == 8 || i == 10 {
                    out[n] = UInt8(ascii: "-")
                    n += 1
                }
                out[n] = digits.utf8Start[Int(byte >> 4)]
                out[n + 1] = digits.utf8Start[Int(byte & 15)]
                n += 2
            }
            return n
        }
    }
}
