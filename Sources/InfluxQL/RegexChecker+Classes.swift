extension RegexChecker {
    private static let posixClasses: Set<String> = [
        "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct",
        "space", "upper", "word", "xdigit",
    ]
    private static let categories: Set<String> = [
        "Any", "C", "Cc", "Cf", "Co", "Cs", "L", "Ll", "Lm", "Lo", "Lt", "Lu", "M", "Mc", "Me", "Mn",
        "N", "Nd", "Nl", "No", "P", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "S", "Sc", "Sk", "Sm",
        "So", "Z", "Zl", "Zp", "Zs",
    ]

    /// Go 1.16–1.20's `unicode.Scripts` (Unicode 13), the names `\p{…}` accepts besides categories.
    private static let scripts: Set<String> = Set("""
        Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak Bengali
        Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian Caucasian_Albanian
        Chakma Cham Cherokee Chorasmian Common Coptic Cuneiform Cypriot Cyrillic Deseret Devanagari
        Dives_Akuru Dogra Duployan Egyptian_Hieroglyphs Elbasan Elymaic Ethiopic Georgian Glagolitic
        Gothic Grantha Greek Gujarati Gunjala_Gondi Gurmukhi Han Hangul Hanifi_Rohingya Hanunoo Hatran
        Hebrew Hiragana Imperial_Aramaic Inherited Inscriptional_Pahlavi Inscriptional_Parthian Javanese
        Kaithi Kannada Katakana Kayah_Li Kharoshthi Khitan_Small_Script Khmer Khojki Khudawadi Lao Latin
        Lepcha Limbu Linear_A Linear_B Lisu Lycian Lydian Mahajani Makasar Malayalam Mandaic Manichaean
        Marchen Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui Meroitic_Cursive
        Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani Myanmar Nabataean Nandinagari New_Tai_Lue
        Newa Nko Nushu Nyiakeng_Puachue_Hmong Ogham Ol_Chiki Old_Hungarian Old_Italic Old_North_Arabian
        Old_Permic Old_Persian Old_Sogdian Old_South_Arabian Old_Turkic Oriya Osage Osmanya Pahawh_Hmong
        Palmyrene Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi Rejang Runic Samaritan Saurashtra
        Sharada Shavian Siddham SignWriting Sinhala Sogdian Sora_Sompeng Soyombo Sundanese Syloti_Nagri
        Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Takri Tamil Tangut Telugu Thaana Thai Tibetan
        Tifinagh Tirhuta Ugaritic Vai Wancho Warang_Citi Yezidi Yi Zanabazar_Square
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))

    private func byte(_ j: Int) -> UInt8? { j < s.count ? s[j] : nil }

    /// A `\`-atom outside a class: anchors, `\Q…\E`, `\pX`, `\d`-style classes or an escape.
    mutating func escapeAtom() -> Failure? {
        if let c = byte(i + 1) {
            switch c {
            case UInt8(ascii: "A"), UInt8(ascii: "b"), UInt8(ascii: "B"), UInt8(ascii: "z"):
                newOperand()
                i += 2
                return nil
            case UInt8(ascii: "C"):
                return ("invalid escape sequence", s[i..<(i + 2)])
            case UInt8(ascii: "Q"):
                var j = i + 2
                while j < s.count && !(s[j] == UInt8(ascii: "\\") && byte(j + 1) == UInt8(ascii: "E")) { j += 1 }
                if j > i + 2 { newOperand() }
                i = j < s.count ? j + 2 : j
                return nil
            default: break
            }
        }
        newOperand()
        if let f = unicodeClass() { return f.failure }
        if perlClassEscape() { return nil }
        return escape()
    }

    /// `\d \D \s \S \w \W` at `i`.
    private mutating func perlClassEscape() -> Bool {
        guard byte(i) == UInt8(ascii: "\\"), let c = byte(i + 1), "dDsSwW".utf8.contains(c) else { return false }
        i += 2
        return true
    }

    /// `\pX`, `\p{Name}`, `\PX`, `\P{^Name}` at `i`: nil when not a Unicode class here.
    private mutating func unicodeClass() -> (failure: Failure?, Void)? {
        guard byte(i) == UInt8(ascii: "\\"), let p = byte(i + 1), p == UInt8(ascii: "p") || p == UInt8(ascii: "P")
        else { return nil }
        let start = i
        var name: ArraySlice<UInt8>
        var end: Int
        if byte(i + 2) != UInt8(ascii: "{") {
            end = min(i + 3 + utf8Tail(from: i + 3), s.count)
            name = s[min(i + 2, s.count)..<end]
        } else {
            guard let close = s[i...].firstIndex(of: UInt8(ascii: "}")) else {
                return (("invalid character class range", s[start...]), ())
            }
            end = close + 1
            name = s[(i + 3)..<close]
        }
        if name.first == UInt8(ascii: "^") { name = name.dropFirst() }
        let text = String(decoding: name, as: UTF8.self)
        guard RegexChecker.categories.contains(text) || RegexChecker.scripts.contains(text) else {
            return (("invalid character class range", s[start..<end]), ())
        }
        i = end
        return (nil, ())
    }

    /// Go's `parseEscape` at `i` (a backslash): octal, `\x`, C escapes or escaped punctuation.
    private mutating func escape() -> Failure? {
        let start = i
        guard let c = byte(i + 1) else { return ("trailing backslash at end of expression", []) }
        i += 2 + utf8Tail(from: i + 2)
        func isOctal(_ b: UInt8?) -> Bool { b.map { $0 >= 48 && $0 <= 55 } ?? false }
        switch c {
        case UInt8(ascii: "1")...UInt8(ascii: "7") where isOctal(byte(i)), UInt8(ascii: "0"):
            for _ in 1..<3 where isOctal(byte(i)) { i += 1 }
            return nil
        case UInt8(ascii: "x"):
            guard let c1 = byte(i) else { break }
            i += 1 + utf8Tail(from: i + 1)
            if c1 == UInt8(ascii: "{") {
                var digits = 0
                var value = 0
                while let h = byte(i) {
                    i += 1 + utf8Tail(from: i + 1)
                    if h == UInt8(ascii: "}") { return digits == 0 ? invalidEscape(start) : nil }
                    guard let v = hexValue(h) else { return invalidEscape(start) }
                    value = value * 16 + v
                    if value > 0x10FFFF { return invalidEscape(start) }
                    digits += 1
                }
                return invalidEscape(start)
            }
            guard let c2 = byte(i) else { return invalidEscape(start) }
            i += 1 + utf8Tail(from: i + 1)
            if hexValue(c1) == nil || hexValue(c2) == nil { return invalidEscape(start) }
            return nil
        case UInt8(ascii: "a"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"),
             UInt8(ascii: "v"):
            return nil
        default:
            if c < 0x80 && !CharClass.isLetter(UInt32(c)) && !CharClass.isDigit(UInt32(c)) { return nil }
        }
        return invalidEscape(start)
    }

    private func invalidEscape(_ start: Int) -> Failure {
        ("invalid escape sequence", s[start..<min(i, s.count)])
    }

    private func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 48...57: Int(b - 48)
        case 97...102: Int(b - 87)
        case 65...70: Int(b - 55)
        default: nil
        }
    }

    /// A bracketed class at `i`: `[`, optional `^`, items (ranges, escapes, `[:name:]`) and `]`.
    mutating func charClass() -> Failure? {
        let whole = i
        i += 1
        if byte(i) == UInt8(ascii: "^") { i += 1 }
        var first = true
        while i >= s.count || s[i] != UInt8(ascii: "]") || first {
            first = false
            if byte(i) == UInt8(ascii: "["), byte(i + 1) == UInt8(ascii: ":"), s.count - i > 2 {
                if let close = findColonBracket(from: i + 2) {
                    var name = String(decoding: s[(i + 2)..<close], as: UTF8.self)
                    if name.hasPrefix("^") { name.removeFirst() }
                    guard RegexChecker.posixClasses.contains(name) else {
                        return ("invalid character class range", s[i..<(close + 2)])
                    }
                    i = close + 2
                    continue
                }
            }
            if let f = unicodeClass() {
                if let failure = f.failure { return failure }
                continue
            }
            if perlClassEscape() { continue }
            let rangeStart = i
            guard let lo = classChar(whole: whole) else { return failure }
            if let f = lo.failure { return f }
            if byte(i) == UInt8(ascii: "-"), let next = byte(i + 1), next != UInt8(ascii: "]") {
                i += 1
                guard let hi = classChar(whole: whole) else { return failure }
                if let f = hi.failure { return f }
                if hi.value < lo.value { return ("invalid character class range", s[rangeStart..<i]) }
            }
        }
        i += 1
        return nil
    }

    private var failure: Failure { ("missing closing ]", []) }

    private func findColonBracket(from j: Int) -> Int? {
        var k = j
        while k + 1 < s.count {
            if s[k] == UInt8(ascii: ":") && s[k + 1] == UInt8(ascii: "]") { return k }
            k += 1
        }
        return nil
    }

    /// One class character (escaped or literal) and its code point.
    private mutating func classChar(whole: Int) -> (value: UInt32, failure: Failure?)? {
        guard i < s.count else { return (0, ("missing closing ]", s[whole...])) }
        if s[i] == UInt8(ascii: "\\") {
            let start = i
            if let f = escape() { return (0, f) }
            return (escapedValue(s[start..<i]), nil)
        }
        let len = 1 + utf8Tail(from: i + 1)
        let value = String(decoding: s[i..<(i + len)], as: UTF8.self).unicodeScalars.first?.value ?? 0
        i += len
        return (value, nil)
    }

    /// The code point of a valid escape (enough to order range ends).
    private func escapedValue(_ e: ArraySlice<UInt8>) -> UInt32 {
        let body = Array(e.dropFirst())
        guard let c = body.first else { return 0 }
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "7"): return body.reduce(0) { $0 * 8 + UInt32($1 - 48) }
        case UInt8(ascii: "x"):
            let hex = body.dropFirst().filter { hexValue($0) != nil }
            return hex.reduce(0) { $0 * 16 + UInt32(hexValue($1)!) }
        case UInt8(ascii: "a"): return 7
        case UInt8(ascii: "f"): return 12
        case UInt8(ascii: "n"): return 10
        case UInt8(ascii: "r"): return 13
        case UInt8(ascii: "t"): return 9
        case UInt8(ascii: "v"): return 11
        default: return String(decoding: body, as: UTF8.self).unicodeScalars.first?.value ?? 0
        }
    }
}
