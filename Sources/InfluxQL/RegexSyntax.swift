/// Checks regex patterns against Go's RE2 syntax (Perl flags), reporting the message Go's
/// `regexp.Compile` gives, which InfluxDB passes on: "error parsing regexp: <what>: `<text>`".
///
/// The checker follows the structure of Go's `regexp/syntax` parser but only tracks what
/// decides errors: open groups, whether a repetition has an operand, and the previous
/// repetition. Unicode class names are accepted when they look like a category or script.
enum RegexSyntax {
    /// Go's error text for `pattern`, or nil when it is acceptable.
    static func check(_ pattern: String) -> String? {
        var checker = RegexChecker(Array(pattern.utf8))
        guard let (code, text) = checker.run() else { return nil }
        return "error parsing regexp: \(code): `\(String(decoding: text, as: UTF8.self))`"
    }
}

/// The state of one `RegexSyntax.check` run over a pattern's UTF-8 bytes.
struct RegexChecker {
    let s: [UInt8]
    var i = 0
    var openGroups = 0
    var hasOperand = false
    /// Where the previous repetition operator started (its text runs to the current end).
    var lastRepeat: Int?
    /// Go's nested-repeat budget: the smallest limit the last operand's `{n,m}` nesting needs.
    var lastNeed = 0
    /// The same for the finished operands of the current group, and of each enclosing group.
    var groupNeed = 0
    var outerNeeds: [(group: Int, last: Int)] = []

    /// Records that a new operand starts (the previous one is complete).
    mutating func newOperand() {
        groupNeed = max(groupNeed, lastNeed)
        lastNeed = 0
        hasOperand = true
    }

    mutating func openGroup() -> Failure? {
        groupNeed = max(groupNeed, lastNeed)
        outerNeeds.append((groupNeed, 0))
        groupNeed = 0
        lastNeed = 0
        openGroups += 1
        hasOperand = false
        // Go refuses trees more than 1000 levels deep.
        return openGroups >= 1000 ? ("expression nests too deeply", s[...]) : nil
    }

    init(_ s: [UInt8]) { self.s = s }

    typealias Failure = (String, ArraySlice<UInt8>)

