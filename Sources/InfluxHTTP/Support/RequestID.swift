/// Request ids in UUID text form (random, version 4).
enum RequestID {
    /// Written byte by byte into one string: this runs for every response.
    static func make() -> String {
        var rng = SystemRandomNumberGenerator()
        let high = rng.next() as UInt64
        let low = rng.next() as UInt64
        return String(unsafeUninitializedCapacity: 36) { out in
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
