/// Number texts exactly as Go's `strconv`/`encoding/json` write them (InfluxDB is written in Go).
enum NumberFormat {
    /// Shortest round-trip decimal digits of a finite, non-zero magnitude: value = 0.digits × 10^exponent.
    static func shortestDigits(_ value: Double) -> (digits: [UInt8], exponent: Int) {
        withShortestDigits(value) { (Array($0), $1) }
    }

    /// Calls `body` with the shortest round-trip digits (no leading/trailing zeros) and the
    /// decimal exponent, without allocating: Swift's own shortest round-trip text (what
    /// `description` prints, streamed by `write(to:)` as ASCII into a stack buffer, which skips
    /// the `String` that `description` builds); only the layout differs.
    static func withShortestDigits<R>(_ value: Double, _ body: (UnsafeBufferPointer<UInt8>, Int) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { scratch in
            var sink = TextSink(text: UnsafeMutableBufferPointer(rebasing: scratch[0..<32]))
            value.magnitude.write(to: &sink)
            let utf8 = UnsafeBufferPointer(rebasing: scratch[0..<sink.count])
            let buffer = UnsafeMutableBufferPointer(rebasing: scratch[32..<64])
            var count = 0
            var pointPosition = -1
            var exponent = 0
            var i = 0
            while i < utf8.count {
                let c = utf8[i]
                if c == UInt8(ascii: ".") {
                    pointPosition = count
                } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                    var sign = 1
                    var j = i + 1
                    if j < utf8.count, utf8[j] == UInt8(ascii: "-") { sign = -1; j += 1 } else if j < utf8.count, utf8[j] == UInt8(ascii: "+") { j += 1 }
                    var e = 0
                    while j < utf8.count { e = e * 10 + Int(utf8[j] &- 48); j += 1 }
                    exponent = sign * e
                    break
                } else if count < 32 {
                    buffer[count] = c
                    count += 1
                }
                i += 1
            }
            var point = (pointPosition < 0 ? count : pointPosition) + exponent
            var lead = 0
            while lead < count - 1, buffer[lead] == UInt8(ascii: "0") { lead += 1; point -= 1 }
            var last = count
            while last - lead > 1, buffer[last - 1] == UInt8(ascii: "0") { last -= 1 }
            return body(UnsafeBufferPointer(rebasing: buffer[lead..<last]), point)
        }
    }

    /// Go's `strconv.FormatFloat(v, 'f', -1, 64)`.
    static func fixed(_ value: Double, into out: inout [UInt8]) {
        if value.isNaN { out.append(contentsOf: "NaN".utf8); return }
        if value.isInfinite { out.append(contentsOf: (value < 0 ? "-Inf" : "+Inf").utf8); return }
        if value.sign == .minus { out.append(UInt8(ascii: "-")) }
        if value == 0 { out.append(UInt8(ascii: "0")); return }
        withShortestDigits(value) { appendFixed($0, $1, into: &out) }
    }

    private static func appendFixed(_ digits: UnsafeBufferPointer<UInt8>, _ point: Int, into out: inout [UInt8]) {
        if point <= 0 {
            out.append(contentsOf: "0.".utf8)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -point))
            out.append(contentsOf: digits)
        } else if point >= digits.count {
            out.append(contentsOf: digits)
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: point - digits.count))
        } else {
            out.append(contentsOf: digits[0..<point])
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: digits[point...])
        }
    }

    /// Go's `encoding/json` float encoding: fixed notation, exponent form below 1e-6 and from 1e21.
    /// NaN and infinities (which Go refuses to encode) are written as `null`. The common values
    /// (integral, or Swift's own fixed-notation text) are `RowText.float`'s; the rest are laid out
    /// from the shortest digits.
    static func json(_ value: Double, into out: inout [UInt8]) {
        let written = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: RowText.valueBytes) { scratch in
            var text = RowText(scratch)
            guard text.float(value) else { return false }
            out.append(contentsOf: text.written)
            return true
        }
        if written { return }
        if value.sign == .minus { out.append(UInt8(ascii: "-")) }
        shortestJSON(value.magnitude, into: &out)
    }

    /// `json` without the shortcut: digits and point from `withShortestDigits`, laid out as Go does.
    static func shortestJSON(_ magnitude: Double, into out: inout [UInt8]) {
        withShortestDigits(magnitude) { digits, point in
            appendJSON(digits, point, exponentForm: magnitude < 1e-6 || magnitude >= 1e21, into: &out)
        }
    }

    private static func appendJSON(_ digits: UnsafeBufferPointer<UInt8>, _ point: Int, exponentForm: Bool, into out: inout [UInt8]) {
        if exponentForm {
            out.append(digits[0])
            if digits.count > 1 {
                out.append(UInt8(ascii: "."))
                out.append(contentsOf: digits[1...])
            }
            out.append(UInt8(ascii: "e"))
            let e = point - 1
            out.append(UInt8(ascii: e < 0 ? "-" : "+"))
            let text = Array(String(e.magnitude).utf8)
            // strconv pads to two digits; encoding/json then trims "e-07" back to "e-7".
            if text.count < 2 && e >= 0 { out.append(UInt8(ascii: "0")) }
            out.append(contentsOf: text)
        } else {
            appendFixed(digits, point, into: &out)
        }
    }

    static func integer<T: BinaryInteger>(_ value: T, into out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: RowText.valueBytes) { scratch in
            var text = RowText(scratch)
            if value < 0 { text.integer(Int64(value)) } else { text.unsigned(UInt64(value)) }
            out.append(contentsOf: text.written)
        }
    }
}

/// A `TextOutputStream` into a fixed buffer: floating-point `write(to:)` hands it ASCII bytes
/// (`_writeASCII`) without making a `String`. Bytes past the buffer are dropped.
struct TextSink: TextOutputStream {
    let text: UnsafeMutableBufferPointer<UInt8>
    var count = 0

    init(text: UnsafeMutableBufferPointer<UInt8>) {
        self.text = text
    }

    mutating func write(_ string: String) {
        for byte in string.utf8 { append(byte) }
    }

    /// What fits is copied at once (the byte loop was half the cost of a float's text).
    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
        let n = Swift.min(buffer.count, text.count - count)
        guard n > 0, let from = buffer.baseAddress, let to = text.baseAddress else { return }
        (to + count).update(from: from, count: n)
        count += n
    }

    @inline(__always) private mutating func append(_ byte: UInt8) {
        guard count < text.count else { return }
        text[count] = byte
        count += 1
    }
}
