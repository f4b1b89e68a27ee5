import InfluxQL
import Testing
@testable import QueryEngine

/// Row arithmetic where InfluxDB 1.6.7's answers were recorded (`SELECT i % 0, b & true … FROM mp`).
@Suite struct RowArithmeticTests {
    @Test func integerRemainderByZeroIsZero() {
        #expect(RowEval.arithmetic(.modulo, .integer(7), .integer(0)) == .integer(0))
        #expect(RowEval.arithmetic(.modulo, .integer(-7), .integer(3)) == .integer(-1))
        #expect(RowEval.arithmetic(.modulo, .integer(Int64.min), .integer(-1)) == .integer(0))
        #expect(RowEval.arithmetic(.divide, .integer(7), .integer(0)) == .float(0))
    }

    @Test func bitwiseOperatorsOfBooleansAreLogical() {
        for a in [false, true] {
            for b in [false, true] {
                #expect(RowEval.arithmetic(.bitwiseAnd, .boolean(a), .boolean(b)) == .boolean(a && b))
                #expect(RowEval.arithmetic(.bitwiseOr, .boolean(a), .boolean(b)) == .boolean(a || b))
                #expect(RowEval.arithmetic(.bitwiseXor, .boolean(a), .boolean(b)) == .boolean(a != b))
                #expect(RowEval.arithmetic(.add, .boolean(a), .boolean(b)) == .null)
            }
        }
    }
}
