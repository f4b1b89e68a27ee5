/// Number texts exactly as Go's `strconv`/`encoding/json` write them (InfluxDB is written in Go).
enum NumberFormat {
    /// Shortest round-trip decimal digits of a finite, non-zero magnitude: value = 0.digits × 10^exponent.
    static func shortestDigits(_ value: Double) -> (digits: [UInt8], exponent: Int) {
        // Swift's description already yields the shortest round-trip digits; only the layout differs.
        let text = Array(value.magnitude.description.utf8)
        var digits: [UInt8] = []
        var pointPosition: Int?
        var exponent = 0
        var i = 0
        while i < text.count {
            let c = text[i]
            if c == UInt8(ascii: ".") {
                pointPosition = digits.count
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                var sign = 1
                var j = i + 1
                if j < text.count, text[j] == UInt8(ascii: "-") { sign = -1; j += 1 } else if j < text.count, text[j] == UInt8(ascii: "+") { j += 1 }
                var e = 0
                while j < text.count { e = e * 10 + Int(text[j] - 48); j += 1 }
                exponent = sign * e
                break
            } else {
                digits.append(c)
            }
            i += 1
        }
        var point = (pointPosition ?? digits.count) + exponent
        // Strip leading zeros (moving the point) and trailing zeros.
        var lead = 0
        while lead < digits.count - 1, digits[lead] == UInt8(ascii: "0") { lead += 1; point -= 1 }
        digits.removeFirst(lead)
        while digits.count > 1, digits.last == UInt8(ascii: "0") { digits.removeLast() }
        return (digits, point)
    }

    /// Go's `strconv.FormatFloat(v, 'f', -1, 64)`.
    static func fixed(_ value: Double, into out: inout [UInt8]) {
        if value.isNaN { out.append(contentsOf: "NaN".utf8); return }
        if value.isInfinite { out.append(contentsOf: (value < 0 ? "-Inf" : "+Inf").utf8); return }
        if value.sign == .minus { out.append(UInt8(ascii: "-")) }
        if value == 0 { out.append(UInt8(ascii: "0")); return }
        let (digits, point) = shortestDigits(value)
        appendFixed(digits, point, into: &out)
    }

    private static func appendFixed(_ digits: [UInt8], _ point: Int, into out: inout [UInt8]) {
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
    /// NaN and infinities (which Go refuses to encode) are written as `null`.
    static func json(_ value: Double, into out: inout [UInt8]) {
        guard value.isFinite else { out.append(contentsOf: "null".utf8); return }
        if value.sign == .minus { out.append(UInt8(ascii: "-")) }
        if value == 0 { out.append(UInt8(ascii: "0")); return }
        let (digits, point) = shortestDigits(value)
        let magnitude = value.magnitude
        if magnitude < 1e-6 || magnitude >= 1e21 {
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
        out.append(contentsOf: String(value).utf8)
    }
}
