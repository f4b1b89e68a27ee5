import Testing
@testable import TimeSeries
import TestSupport

/// `PatternProgram`, the matcher behind most `PatternRegex`es, against Swift's regex engine on
/// the syntax both read alike, and against Go's rules where the two engines differ.
@Suite struct PatternProgramTests {
    static func swiftMatches(_ pattern: String, _ text: String) throws -> Bool {
        try Regex(pattern).firstMatch(in: text) != nil
    }

    @Test func dashboardPatterns() throws {
        let cases: [(String, String, Bool)] = [
            ("^host050$", "host050", true), ("^host050$", "host0500", false), ("^host050$", "xhost050", false),
            ("^(a|bb|ccc)$", "bb", true), ("^(a|bb|ccc)$", "b", false), ("^(a|bb|ccc)$", "ccc", true),
            ("^h1[0-9]$", "h17", true), ("^h1[0-9]$", "h1x", false), ("^h1[0-9]$", "h170", false),
            (".*", "", true), (".*", "anything", true), ("", "x", true),
            ("eth", "veth0", true), ("^eth", "veth0", false), ("0$", "veth0", true),
            ("^(?:sd[a-z]|nvme\\d+n\\d+)$", "nvme0n1", true), ("^(?:sd[a-z]|nvme\\d+n\\d+)$", "sda1", false),
            ("a{2,3}", "baab", true), ("^a{2,3}$", "aaaa", false), ("^a{2,}$", "aaaa", true), ("^a{2}$", "aa", true),
            ("[^a-c]", "abc", false), ("[^a-c]", "abcd", true), ("[\\]x]", "]", true), ("[]a]", "]", true),
            ("\\.", "a.b", true), ("\\.", "ab", false), ("a.c", "abc", true), ("^\\w+\\s\\d$", "ab_1 7", true),
            ("^(ab)+$", "ababab", true), ("^(ab)+$", "ababa", false), ("^(a*)+$", "aaa", true), ("^(a|)+b$", "aab", true),
            ("x*?y", "xxy", true), ("^[a-]$", "-", true), ("^[\\d.]+$", "10.0.0.1", true),
        ]
        for (pattern, text, expected) in cases {
            let program = try #require(PatternProgram(pattern), "\(pattern)")
            #expect(program.matches(text) == expected, "\(pattern) on \(text)")
            if pattern != "[]a]" {  // Go reads `]` first in a class as a literal; Swift's engine rejects it
                #expect(try Self.swiftMatches(pattern, text) == expected, "Swift's engine: \(pattern) on \(text)")
            }
        }
    }

    /// Where Go (and so InfluxDB) and Swift's engine differ, the program answers as Go does.
    @Test func goSemantics() throws {
        // `$` is the end of the text only, not before a final newline.
        #expect(try #require(PatternProgram("a$")).matches("a\n") == false)
        // `.` is one rune, never a newline; a negated class does match a newline.
        #expect(try #require(PatternProgram("^.$")).matches("é") == true)
        #expect(try #require(PatternProgram("^.$")).matches("€") == true)
        #expect(try #require(PatternProgram("^..$")).matches("e\u{301}") == true)  // two runes, one Character
        #expect(try #require(PatternProgram("^.$")).matches("\n") == false)
        #expect(try #require(PatternProgram("^[^a]$")).matches("\n") == true)
        // `\d` is ASCII only.
        #expect(try #require(PatternProgram("\\d")).matches("٣") == false)
        #expect(try #require(PatternProgram("^\\D$")).matches("٣") == true)
        #expect(try #require(PatternProgram("^host.*")).matches("host-ü") == true)
    }

    @Test func patternsOutsideTheSubsetAreLeftToSwift() {
        for pattern in ["(?i)abc", "\\bword", "\\pL", "[[:alpha:]]", "é", "a**", "a{1000}", "(?P<n>a)", "\\Aa", "a{", "x{2,1}", "(a", "a)", "[a", "*a",
                        "\\x41", "^*"] {
            #expect(PatternProgram(pattern) == nil, "\(pattern)")
        }
    }

    @Test func patternRegexUsesSwiftOutsideTheSubset() throws {
        #expect(try PatternRegex("(?i)ABC").matches("xabcx"))
        #expect(try PatternRegex("^h1[0-9]$").matches("h12"))
        #expect(try PatternRegex("[]a]").matches("x]"))
        #expect(throws: (any Error).self) { try PatternRegex("(?<bad") }
    }

    static let atoms = ["a", "b", "ab", ".", "[ab]", "[^a]", "[a-c]", "\\d", "\\w", "\\s", "\\.", "x"]

    static func randomPattern(_ rng: inout SeededGenerator, depth: Int = 0) -> String {
        var out = ""
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            var atom: String
            if depth < 2 && Int.random(in: 0..<5, using: &rng) == 0 {
                let branches = (0..<Int.random(in: 1...3, using: &rng)).map { _ in randomPattern(&rng, depth: depth + 1) }
                atom = "(" + (Bool.random(using: &rng) ? "?:" : "") + branches.joined(separator: "|") + ")"
            } else {
                atom = atoms[Int.random(in: 0..<atoms.count, using: &rng)]
                if atom.count == 2 && !atom.hasPrefix("\\") && !atom.hasPrefix("[") { atom = "(?:\(atom))" }
            }
            out += atom + ["", "", "*", "+", "?", "{1,2}", "{2}", "*?"][Int.random(in: 0..<8, using: &rng)]
        }
        return out
    }

    @Test("random patterns answer as Swift's engine on ASCII text", arguments: 0..<8)
    func randomDifferential(seed: Int) throws {
        var rng = SeededGenerator(seed: UInt64(seed))
        let alphabet = Array("abcx.1 _-")
        for _ in 0..<150 {
            var pattern = Self.randomPattern(&rng)
            if Bool.random(using: &rng) { pattern = "^" + pattern }
            if Bool.random(using: &rng) { pattern += "$" }
            let program = try #require(PatternProgram(pattern), "\(pattern)")
            for _ in 0..<20 {
                let text = String((0..<Int.random(in: 0...8, using: &rng)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] })
                let expected = try Self.swiftMatches(pattern, text)
                #expect(program.matches(text) == expected, "\(pattern) on \(text)")
            }
        }
    }

    @Test func longTextsStayLinear() throws {
        // (a*)*b on a's only: exponential for a naive backtracker, one pass per start here.
        let program = try #require(PatternProgram("(a*)*b"))
        #expect(program.matches(String(repeating: "a", count: 2_000)) == false)
        #expect(program.matches(String(repeating: "a", count: 2_000) + "b") == true)
        // Found by the fuzzer: Swift's backtracking engine does not finish this in a minute.
        let alternatives = try #require(PatternProgram("a|(a$bb||bb||b|cc){44}0h"))
        #expect(alternatives.matches("") == false)
        #expect(alternatives.matches(String(repeating: "bc", count: 300)) == false)
        #expect(alternatives.matches("xa") == true)
    }
}