    mutating func run() -> Failure? {
        while i < s.count {
            var repeatStart: Int?
            let c = s[i]
            switch c {
            case UInt8(ascii: "("):
                if i + 1 < s.count && s[i + 1] == UInt8(ascii: "?") {
                    if let f = perlFlags() { return f }
                } else {
                    if let f = openGroup() { return f }
                    i += 1
                }
            case UInt8(ascii: "|"):
                groupNeed = max(groupNeed, lastNeed)
                lastNeed = 0
                hasOperand = false
                i += 1
            case UInt8(ascii: ")"):
                if openGroups == 0 { return ("unexpected )", s[...]) }
                openGroups -= 1
                let inner = max(groupNeed, lastNeed)
                groupNeed = outerNeeds.removeLast().group
                lastNeed = inner
                hasOperand = true
                i += 1
            case UInt8(ascii: "["):
                newOperand()
                if let f = charClass() { return f }
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"):
                let before = i
                i += 1
                if let f = repetition(before: before, min: 0, max: -1) { return f }
                repeatStart = before
            case UInt8(ascii: "{"):
                let before = i
                if let (min, max, after) = parseRepeat() {
                    if min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max) {
                        return ("invalid repeat count", s[before..<after])
                    }
                    i = after
                    if let f = repetition(before: before, min: min, max: max, counted: true) { return f }
                    repeatStart = before
                } else {
                    newOperand()
                    i += 1
                }
            case UInt8(ascii: "\\"):
                if let f = escapeAtom() { return f }
            default:
                newOperand()
                i += 1
            }
            lastRepeat = repeatStart
        }
        if openGroups > 0 { return ("missing closing )", s[...]) }
        return nil
    }

    /// Go's `repeat`: a lazy `?` suffix, no stacked repetitions, an operand required.
    /// `counted` marks `{n,m}` (Go's OpRepeat), whose nesting is limited to 1000 repetitions.
    mutating func repetition(before: Int, min: Int, max: Int, counted: Bool = false) -> Failure? {
        if i < s.count && s[i] == UInt8(ascii: "?") { i += 1 }
        if let last = lastRepeat { return ("invalid nested repetition operator", s[last..<i]) }
        if !hasOperand { return ("missing argument to repetition operator", s[before..<i]) }
        guard counted else { return nil }
        let m = max < 0 ? min : max
        if max != 0 && m > 0 { lastNeed = m * Swift.max(1, lastNeed) }
        if max == 0 { lastNeed = 0 }
        if (min >= 2 || max >= 2) && lastNeed > 1000 { return ("invalid repeat count", s[before..<i]) }
        return nil
    }

    /// `{n}`, `{n,}`, `{n,m}` from `i`: (min, max, end) or nil when `{` is a literal.
    func parseRepeat() -> (Int, Int, Int)? {
        var j = i + 1
        func int() -> Int? {
            guard j < s.count, s[j] >= 48, s[j] <= 57 else { return nil }
            if s[j] == 48 && j + 1 < s.count && s[j + 1] >= 48 && s[j + 1] <= 57 { return nil }
            var n = 0
            while j < s.count, s[j] >= 48, s[j] <= 57 {
                if n >= 100_000_000 { n = -1 } else if n >= 0 { n = n * 10 + Int(s[j] - 48) }
                j += 1
            }
            return n
        }
        guard var min = int(), j < s.count else { return nil }
        var max = min
        if s[j] == UInt8(ascii: ",") {
            j += 1
            guard j < s.count else { return nil }
            if s[j] == UInt8(ascii: "}") {
                max = -1
            } else {
                guard let m = int() else { return nil }
                max = m
                if m < 0 { min = -1 }
            }
        }
        guard j < s.count, s[j] == UInt8(ascii: "}") else { return nil }
        return (min, max, j + 1)
    }

    /// `(?flags)`, `(?flags:`, `(?P<name>`.
    mutating func perlFlags() -> Failure? {
        let start = i
        if s.count - i > 4 && s[i + 2] == UInt8(ascii: "P") && s[i + 3] == UInt8(ascii: "<") {
            guard let end = s[i...].firstIndex(of: UInt8(ascii: ">")) else {
                return ("invalid named capture", s[start...])
            }
            let name = s[(i + 4)..<end]
            if name.isEmpty || !name.allSatisfy({ CharClass.isIdentChar(UInt32($0)) }) {
                return ("invalid named capture", s[start...end])
            }
            i = end + 1
            return openGroup()
        }
        i += 2
        var negated = false
        var sawFlag = false
        while i < s.count {
            let c = s[i]
            i += 1
            switch c {
            case UInt8(ascii: "i"), UInt8(ascii: "m"), UInt8(ascii: "s"), UInt8(ascii: "U"):
                sawFlag = true
            case UInt8(ascii: "-"):
                if negated { return ("invalid or unsupported Perl syntax", s[start..<i]) }
                negated = true
                sawFlag = false
            case UInt8(ascii: ":"), UInt8(ascii: ")"):
                if negated && !sawFlag { return ("invalid or unsupported Perl syntax", s[start..<i]) }
                if c == UInt8(ascii: ":"), let f = openGroup() { return f }
                return nil
            default:
                i += utf8Tail(from: i)
                return ("invalid or unsupported Perl syntax", s[start..<i])
            }
        }
        return ("invalid or unsupported Perl syntax", s[start..<i])
    }

    /// Continuation bytes of a multi-byte character whose first byte precedes `j`.
    func utf8Tail(from j: Int) -> Int {
        var k = j
        while k < s.count && s[k] & 0xC0 == 0x80 { k += 1 }
        return k - j
    }
}
