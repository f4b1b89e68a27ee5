/// A compiled form of the regular expressions tag and measurement filters use most — literals,
/// `.`, classes, anchors, groups, alternation and repetition, ASCII only — matched over UTF-8
/// bytes with Go's semantics (`MatchString`: anywhere in the text; `$` only at the very end; `.`
/// one rune, not `\n`). A backtracking search that never visits an (instruction, position) pair
/// twice, so it is linear in pattern × text. Patterns outside that subset (flags, Unicode
/// classes, word boundaries, non-ASCII text) are not compiled (`init` returns nil) and
/// `PatternRegex` uses Swift's engine for them.
struct PatternProgram: Sendable {
    private enum Instruction: Sendable {
        /// One byte of the set; a byte ≥ 0x80 starts a rune, which matches when `other` is set.
        case set(ByteSet)
        case split(Int, Int)
        case jump(Int)
        case textStart
        case textEnd
        case match
    }

    /// ASCII bytes as a 128-bit map; `other` is the answer for every non-ASCII rune.
    struct ByteSet: Sendable, Hashable {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var other = false

        static func of(_ bytes: some Sequence<UInt8>) -> ByteSet {
            var s = ByteSet()
            for b in bytes { s.insert(b) }
            return s
        }

        mutating func insert(_ b: UInt8) {
            if b < 64 { low |= 1 << UInt64(b) } else if b < 128 { high |= 1 << UInt64(b - 64) }
        }

        func contains(_ b: UInt8) -> Bool {
            b < 64 ? low & (1 << UInt64(b)) != 0 : high & (1 << UInt64(b - 64)) != 0
        }

        mutating func formUnion(_ o: ByteSet) {
            low |= o.low
            high |= o.high
            other = other || o.other
        }

        var inverted: ByteSet { ByteSet(low: ~low, high: ~high, other: !other) }

        /// The one byte of a set of exactly one (an escaped literal), or nil.
        var single: UInt8? {
            guard !other, low.nonzeroBitCount + high.nonzeroBitCount == 1 else { return nil }
            return UInt8(low != 0 ? low.trailingZeroBitCount : 64 + high.trailingZeroBitCount)
        }

        static let digits = ByteSet.of(UInt8(ascii: "0")...UInt8(ascii: "9"))
        static let word = ByteSet.of(Array(UInt8(ascii: "0")...UInt8(ascii: "9")) + Array(UInt8(ascii: "A")...UInt8(ascii: "Z"))
                                     + Array(UInt8(ascii: "a")...UInt8(ascii: "z")) + [UInt8(ascii: "_")])
        static let space = ByteSet.of([9, 10, 12, 13, 32])
        /// `.`: anything but a newline.
        static let dot = ByteSet.of([10]).inverted
    }

    private let program: [Instruction]
    /// The pattern starts with `^` on every path: only position 0 is tried.
    private let anchored: Bool
    /// No alternation or repetition (`^host050$`, `^h1[0-9]$`): one path, nothing to remember.
    private let straight: Bool

    /// Compiles `pattern`, or nil when it uses anything outside the subset described above.
    init?(_ pattern: String) {
        var parser = Parser(bytes: Array(pattern.utf8))
        guard let tree = parser.parseAlternation(), parser.atEnd else { return nil }
        var code: [Instruction] = []
        guard Self.emit(tree, into: &code, budget: 2_000) else { return nil }
        code.append(.match)
        program = code
        anchored = tree.startsAnchored
        straight = !code.contains { if case .split = $0 { true } else { false } }
    }

