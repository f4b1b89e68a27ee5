import TimeSeries

/// A parser for InfluxDB 1.x line protocol, pure over bytes.
///
/// Grammar (one point per line; `\n` ends a line except inside a quoted string field):
/// ```
/// line        = measurement { "," tag_key "=" tag_value } " " field { "," field } [ " " timestamp ]
/// field       = field_key "=" field_value
/// field_value = float | integer "i" | unsigned "u" | boolean | '"' string '"'
/// ```
/// Escapes: measurement `\,` `\ `; tag keys, tag values and field keys `\,` `\=` `\ `;
/// string values `\"` `\\`. A backslash before any other byte is kept literally. Blank lines
/// and lines starting with `#` are skipped; each line is trimmed of surrounding whitespace.
public struct LineParser: Sendable {
    /// Unit of the timestamps in the body.
    public var precision: Precision
    /// Time (ns) given to points without a timestamp; truncated to `precision`.
    public var defaultTime: Int64

    public init(precision: Precision = .ns, defaultTime: Int64) {
        self.precision = precision
        self.defaultTime = defaultTime
    }

    /// Parses a whole body: every good line becomes a point, every bad one a failure.
    public func parse(_ body: [UInt8]) -> LineBatch {
        var batch = LineBatch()
        body.withUnsafeBufferPointer { buffer in
            var start = 0
            var lineNumber = 1
            while start < buffer.count {
                let (end, newlines) = Self.lineEnd(buffer, from: start)
                let line = Self.trimmed(buffer, start, end)
                if !line.isEmpty && buffer[line.lowerBound] != UInt8(ascii: "#") {
                    do throws(LineProtocolError) {
                        batch.points.append(try parseLine(UnsafeBufferPointer(rebasing: buffer[line])))
                    } catch {
                        let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[line]), as: UTF8.self)
                        batch.failures.append(LineFailure(line: lineNumber, text: text, reason: error))
                    }
                }
                lineNumber += newlines
                start = end + 1
            }
        }
        return batch
    }

    /// Parses one line (already trimmed, without its newline).
    public func parseLine(_ line: UnsafeBufferPointer<UInt8>) throws(LineProtocolError) -> Point {
        var scanner = LineScanner(bytes: line)
        let measurement = scanner.readName(stops: Self.measurementStops)
        guard !measurement.isEmpty else { throw .missingMeasurement }
        var tags: [Tag] = []
        while scanner.peek == UInt8(ascii: ",") {
            scanner.advance()
            tags.append(try scanner.readTag())
        }
        guard scanner.peek == UInt8(ascii: " ") else { throw .missingFields }
        scanner.advance()
        guard !scanner.atEnd else { throw .missingFields }
        let fields = try scanner.readFields()
        var time = precision.truncate(defaultTime)
        if scanner.peek == UInt8(ascii: " ") {
            scanner.advance()
            time = try scanner.readTimestamp(precision: precision)
        }
        // Tags are non-empty by construction; sorted and unique they form the key directly.
        if tags.count > 1 { tags.sort() }
        try Self.checkDuplicates(tags)
        return Point(key: SeriesKey(measurement: measurement, sortedTags: tags), fields: fields, time: time)
    }

    static let measurementStops = ByteSet([UInt8(ascii: ","), UInt8(ascii: " ")])

    /// `tags` sorted by key: a repeated key sits next to its twin.
    static func checkDuplicates(_ tags: [Tag]) throws(LineProtocolError) {
        guard tags.count > 1 else { return }
        for i in 1..<tags.count where tags[i].key == tags[i - 1].key { throw .duplicateTags }
    }

    /// The index of the newline ending the line at `start` (or the end), and how many
    /// physical newlines the line spans (quoted strings may hold newlines).
    static func lineEnd(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> (Int, Int) {
        var i = start
        // Leading whitespace is trimmed before parsing, so it must not count as the
        // measurement/fields separator here either.
        while i < buffer.count && buffer[i] != UInt8(ascii: "\n") && isSpace(buffer[i]) { i += 1 }
        var spaces = 0
        var quoted = false
        var afterEquals = false
        var newlines = 1
        while i < buffer.count {
            let byte = buffer[i]
            if byte == UInt8(ascii: "\\") && i + 1 < buffer.count && buffer[i + 1] != UInt8(ascii: "\n") {
                i += 2
                afterEquals = false
                continue
            }
            if byte == UInt8(ascii: "\n") {
                if !quoted { return (i, newlines) }
                newlines += 1
            }
            if quoted {
                if byte == UInt8(ascii: "\"") { quoted = false }
            } else if byte == UInt8(ascii: " ") {
                spaces += 1
            } else if spaces == 1 && byte == UInt8(ascii: "\"") && afterEquals {
                quoted = true
            }
            afterEquals = !quoted && spaces == 1 && byte == UInt8(ascii: "=")
            i += 1
        }
        return (buffer.count, newlines)
    }

    static func trimmed(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Range<Int> {
        var lo = start
        var hi = end
        while lo < hi && isSpace(buffer[lo]) { lo += 1 }
        while hi > lo && isSpace(buffer[hi - 1]) {
            // A space kept by a backslash belongs to the line.
            if hi - 2 >= lo && buffer[hi - 2] == UInt8(ascii: "\\") { break }
            hi -= 1
        }
        return lo..<hi
    }

    static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0B || b == 0x0C
    }
}

/// Result of parsing one body.
public struct LineBatch: Sendable, Hashable {
    public var points: [Point] = []
    public var failures: [LineFailure] = []

    public init(points: [Point] = [], failures: [LineFailure] = []) {
        self.points = points
        self.failures = failures
    }
}
