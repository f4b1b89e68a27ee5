import Foundation
import Testing
@testable import QueryEngine

/// InfluxDB 1.6's math functions applied to one row's values.
@Suite struct MathFunctionTests {
    /// The function of that name (null for a name that is not one) over the arguments.
    static func apply(_ name: String, _ args: [ResultValue]) -> ResultValue {
        guard let function = MathFunction(rawValue: name) else { return .null }
        return function.apply(args[0], args.count > 1 ? args[1] : .null)
    }

    @Test(arguments: [
        ("abs", -2.5, 2.5), ("floor", -2.5, -3), ("ceil", -2.5, -2), ("round", 2.5, 3), ("round", -2.5, -3), ("round", 0.49999999999999994, 0),
        ("sqrt", 6.25, 2.5), ("exp", 0, 1), ("ln", 1, 0), ("log2", 8, 3), ("log10", 1000, 3), ("sin", 0, 0), ("cos", 0, 1), ("atan", 0, 0),
    ])
    func unaryOnFloats(_ name: String, _ x: Double, _ expected: Double) {
        #expect(Self.apply(name, [.float(x)]) == .float(expected))
    }

    @Test func twoArguments() {
        #expect(Self.apply("pow", [.float(1.5), .integer(2)]) == .float(2.25))
        #expect(Self.apply("log", [.float(8), .float(2)]) == .float(3))
        #expect(Self.apply("atan2", [.float(0), .float(2)]) == .float(0))
        #expect(Self.apply("pow", [.float(2), .null]) == .null)
    }

    /// As InfluxDB 1.6.7: integers pass abs, floor, ceil and round unchanged (abs too); other
    /// functions turn them into floats.
    @Test func integersStayUnderRoundingAndAbs() {
        for name in ["abs", "floor", "ceil", "round"] {
            #expect(Self.apply(name, [.integer(-3)]) == .integer(-3))
            #expect(Self.apply(name, [.unsigned(7)]) == .unsigned(7))
        }
        #expect(Self.apply("sqrt", [.integer(9)]) == .float(3))
    }

    @Test func nullForNonNumbersAndNonFiniteResults() {
        for v: ResultValue in [.null, .string("up"), .boolean(true)] {
            #expect(Self.apply("abs", [v]) == .null)
        }
        #expect(Self.apply("sqrt", [.float(-1)]) == .null)
        #expect(Self.apply("ln", [.float(0)]) == .null)
        #expect(Self.apply("asin", [.float(1.5)]) == .null)
        #expect(Self.apply("exp", [.float(1000)]) == .null)
        #expect(Self.apply("nosuch", [.float(1)]) == .null)
    }
}
