import Testing
import TestSupport
@testable import InfluxHTTP

/// The span-at-a-time form decoder against the byte-at-a-time definition: pairs split at `&`,
/// the key ends at the first `=`, `+` is a space, `%XX` a byte, anything else as it came.
@Suite struct FormDecodingTests {
    static func reference(_ bytes: [UInt8]) -> [(String, String)] {
        var pairs: [(String, String)] = []
        var key: [UInt8] = [], value: [UInt8] = [], inValue = false
        func unescape(_ raw: [UInt8]) -> String {
            var out: [UInt8] = [], i = 0
            while i < raw.count {
                if raw[i] == UInt8(ascii: "+") {
                    out.append(UInt8(ascii: " "))
                } else if raw[i] == UInt8(ascii: "%"), i + 2 < raw.count,
                          let h = FormDecoding.hex(raw[i + 1]), let l = FormDecoding.hex(raw[i + 2]) {
                    out.append(h << 4 | l)
                    i += 2
                } else {
                    out.append(raw[i])
                }
                i += 1
            }
            return String(decoding: out, as: UTF8.self)
        }
        func flush() {
            if !key.isEmpty || inValue { pairs.append((unescape(key), unescape(value))) }
            key = []
            value = []
            inValue = false
        }
        for b in bytes {
            if b == UInt8(ascii: "&") { flush() } else if b == UInt8(ascii: "=") && !inValue { inValue = true } else if inValue { value.append(b) } else { key.append(b) }
        }
        flush()
        return pairs
    }

    @Test func randomQueryStringsDecodeAsTheReference() {
        var random = SeededGenerator(seed: 0x5EED_F0A4)
        // Separators, escapes, hex digits, a byte of invalid UTF-8 and a multi-byte character's parts.
        let alphabet: [UInt8] = Array("&=+%;aZ09fF".utf8) + [0xC3, 0xA9, 0xFF, 0x20]
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...24, using: &random)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &random)! }
            let got = FormDecoding.decode(bytes), expected = Self.reference(bytes)
            #expect(got.map(\.0) == expected.map(\.0) && got.map(\.1) == expected.map(\.1), "\(bytes)")
            // A String's UTF-8 view (how a URL's query arrives) decodes the same as its bytes.
            let text = String(decoding: bytes, as: UTF8.self)
            let viaText = FormDecoding.decode(text.utf8), viaBytes = FormDecoding.decode(Array(text.utf8))
            #expect(viaText.map(\.0) == viaBytes.map(\.0) && viaText.map(\.1) == viaBytes.map(\.1))
        }
    }
}
