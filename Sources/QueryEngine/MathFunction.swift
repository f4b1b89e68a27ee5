import Foundation

/// InfluxDB 1.6's math functions (`abs`, `round`, `ln`, `pow` …): applied to each value of
/// their argument — a field, a tag (null), an aggregate or arithmetic of them — row by row.
enum MathFunction {
    static let unary: Set<String> = ["abs", "sin", "cos", "tan", "asin", "acos", "atan", "exp", "ln", "log2", "log10", "sqrt", "floor", "ceil", "round"]
    static let binary: Set<String> = ["pow", "log", "atan2"]

    static func isMath(_ name: String) -> Bool { unary.contains(name) || binary.contains(name) }

    /// The function of the values; null when an argument is null or not a number, and when the
    /// result is not a finite number (`sqrt(-1)`, `ln(0)`). Integers stay integers under
    /// `abs`, `floor`, `ceil` and `round`: unchanged, `abs` included (InfluxDB 1.6.7 answers
    /// `abs(-3i)` with -3).
    static func apply(_ name: String, _ args: [ResultValue]) -> ResultValue {
        guard let first = args.first else { return .null }
        switch (name, first) {
        case ("abs", .integer), ("floor", .integer), ("ceil", .integer), ("round", .integer),
             ("abs", .unsigned), ("floor", .unsigned), ("ceil", .unsigned), ("round", .unsigned):
            return first
        default: break
        }
        var xs: [Double] = []
        for a in args {
            guard let d = double(a) else { return .null }
            xs.append(d)
        }
        let x = xs[0]
        let y = xs.count > 1 ? xs[1] : 0
        let r: Double
        switch name {
        case "abs": r = Swift.abs(x)
        case "sin": r = Foundation.sin(x)
        case "cos": r = Foundation.cos(x)
        case "tan": r = Foundation.tan(x)
        case "asin": r = Foundation.asin(x)
        case "acos": r = Foundation.acos(x)
        case "atan": r = Foundation.atan(x)
        case "exp": r = Foundation.exp(x)
        case "ln": r = Foundation.log(x)
        case "log2": r = Foundation.log2(x)
        case "log10": r = Foundation.log10(x)
        case "sqrt": r = x.squareRoot()
        case "floor": r = x.rounded(.down)
        case "ceil": r = x.rounded(.up)
        case "round": r = x.rounded(.toNearestOrAwayFromZero)
        case "pow": r = Foundation.pow(x, y)
        case "log": r = Foundation.log(x) / Foundation.log(y)
        case "atan2": r = Foundation.atan2(x, y)
        default: return .null
        }
        return r.isFinite ? .float(r) : .null
    }

    private static func double(_ v: ResultValue) -> Double? {
        switch v {
        case .float(let d): d
        case .integer(let i): Double(i)
        case .unsigned(let u): Double(u)
        default: nil
        }
    }
}
