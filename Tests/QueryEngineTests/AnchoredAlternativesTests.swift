import Testing
import TestSupport
@testable import QueryEngine

/// `Condition.anchoredAlternatives` (scalar by scalar) against its Character-by-Character
/// definition, over Grafana's shapes and random patterns.
@Suite struct AnchoredAlternativesTests {
    static func reference(_ pattern: String) -> [String]? {
        var body = Substring(pattern)
        guard body.hasPrefix("^"), body.hasSuffix("$"), body.count >= 2 else { return nil }
        body = body.dropFirst().dropLast()
        if body.hasPrefix("("), body.hasSuffix(")") { body = body.dropFirst().dropLast() }
        var out: [String] = [], current = "", escaped = false
        for ch in body {
            if escaped {
                guard ch.isPunctuation || ch.isSymbol || ch == " " else { return nil }
                current.append(ch)
                escaped = false
                continue
            }
            switch ch {
            case "\\": escaped = true
            case "|": out.append(current); current = ""
            case ".", "*", "+", "?", "(", ")", "[", "]", "{", "}", "^", "$": return nil
            default: current.append(ch)
            }
        }
        if escaped { return nil }
        out.append(current)
        return out.contains(where: \.isEmpty) ? nil : out
    }

    @Test(arguments: ["^host050$", "^(a|b\\.c)$", "^(web-1|web-2)$", "^$", "^a", "host$", "^a.b$", "^\\d$", "^(a||b)$",
                      "^x\\$", "^caf\u{E9}$", "^cafe\u{301}$", "^\\\u{2212}$", "^\\ $", "^\\é$", "^(\\(x\\))$"])
    func grafanaShapes(_ pattern: String) {
        #expect(Condition.anchoredAlternatives(pattern) == Self.reference(pattern))
    }

    @Test func randomPatterns() {
        var random = SeededGenerator(seed: 0xA11C_4E5)
        let alphabet: [String] = ["^", "$", "(", ")", "|", "\\", ".", "a", "b", "-", "_", " ", "é", "e\u{301}", "€", "+", "d", "1"]
        for _ in 0..<20_000 {
            let inner = (0..<Int.random(in: 0...8, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined()
            let pattern = Bool.random(using: &random) ? "^" + inner + "$" : inner
            #expect(Condition.anchoredAlternatives(pattern) == Self.reference(pattern), "\(pattern)")
        }
    }
}
