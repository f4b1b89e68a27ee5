import Foundation
import Testing
@testable import QueryEngine

/// InfluxDB 1.6's math functions applied to one row's values.
@Suite struct MathFunctionTests {
    @Test(arguments: [
        ("abs", -2.5, 2.5), ("floor", -2.5, -3), ("ceil", -2.5, -2), ("round", 2.5, 3), ("round", -2.5, -3), ("round", 0.49999999999999994, 0),
        ("sqrt", 6.25, 2.5), ("exp", 0, 1), ("ln", 1, 0), ("log2", 8, 3), ("log10", 1000, 3), ("sin", 0, 0), ("cos", 0, 1), ("atan", 0, 0),
    ])
    func unaryOnFloats(_ name: String, _ x: Double, _ expected: Double) {
        #expect(MathFunction.apply(name, [.float(x)]) == .float(expected))
    }

    @Test func twoArguments() {
        #expect(MathFunction.apply("pow", [.float(1.5), .integer(2)]) == .float(2.25))
        #expect(MathFunction.apply("log", [.float(8), .float(2)]) == .float(3))
        #expect(MathFunction.apply("atan2", [.float(0), .float(2)]) == .float(0))
        #expect(MathFunction.apply("pow", [.float(2), .null]) == .null)
    }

    /// As InfluxDB 1.6.7: integers pass abs, floor, ceil and round unchanged (abs too); other
    /// functions turn them into floats.
    @Test func integersStayUnderRoundingAndAbs() {
        for name in ["abs", "floor", "ceil", "round"] {
            #expect(MathFunction.apply(name, [.integer(-3)]) == .integer(-3))
            #expect(MathFunction.apply(name, [.unsigned(7)]) == .unsigned(7))
        }
        #expect(MathFunction.apply("sqrt", [.integer(9)]) == .float(3))
    }

    @Test func nullForNonNumbersAndNonFiniteResults() {
        for v: ResultValue in [.null, .string("up"), .boolean(true)] {
            #expect(MathFunction.apply("abs", [v]) == .null)
        }
        #expect(MathFunction.apply("sqrt", [.float(-1)]) == .null)
        #expect(MathFunction.apply("ln", [.float(0)]) == .null)
        #expect(MathFunction.apply("asin", [.float(1.5)]) == .null)
        #expect(MathFunction.apply("exp", [.float(1000)]) == .null)
        #expect(MathFunction.apply("nosuch", [.float(1)]) == .null)
    }
}
