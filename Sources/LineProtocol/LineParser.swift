import TimeSeries
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A parser for InfluxDB 1.x line protocol, pure over bytes, reading it as InfluxDB 1.6 does.
///
/// Grammar (one point per line; `\n` ends a line except inside a quoted string field):
/// ```
/// line        = measurement { "," tag_key "=" tag_value } " " field { "," field } [ " " timestamp ]
/// field       = field_key "=" field_value
/// field_value = float | integer "i" | boolean | '"' string '"'
/// ```
/// Escapes: measurement and field keys `\,` `\=` `\ ` `\"`; tag keys and values `\,` `\=`
/// `\ `; string values `\"` `\\`. A backslash before any other byte is kept literally.
/// Lines are split, scanned and refused as InfluxDB 1.6.7 does (`LineScanner`): leading spaces,
/// tabs and NULs are skipped, a line starting with `#` or holding only those is skipped, and
/// nothing else is trimmed, so a `\r` before the newline is part of the line (InfluxDB refuses
/// such a line, and so do we). Unsigned values (`12u`) are refused, as InfluxDB 1.6 does.
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
                var first = start
                while first < end && LineScanner.isWhitespace(buffer[first]) { first += 1 }
                var last = end
                // A line ending in an escaped newline keeps its backslash, not the newline.
                if last > first && buffer[last - 1] == UInt8(ascii: "\n") { last -= 1 }
                if first < end && buffer[first] != UInt8(ascii: "#") {
                    let line = UnsafeBufferPointer(rebasing: buffer[first..<last])
                    do throws(LineProtocolError) {
                        batch.points.append(try parseLine(line))
                    } catch {
                        batch.failures.append(LineFailure(line: lineNumber, text: String(decoding: line, as: UTF8.self), reason: error))
                    }
                }
                lineNumber += newlines
                start = end + 1
            }
        }
        return batch
    }

    /// Parses one line (without its newline, leading whitespace skipped). InfluxDB's order of
    /// checks: key, fields, the walk of the fields, time; a value its type cannot parse fails
    /// only after all of them (InfluxDB's engine meets it when it writes).
    public func parseLine(_ line: UnsafeBufferPointer<UInt8>) throws(LineProtocolError) -> Point {
        var scanner = LineScanner(bytes: line)
        try scanner.scan()
        var fields: [Field] = []
        var unparsable: LineProtocolError?
        try scanner.forEachField { (keyRange: Range<Int>, valueRange: Range<Int>) throws(LineProtocolError) in
            let value: FieldValue
            do throws(LineProtocolError) {
                guard let v = try scanner.value(valueRange) else { return }
                value = v
            } catch {
                if unparsable == nil { unparsable = error }
                return
            }
            let key = LineScanner.unescape(UnsafeBufferPointer(rebasing: line[keyRange]), LineScanner.keyEscapes)
            guard !key.isEmpty else { return }
            // A repeated key keeps its last value; one repeated with another type stays twice,
            // so the write refuses it as InfluxDB does (a field type conflict).
            if let existing = fields.firstIndex(where: { $0.name == key && $0.value.type == value.type }) {
                fields[existing].value = value
            } else {
                fields.append(Field(key, value))
            }
        }
        try scanner.scanTime()
        let time = try scanner.timestamp(precision) ?? precision.truncate(defaultTime)
        if let unparsable { throw unparsable }
        guard !fields.isEmpty else { throw .missingFields }
        let measurement = LineScanner.unescape(UnsafeBufferPointer(rebasing: line[0..<scanner.measurementEnd]), LineScanner.keyEscapes)
        var tags: [Tag] = []
        tags.reserveCapacity(scanner.tags.count)
        for tag in scanner.tags {
            tags.append(Tag(LineScanner.unescape(UnsafeBufferPointer(rebasing: line[tag.key]), LineScanner.tagEscapes),
                            LineScanner.unescape(UnsafeBufferPointer(rebasing: line[tag.value]), LineScanner.tagEscapes)))
        }
        if tags.count > 1 {
            tags.sort()
            // Keys InfluxDB tells apart by their bytes may decode alike (invalid UTF-8 becomes
            // U+FFFD); a series key holds each key once.
            for i in 1..<tags.count where tags[i].key == tags[i - 1].key { throw .duplicateTags }
        }
        return Point(key: SeriesKey(measurement: measurement, sortedTags: tags), fields: fields, time: time)
    }

    /// The index of the newline ending the line at `start` (or the end), and how many
    /// physical newlines the line spans. As InfluxDB splits: a backslash takes the next byte
    /// with it (a newline too), and after the first space a `"` opens or closes a string
    /// when more `=` than `,` came before it in that part of the line.
    static func lineEnd(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int) -> (Int, Int) {
        // Most lines hold neither a backslash nor a quote: they end at the next newline.
        if let base = buffer.baseAddress, start < buffer.count {
            var end = buffer.count
            if let newline = memchr(base + start, 0x0A, buffer.count - start) {
                end = UnsafeRawPointer(newline) - UnsafeRawPointer(base)
            }
            if memchr(base + start, 0x22, end - start) == nil && memchr(base + start, 0x5C, end - start) == nil { return (end, 1) }
        }
        var i = start
        var fields = false
        var quoted = false
        var equals = 0
        var commas = 0
        var newlines = 1
        while i < buffer.count {
            let byte = buffer[i]
            if byte == UInt8(ascii: "\\") {
                if i + 1 < buffer.count && buffer[i + 1] == UInt8(ascii: "\n") { newlines += 1 }
                i += 2
                continue
            }
            if byte == UInt8(ascii: " ") { fields = true }
            if fields {
                if !quoted && byte == UInt8(ascii: "=") {
                    equals += 1
                    i += 1
                    continue
                }
                if !quoted && byte == UInt8(ascii: ",") {
                    commas += 1
                    i += 1
                    continue
                }
                if byte == UInt8(ascii: "\"") && equals > commas {
                    quoted.toggle()
                    i += 1
                    continue
                }
            }
            if byte == UInt8(ascii: "\n") {
                if !quoted { return (i, newlines) }
                newlines += 1
            }
            i += 1
        }
        return (min(i, buffer.count), newlines)
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