    /// Whether the pattern matches anywhere in `text`.
    func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            if straight { return runStraight(bytes) }
            let words = (program.count * (bytes.count + 1) + 63) / 64
            return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) { visited in
                visited.initialize(repeating: 0)
                return run(bytes, visited)
            }
        }
    }

    /// A program without splits has one path from each start: no visited set is needed.
    private func runStraight(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        starts: for start in 0...(anchored ? 0 : bytes.count) {
            var at = start
            for instruction in program {
                switch instruction {
                case .match: return true
                case .textStart: if at != 0 { continue starts }
                case .textEnd: if at != bytes.count { continue starts }
                case .set(let set):
                    guard at < bytes.count else { continue starts }
                    let b = bytes[at]
                    if b < 0x80 {
                        guard set.contains(b) else { continue starts }
                        at += 1
                    } else {
                        guard set.other else { continue starts }
                        at += Self.runeLength(bytes, at)
                    }
                case .split, .jump: continue starts  // not in a straight program
                }
            }
        }
        return false
    }

    private func run(_ bytes: UnsafeBufferPointer<UInt8>, _ visited: UnsafeMutableBufferPointer<UInt64>) -> Bool {
        let width = bytes.count + 1
        var stack: [(pc: Int, at: Int)] = []
        for start in 0...(anchored ? 0 : bytes.count) {
            var next: (pc: Int, at: Int)? = (0, start)
            while let (pc0, at0) = next ?? stack.popLast() {
                next = nil
                var pc = pc0, at = at0
                while true {
                    let bit = pc * width + at
                    if visited[bit >> 6] & (1 << UInt64(bit & 63)) != 0 { break }
                    visited[bit >> 6] |= 1 << UInt64(bit & 63)
                    switch program[pc] {
                    case .match:
                        return true
                    case .jump(let to):
                        pc = to
                        continue
                    case .split(let a, let b):
                        stack.append((b, at))
                        pc = a
                        continue
                    case .textStart:
                        guard at == 0 else { break }
                        pc += 1
                        continue
                    case .textEnd:
                        guard at == bytes.count else { break }
                        pc += 1
                        continue
                    case .set(let set):
                        guard at < bytes.count else { break }
                        let b = bytes[at]
                        if b < 0x80 {
                            guard set.contains(b) else { break }
                            at += 1
                        } else {
                            guard set.other else { break }
                            at += Self.runeLength(bytes, at)
                        }
                        pc += 1
                        continue
                    }
                    break
                }
            }
        }
        return false
    }

    /// Bytes of the rune at `i` (an invalid byte is a rune of its own, as Go decodes it).
    private static func runeLength(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let b = bytes[i]
        let n = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
        guard i + n <= bytes.count else { return 1 }
        for k in 1..<n where bytes[i + k] & 0xC0 != 0x80 { return 1 }
        return n
    }

    // MARK: - Syntax tree and code

    fileprivate indirect enum Node {
        case set(ByteSet)
        case textStart
        case textEnd
        case sequence([Node])
        case alternation([Node])
        case repeated(Node, min: Int, max: Int?)

        var startsAnchored: Bool {
            switch self {
            case .textStart: return true
            case .sequence(let items): return items.first?.startsAnchored ?? false
            case .alternation(let items): return !items.isEmpty && items.allSatisfy(\.startsAnchored)
            case .repeated(let n, let min, _): return min > 0 && n.startsAnchored
            default: return false
            }
        }
    }

    private static func emit(_ node: Node, into code: inout [Instruction], budget: Int) -> Bool {
        if code.count > budget { return false }
        switch node {
        case .set(let s): code.append(.set(s))
        case .textStart: code.append(.textStart)
        case .textEnd: code.append(.textEnd)
        case .sequence(let items):
            for item in items where !emit(item, into: &code, budget: budget) { return false }
        case .alternation(let items):
            // split L1, next; L1: a; jump end; next: split L2, …; last: z; end:
            var jumps: [Int] = []
            for (i, item) in items.enumerated() {
                if i < items.count - 1 {
                    let split = code.count
                    code.append(.jump(0))
                    guard emit(item, into: &code, budget: budget) else { return false }
                    jumps.append(code.count)
                    code.append(.jump(0))
                    code[split] = .split(split + 1, code.count)
                } else if !emit(item, into: &code, budget: budget) {
                    return false
                }
            }
            for j in jumps { code[j] = .jump(code.count) }
        case .repeated(let item, let min, let max):
            for _ in 0..<min where !emit(item, into: &code, budget: budget) { return false }
            if let max {
                // Optional copies: split body, end (each skips to the end).
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(code.count)
                    code.append(.jump(0))
                    guard emit(item, into: &code, budget: budget) else { return false }
                }
                for s in splits { code[s] = .split(s + 1, code.count) }
            } else {
                // loop: split body, end; body; jump loop
                let loop = code.count
                code.append(.jump(0))
                guard emit(item, into: &code, budget: budget) else { return false }
                code.append(.jump(loop))
                code[loop] = .split(loop + 1, code.count)
            }
        }
        return code.count <= budget
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        var atEnd: Bool { i == bytes.count }

        mutating func parseAlternation() -> Node? {
            var items: [Node] = []
            while true {
                guard let s = parseSequence() else { return nil }
                items.append(s)
                guard i < bytes.count, bytes[i] == UInt8(ascii: "|") else { break }
                i += 1
            }
            return items.count == 1 ? items[0] : .alternation(items)
        }

        mutating func parseSequence() -> Node? {
            var items: [Node] = []
            while i < bytes.count, bytes[i] != UInt8(ascii: "|"), bytes[i] != UInt8(ascii: ")") {
                guard let atom = parseAtom(), let item = parseRepeats(atom) else { return nil }
                items.append(item)
            }
            return .sequence(items)
        }

        mutating func parseRepeats(_ atom: Node) -> Node? {
            var node = atom
            while i < bytes.count {
                var min = 0, max: Int? = nil
                switch bytes[i] {
                case UInt8(ascii: "*"): i += 1
                case UInt8(ascii: "+"): min = 1; i += 1
                case UInt8(ascii: "?"): max = 1; i += 1
                case UInt8(ascii: "{"):
                    guard let (lo, hi) = parseCount() else { return nil }
                    min = lo
                    max = hi
                default: return node
                }
                if case .textStart = node { return nil }
                if case .textEnd = node { return nil }
                // A lazy marker changes which match is found, not whether one is.
                if i < bytes.count, bytes[i] == UInt8(ascii: "?") { i += 1 }
                // Go rejects a repeat of a repeat (`a**`); leave such patterns to the other engine.
                if case .repeated = node { return nil }
                node = .repeated(node, min: min, max: max)
            }
            return node
        }

        /// `{n}`, `{n,}` or `{n,m}` with n, m ≤ 100; nil for anything else (Go reads a `{` that
        /// starts no count as a literal, which the other engine handles).
        mutating func parseCount() -> (Int, Int?)? {
            var j = i + 1
            func number() -> Int? {
                var n = 0, digits = 0
                while j < bytes.count, bytes[j] >= UInt8(ascii: "0"), bytes[j] <= UInt8(ascii: "9"), digits < 4 {
                    n = n * 10 + Int(bytes[j] - UInt8(ascii: "0"))
                    j += 1
                    digits += 1
                }
                return digits == 0 ? nil : n
            }
            guard let lo = number() else { return nil }
            var hi: Int? = lo
            if j < bytes.count, bytes[j] == UInt8(ascii: ",") {
                j += 1
                hi = j < bytes.count && bytes[j] == UInt8(ascii: "}") ? nil : number()
                if hi == nil, j < bytes.count, bytes[j] != UInt8(ascii: "}") { return nil }
            }
            guard j < bytes.count, bytes[j] == UInt8(ascii: "}"), lo <= 100, (hi ?? 0) <= 100, lo <= (hi ?? lo) else { return nil }
            i = j + 1
            return (lo, hi)
        }

        mutating func parseAtom() -> Node? {
            let b = bytes[i]
            guard b < 0x80 else { return nil }
            i += 1
            switch b {
            case UInt8(ascii: "("):
                if i < bytes.count, bytes[i] == UInt8(ascii: "?") {
                    // Only the non-capturing group; flags and named groups go to the other engine.
                    guard i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: ":") else { return nil }
                    i += 2
                }
                guard let inner = parseAlternation(), i < bytes.count, bytes[i] == UInt8(ascii: ")") else { return nil }
                i += 1
                return .sequence([inner])  // a group may repeat what repeats inside it: (a*)+
            case UInt8(ascii: "."): return .set(.dot)
            case UInt8(ascii: "^"): return .textStart
            case UInt8(ascii: "$"): return .textEnd
            case UInt8(ascii: "["): return parseClass()
            case UInt8(ascii: "\\"): return parseEscape().map { .set($0) }
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"), UInt8(ascii: ")"),
                 UInt8(ascii: "]"), UInt8(ascii: "}"):
                return nil
            default: return .set(.of([b]))
            }
        }

        /// After a backslash: a Perl class or an escaped punctuation character.
        mutating func parseEscape() -> ByteSet? {
            guard i < bytes.count else { return nil }
            let c = bytes[i]
            i += 1
            switch c {
            case UInt8(ascii: "d"): return .digits
            case UInt8(ascii: "D"): return ByteSet.digits.inverted
            case UInt8(ascii: "w"): return .word
            case UInt8(ascii: "W"): return ByteSet.word.inverted
            case UInt8(ascii: "s"): return .space
            case UInt8(ascii: "S"): return ByteSet.space.inverted
            case UInt8(ascii: "t"): return .of([9])
            case UInt8(ascii: "n"): return .of([10])
            case UInt8(ascii: "r"): return .of([13])
            case UInt8(ascii: "f"): return .of([12])
            default:
                // Go allows escaping any ASCII punctuation; letters and digits are classes,
                // anchors or errors, which stay with the other engine.
                guard c < 0x80, !Self.isAlphanumeric(c), c > 32 else { return nil }
                return .of([c])
            }
        }

        static func isAlphanumeric(_ c: UInt8) -> Bool {
            (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
                || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
        }

        /// `[…]` after its `[`: ranges, escapes and Perl classes, `^` negation; POSIX classes no.
        mutating func parseClass() -> Node? {
            var set = ByteSet()
            var negated = false
            if i < bytes.count, bytes[i] == UInt8(ascii: "^") {
                negated = true
                i += 1
            }
            var first = true
            while true {
                guard i < bytes.count else { return nil }
                let c = bytes[i]
                if c == UInt8(ascii: "]") && !first { i += 1; break }
                first = false
                guard c < 0x80 else { return nil }
                if c == UInt8(ascii: "[") { return nil }  // [:alpha:] and friends
                let low: UInt8
                if c == UInt8(ascii: "\\") {
                    i += 1
                    guard let escaped = parseEscape() else { return nil }
                    guard let byte = escaped.single else {
                        set.formUnion(escaped)  // \d, \w, \s and their negations
                        continue
                    }
                    low = byte
                } else {
                    low = c
                    i += 1
                }
                if i + 1 < bytes.count, bytes[i] == UInt8(ascii: "-"), bytes[i + 1] != UInt8(ascii: "]") {
                    i += 1
                    var high = bytes[i]
                    guard high < 0x80 else { return nil }
                    if high == UInt8(ascii: "\\") {
                        i += 1
                        guard let byte = parseEscape()?.single else { return nil }
                        high = byte
                    } else {
                        i += 1
                    }
                    guard low <= high else { return nil }
                    for b in low...high { set.insert(b) }
                } else {
                    set.insert(low)
                }
            }
            return .set(negated ? set.inverted : set)
        }
    }
}
