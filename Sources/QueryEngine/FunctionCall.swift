import InfluxQL

/// A planned function call: the name, the field it reads and its constant arguments.
struct FunctionCall: Sendable, Hashable {
    var name: String
    /// The field the call (or its innermost aggregate) reads; empty for transformations of an aggregate.
    var field: String
    /// N of top/bottom/sample/moving_average.
    var count: Int = 0
    /// The percentile of `percentile`.
    var number: Double = 0
    /// The unit of derivative/elapsed/integral in ns (0 = the function's default).
    var unit: Int64 = 0
    /// Tag keys of `top(field, tag…, N)` / `bottom(…)`: one winner per distinct tag combination.
    var tags: [String] = []
    /// The type the field is read as (`mean(f::integer)`): InfluxDB converts floats and integers
    /// before the function sees them and leaves out values of other types.
    var cast: DataType? = nil

    /// Where the call's samples are found among a group's loaded fields: the field, or the field
    /// read under its cast (`FieldData.cast`).
    var dataKey: String { cast.map { "\(field)::\($0)" } ?? field }

    static let aggregates: Set<String> = ["count", "distinct", "integral", "mean", "median", "mode", "spread", "stddev", "sum"]
    static let selectors: Set<String> = ["bottom", "first", "last", "max", "min", "percentile", "sample", "top"]
    static let transformations: Set<String> = [
        "derivative", "non_negative_derivative", "difference", "non_negative_difference",
        "moving_average", "cumulative_sum", "elapsed",
    ]

    var isSelector: Bool { Self.selectors.contains(name) }
    var isTransformation: Bool { Self.transformations.contains(name) }
    /// Functions that may return several rows per bucket and keep their points' times.
    var isMultiRow: Bool { name == "top" || name == "bottom" || name == "sample" || name == "distinct" }
    var keepsPointTime: Bool { name == "top" || name == "bottom" || name == "sample" }
}
