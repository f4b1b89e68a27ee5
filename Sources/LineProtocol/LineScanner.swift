import TimeSeries
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One line scanned the way InfluxDB 1.6 scans it (`models/points.go`), section by section and
/// in its order, so a bad line fails with the error InfluxDB names first. Positions index `bytes`.
struct LineScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Where the measurement ends (an unescaped `,` or space).
    private(set) var measurementEnd = 0
    /// Each tag's key and value as written (escapes kept), in line order.
    private(set) var tags: [(key: Range<Int>, value: Range<Int>)] = []
    /// Where the key (measurement and tags) ends: the space before the fields.
    private(set) var keyEnd = 0
    /// The fields section, `k=v{,k=v}`.
    private(set) var fields: Range<Int> = 0..<0
    /// The timestamp's digits; empty when the line has none.
    private(set) var time: Range<Int> = 0..<0

    static let space = UInt8(ascii: " "), comma = UInt8(ascii: ","), equals = UInt8(ascii: "=")
    static let backslash = UInt8(ascii: "\\"), quote = UInt8(ascii: "\"")
    /// InfluxDB's longest series key (measurement and tags, plus 4 and a field key).
    static let maxKeyLength = 65_535

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// What InfluxDB's `skipWhitespace` skips: spaces, tabs and NUL bytes.
    static func isWhitespace(_ b: UInt8) -> Bool { b == space || b == 0x09 || b == 0 }

    func skipWhitespace(_ from: Int) -> Int {
        var i = from
        while i < bytes.count && Self.isWhitespace(bytes[i]) { i += 1 }
        return i
    }

    /// Whether the byte at `i` is preceded by a backslash (InfluxDB's test for an escaped
    /// separator: one backslash before it, whatever precedes that).
    func escaped(_ i: Int) -> Bool { i > 0 && bytes[i - 1] == Self.backslash }

    /// Scans the key (measurement, tags, duplicate tags, key length) and the fields section. The
    /// caller then walks the fields (`forEachField`) and scans the time (`scanTime`), in that order.
    mutating func scan() throws(LineProtocolError) {
        try scanKey()
        try scanFields()
    }

    // MARK: key

    private mutating func scanKey() throws(LineProtocolError) {
        let n = bytes.count
        var i = 0
        guard i < n, bytes[i] != Self.comma else { throw .missingMeasurement }
        var inTags = false
        while true {
            i += 1
            guard i < n else { throw .missingFields }
            if escaped(i) { continue }
            if bytes[i] == Self.comma { inTags = true; break }
            if bytes[i] == Self.space { break }
        }
        measurementEnd = i
        if inTags {
            i += 1
            tagLoop: while true {
                // Key: at least one byte, up to an unescaped `=`.
                let keyStart = i
                guard i < n, bytes[i] != Self.space, bytes[i] != Self.comma, bytes[i] != Self.equals else { throw .missingTagKey }
                while true {
                    i += 1
                    if i >= n || ((bytes[i] == Self.space || bytes[i] == Self.comma) && !escaped(i)) { throw .missingTagValue }
                    if bytes[i] == Self.equals && !escaped(i) { break }
                }
                let key = keyStart..<i
                i += 1
                // Value: at least one byte, up to an unescaped `,` (next tag) or space (fields).
                let valueStart = i
                guard i < n, bytes[i] != Self.comma, bytes[i] != Self.space else { throw .missingTagValue }
                while true {
                    i += 1
                    guard i < n else { throw .missingFields }
                    if escaped(i) { continue }
                    if bytes[i] == Self.equals { throw .invalidTagFormat }
                    if bytes[i] == Self.comma {
                        tags.append((key, valueStart..<i))
                        i += 1
                        continue tagLoop
                    }
                    if bytes[i] == Self.space {
                        tags.append((key, valueStart..<i))
                        break tagLoop
                    }
                }
            }
        }
        keyEnd = i
        try checkDuplicateTags()
        guard keyEnd <= Self.maxKeyLength else { throw .maxKeyLength(keyEnd) }
    }

    /// Any two tags with the same key (as written) are InfluxDB's "duplicate tags".
    private func checkDuplicateTags() throws(LineProtocolError) {
        guard tags.count > 1, let base = bytes.baseAddress else { return }
        for a in 0..<(tags.count - 1) {
            let ka = tags[a].key
            for b in (a + 1)..<tags.count where tags[b].key.count == ka.count
                && memcmp(base + ka.lowerBound, base + tags[b].key.lowerBound, ka.count) == 0 {
                throw .duplicateTags
            }
        }
    }

    // MARK: fields

    private mutating func scanFields() throws(LineProtocolError) {
        let n = bytes.count
        let start = skipWhitespace(keyEnd)
        var i = start
        var quoted = false
        var equalsSeen = 0
        var commas = 0
        while i < n {
            let b = bytes[i]
            if b == Self.backslash && i + 1 < n {
                i += 2
                continue
            }
            if b == Self.quote && equalsSeen > commas {
                quoted.toggle()
                i += 1
                continue
            }
            if b == Self.equals && !quoted {
                equalsSeen += 1
                if (bytes[i - 1] == Self.space || bytes[i - 1] == Self.comma) && bytes[i - 2] != Self.backslash {
                    throw .missingFieldKey
                }
                guard i + 1 < n, bytes[i + 1] != Self.comma, bytes[i + 1] != Self.space else { throw .missingFieldValue }
                let next = bytes[i + 1]
                if Self.isNumeric(next) || next == UInt8(ascii: "-") || next == UInt8(ascii: "N") || next == UInt8(ascii: "n") {
                    i = try scanNumber(i + 1)
                    continue
                }
                if next != Self.quote {
                    i = try scanBoolean(i + 1)
                    continue
                }
            }
            if b == Self.comma && !quoted { commas += 1 }
            if b == Self.space && !quoted { break }
            i += 1
        }
        if quoted { throw .unbalancedQuotes }
        guard equalsSeen > 0, commas == equalsSeen - 1 else { throw .invalidFieldFormat }
        fields = start..<i
    }

    static func isNumeric(_ b: UInt8) -> Bool { (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: ".") }

    /// Each field as InfluxDB reads it back from the scanned section: the key up to its first
    /// `=` not after a backslash, the value up to a `,` outside quotes. Fails as InfluxDB's walk
    /// does: a key whose `=` leaves no value, a series key with a field key longer than
    /// `maxKeyLength`.
    func forEachField(_ body: (_ key: Range<Int>, _ value: Range<Int>) throws(LineProtocolError) -> Void) throws(LineProtocolError) {
        var i = fields.lowerBound
        while i < fields.upperBound {
            let start = i
            while i < fields.upperBound && !(bytes[i] == Self.equals && (i == start || !escaped(i))) { i += 1 }
            // InfluxDB: the `=` must leave at least one byte for the value.
            guard i + 1 < fields.upperBound else {
                throw .invalidValue(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
            }
            let key = start..<i
            if keyEnd + 4 + key.count > Self.maxKeyLength { throw .maxKeyLength(keyEnd + 4 + key.count) }
            i += 1
            let valueStart = i
            var quoted = false
            while i < fields.upperBound {
                let b = bytes[i]
                if b == Self.backslash && i + 1 < fields.upperBound && (bytes[i + 1] == Self.quote || bytes[i + 1] == Self.backslash) {
                    i += 2
                    continue
                }
                if b == Self.quote { quoted.toggle() } else if b == Self.comma && !quoted { break }
                i += 1
            }
            try body(key, valueStart..<i)
            i += 1
        }
    }

    // MARK: time

    mutating func scanTime() throws(LineProtocolError) {
        let n = bytes.count
        let start = skipWhitespace(fields.upperBound)
        var i = start
        while i < n {
            let b = bytes[i]
            if b == Self.space || b == UInt8(ascii: "\n") { break }
            if i == start && b == UInt8(ascii: "-") {
                i += 1
                continue
            }
            guard b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") else { throw .badTimestamp }
            i += 1
        }
        time = start..<i
    }

    /// The timestamp in nanoseconds, nil when the line has none. InfluxDB parses the digits
    /// (Go's `strconv.ParseInt` errors), scales them, checks the range, and only then refuses
    /// anything but spaces after them.
    func timestamp(_ precision: Precision) throws(LineProtocolError) -> Int64? {
        guard !time.isEmpty else { return nil }
        let raw = UnsafeBufferPointer(rebasing: bytes[time])
        var text: String { String(decoding: raw, as: UTF8.self) }
        // `scanTime` let through digits after an optional `-` only: what fails here is a lone
        // `-` (Go's syntax error) or a value out of Int64's range.
        guard raw.count > 1 || raw[0] != UInt8(ascii: "-") else { throw .timestampSyntax(text) }
        guard let value = Self.integer(raw) else { throw .timestampOutOfRange(text) }
        // InfluxDB keeps the two extreme values for its own sentinels: its range is
        // [-9223372036854775806, 9223372036854775806], both ends included.
        guard let scaled = precision.scale(value), scaled >= Int64.min + 2, scaled <= Int64.max - 1 else {
            throw .timeOutsideRange
        }
        for k in time.upperBound..<bytes.count where bytes[k] != Self.space { throw .invalidPoint }
        return scaled
    }
}
