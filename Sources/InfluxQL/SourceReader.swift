/// Reads Unicode scalars with InfluxDB's position bookkeeping and a three-character unread buffer.
///
/// Mirrors InfluxDB 1.x's scanner reader so that every reported position (including its
/// quirks, such as EOF counting one column further once it has been peeked) is identical.
/// `\r\n` and lone `\r` read as `\n`; U+0000 reads as end of input, as in InfluxDB.
struct SourceReader: Sendable {
    /// The end-of-input marker (InfluxDB uses rune 0).
    static let eof: UInt32 = 0

    private let scalars: [UInt32]
    private var index = 0
    // The last three characters read (a fixed ring; InfluxDB unreads at most three).
    private var ring0: (ch: UInt32, pos: Position) = (0, Position(line: 0, char: 0))
    private var ring1: (ch: UInt32, pos: Position) = (0, Position(line: 0, char: 0))
    private var ring2: (ch: UInt32, pos: Position) = (0, Position(line: 0, char: 0))
    private var slot = 0
    private var unreadCount = 0
    private var pos = Position(line: 0, char: 0)
    private var sawEOF = false

    init(_ text: String) {
        var out: [UInt32] = []
        out.reserveCapacity(text.unicodeScalars.count)
        var previousCR = false
        for s in text.unicodeScalars {
            if s == "\r" {
                out.append(10)
                previousCR = true
                continue
            }
            if s == "\n" && previousCR {
                previousCR = false
                continue
            }
            previousCR = false
            out.append(s.value)
        }
        scalars = out
    }

    /// Reads the next character (or re-reads an unread one) and returns it with its position.
    mutating func read() -> (ch: UInt32, pos: Position) {
        if unreadCount > 0 {
            unreadCount -= 1
            return current()
        }
        let ch: UInt32
        if index < scalars.count {
            ch = scalars[index]
            index += 1
        } else {
            ch = SourceReader.eof
        }
        slot = slot == 2 ? 0 : slot + 1
        switch slot {
        case 0: ring0 = (ch, pos)
        case 1: ring1 = (ch, pos)
        default: ring2 = (ch, pos)
        }
        if ch == 10 {
            pos.line += 1
            pos.char = 0
        } else if !sawEOF {
            pos.char += 1
        }
        if ch == SourceReader.eof { sawEOF = true }
        return current()
    }

    /// Pushes the last read character back.
    mutating func unread() {
        unreadCount += 1
    }

    /// The last consumed character and its position.
    func current() -> (ch: UInt32, pos: Position) {
        switch (slot - unreadCount + 3) % 3 {
        case 0: ring0
        case 1: ring1
        default: ring2
        }
    }

    /// InfluxDB's `ReadRune`: like `read()`, but reports whether it hit end of input.
    mutating func readRune() -> (ch: UInt32, atEOF: Bool) {
        let ch = read().ch
        return (ch, ch == SourceReader.eof)
    }
}

/// Character classes of InfluxQL's scanner (ASCII-only, as in InfluxDB).
enum CharClass {
    static func isWhitespace(_ c: UInt32) -> Bool { c == 32 || c == 9 || c == 10 }
    static func isLetter(_ c: UInt32) -> Bool { (c >= 97 && c <= 122) || (c >= 65 && c <= 90) }
    static func isDigit(_ c: UInt32) -> Bool { c >= 48 && c <= 57 }
    static func isIdentChar(_ c: UInt32) -> Bool { isLetter(c) || isDigit(c) || c == 95 }
    static func isIdentFirstChar(_ c: UInt32) -> Bool { isLetter(c) || c == 95 }
    /// `µ` (U+00B5), accepted inside duration literals.
    static let micro: UInt32 = 0xB5
}

/// Accumulates scanned characters as UTF-8 and makes one `String` at the end.
struct LiteralBuffer {
    private var bytes: [UInt8] = []

    var isEmpty: Bool { bytes.isEmpty }

    /// Appends a scalar value (invalid values become U+FFFD).
    mutating func append(_ c: UInt32) {
        switch c {
        case 0..<0x80:
            bytes.append(UInt8(c))
        case 0x80..<0x800:
            bytes.append(UInt8(0xC0 | (c >> 6)))
            bytes.append(UInt8(0x80 | (c & 0x3F)))
        case 0xD800..<0xE000, 0x110000...:
            append(0xFFFD)
        case 0x800..<0x10000:
            bytes.append(UInt8(0xE0 | (c >> 12)))
            bytes.append(UInt8(0x80 | ((c >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (c & 0x3F)))
        default:
            bytes.append(UInt8(0xF0 | (c >> 18)))
            bytes.append(UInt8(0x80 | ((c >> 12) & 0x3F)))
            bytes.append(UInt8(0x80 | ((c >> 6) & 0x3F)))
            bytes.append(UInt8(0x80 | (c & 0x3F)))
        }
    }

    mutating func append(_ s: String) {
        bytes.append(contentsOf: s.utf8)
    }

    var string: String { String(decoding: bytes, as: UTF8.self) }
}
