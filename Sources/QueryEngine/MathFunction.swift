import Foundation

/// InfluxDB 1.6's math functions (`abs`, `round`, `ln`, `pow` …): applied to each value of
/// their argument — a field, a tag (null), an aggregate or arithmetic of them — row by row.
/// Resolved from the name once, when the statement is planned.
enum MathFunction: String, Sendable, Hashable {
    case abs, sin, cos, tan, asin, acos, atan, exp, ln, log2, log10, sqrt, floor, ceil, round
    case pow, log, atan2

    /// How many arguments the function takes.
    var arity: Int {
        switch self {
        case .pow, .log, .atan2: 2
        default: 1
        }
    }

    /// The function of the values (`y` only for the two-argument functions); null when an
    /// argument is null or not a number, and when the result is not a finite number
    /// (`sqrt(-1)`, `ln(0)`). Integers stay integers under `abs`, `floor`, `ceil` and `round`:
    /// unchanged, `abs` included (InfluxDB 1.6.7 answers `abs(-3i)` with -3).
    func apply(_ a: ResultValue, _ b: ResultValue = .null) -> ResultValue {
        switch (self, a) {
        case (.abs, .integer), (.floor, .integer), (.ceil, .integer), (.round, .integer),
             (.abs, .unsigned), (.floor, .unsigned), (.ceil, .unsigned), (.round, .unsigned):
            return a
        default: break
        }
        guard let x = Self.double(a) else { return .null }
        var y = 0.0
        if arity == 2 {
            guard let d = Self.double(b) else { return .null }
            y = d
        }
        let r: Double
        switch self {
        case .abs: r = Swift.abs(x)
        case .sin: r = Foundation.sin(x)
        case .cos: r = Foundation.cos(x)
        case .tan: r = Foundation.tan(x)
        case .asin: r = Foundation.asin(x)
        case .acos: r = Foundation.acos(x)
        case .atan: r = Foundation.atan(x)
        case .exp: r = Foundation.exp(x)
        case .ln: r = Foundation.log(x)
        case .log2: r = Foundation.log2(x)
        case .log10: r = Foundation.log10(x)
        case .sqrt: r = x.squareRoot()
        case .floor: r = x.rounded(.down)
        case .ceil: r = x.rounded(.up)
        case .round: r = x.rounded(.toNearestOrAwayFromZero)
        case .pow: r = Foundation.pow(x, y)
        case .log: r = Foundation.log(x) / Foundation.log(y)
        case .atan2: r = Foundation.atan2(x, y)
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
