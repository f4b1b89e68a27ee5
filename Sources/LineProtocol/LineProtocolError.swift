/// Why one line of line protocol was rejected; `description` is InfluxDB 1.x's wording.
public enum LineProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    case missingMeasurement
    case missingTagKey
    case missingTagValue
    case invalidTagFormat
    case duplicateTags
    case missingFields
    case invalidFieldFormat
    case missingFieldKey
    case missingFieldValue
    case invalidBoolean
    case invalidNumber
    case invalidFloat
    case unbalancedQuotes
    case integerOutOfRange(String)
    case badTimestamp
    /// Digits that do not fit in an Int64 (Go's `strconv.ParseInt` range error).
    case timestampOutOfRange(String)
    /// A sign without digits (Go's `strconv.ParseInt` syntax error).
    case timestampSyntax(String)
    case timeOutsideRange
    /// Bytes other than spaces after the timestamp.
    case invalidPoint
    /// A series key (with a field key, plus 4) longer than InfluxDB's 65 535 bytes.
    case maxKeyLength(Int)
    /// A field whose `=` leaves no value once the line is scanned (a key ending in `\\`).
    case invalidValue(String)
    /// A value the scan let through that its type cannot parse: kind, text, Go function.
    case unparsableValue(String, String, String)

    public var description: String {
        switch self {
        case .missingMeasurement: "missing measurement"
        case .missingTagKey: "missing tag key"
        case .missingTagValue: "missing tag value"
        case .invalidTagFormat: "invalid tag format"
        case .duplicateTags: "duplicate tags"
        case .missingFields: "missing fields"
        case .invalidFieldFormat: "invalid field format"
        case .missingFieldKey: "missing field key"
        case .missingFieldValue: "missing field value"
        case .invalidBoolean: "invalid boolean"
        case .invalidNumber: "invalid number"
        case .invalidFloat: "invalid float"
        case .unbalancedQuotes: "unbalanced quotes"
        case .integerOutOfRange(let text):
            "unable to parse integer \(text): strconv.ParseInt: parsing \"\(text)\": value out of range"
        case .badTimestamp: "bad timestamp"
        case .timestampOutOfRange(let text): "strconv.ParseInt: parsing \"\(text)\": value out of range"
        case .timestampSyntax(let text): "strconv.ParseInt: parsing \"\(text)\": invalid syntax"
        case .timeOutsideRange: "time outside range -9223372036854775806 - 9223372036854775806"
        case .invalidPoint: "point is invalid"
        case .maxKeyLength(let size): "max key length exceeded: \(size) > 65535"
        case .invalidValue(let key): "invalid value: field-key=\(key)"
        case .unparsableValue(let kind, let text, let function):
            "unable to parse \(kind) value \"\(text)\": strconv.\(function): parsing \"\(text)\": invalid syntax"
        }
    }
}

/// One rejected line: its 1-based line number in the body, its text and the reason.
public struct LineFailure: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var text: String
    public var reason: LineProtocolError

    public init(line: Int, text: String, reason: LineProtocolError) {
        self.line = line
        self.text = text
        self.reason = reason
    }

    /// InfluxDB's `unable to parse '<line>': <reason>`.
    public var description: String {
        "unable to parse '\(text)': \(reason)"
    }
}
