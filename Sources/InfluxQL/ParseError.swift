/// Why a query text could not be parsed; the only error type of this module.
///
/// `description` is InfluxDB 1.x's text for the same input, e.g.
/// `found EOF, expected identifier at line 1, char 15`. A few of InfluxDB's errors carry no
/// position (`invalid duration`, `only ORDER BY time supported at this time`); for those
/// `line` and `char` are 0 and `description` is the bare message.
public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The message without the position suffix.
    public var message: String
    /// 1-based line of the offending token, or 0 when InfluxDB reports no position.
    public var line: Int
    /// 1-based character (Unicode scalar) within the line, or 0 when there is no position.
    public var char: Int

    public init(message: String, line: Int, char: Int) {
        self.message = message
        self.line = line
        self.char = char
    }

    /// InfluxDB's rendering: `"<message> at line L, char C"`, or the bare message.
    public var description: String {
        line == 0 ? message : "\(message) at line \(line), char \(char)"
    }
}
