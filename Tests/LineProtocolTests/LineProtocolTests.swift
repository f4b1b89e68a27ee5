import Testing
import TimeSeries
@testable import LineProtocol

private func parse(_ text: String, precision: Precision = .ns, now: Int64 = 42) -> LineBatch {
    LineParser(precision: precision, defaultTime: now).parse(Array(text.utf8))
}

private func point(_ text: String) throws -> Point {
    let batch = parse(text)
    #expect(batch.failures.isEmpty, "\(batch.failures)")
    return try #require(batch.points.first)
}

struct EscapeCase: Sendable, CustomStringConvertible {
    var line: String
    var measurement: String
    var tags: [TimeSeries.Tag]
    var fields: [Field]
    var description: String { line }
}

@Suite struct LineProtocolTests {
    static let escapes: [EscapeCase] = [
        EscapeCase(line: #"cpu value=1"#, measurement: "cpu", tags: [], fields: [Field("value", .float(1))]),
        EscapeCase(line: #"my\ cpu value=1"#, measurement: "my cpu", tags: [], fields: [Field("value", .float(1))]),
        EscapeCase(line: #"my\,cpu value=1"#, measurement: "my,cpu", tags: [], fields: [Field("value", .float(1))]),
        // `=` needs no escape in a measurement, yet InfluxDB undoes `\=` and `\"` there too.
        EscapeCase(line: #"a=b value=1"#, measurement: "a=b", tags: [], fields: [Field("value", .float(1))]),
        EscapeCase(line: #"a\=b value=1"#, measurement: "a=b", tags: [], fields: [Field("value", .float(1))]),
        EscapeCase(line: #"a\"b\" value=1"#, measurement: #"a"b""#, tags: [], fields: [Field("value", .float(1))]),
        EscapeCase(line: #"m,t=\"v\" f\"k=1"#, measurement: "m", tags: [TimeSeries.Tag("t", #"\"v\""#)], fields: [Field(#"f"k"#, .float(1))]),
        // A string's first and last byte are taken off, whatever the last one is.
        EscapeCase(line: #"m s="a"b"#, measurement: "m", tags: [], fields: [Field("s", .string(#"a""#))]),
        EscapeCase(line: #"c\d value=1"#, measurement: #"c\d"#, tags: [], fields: [Field("value", .float(1))]),
        EscapeCase(line: #"m,t\ k=v\ 1 f=1"#, measurement: "m", tags: [TimeSeries.Tag("t k", "v 1")], fields: [Field("f", .float(1))]),
        EscapeCase(line: #"m,t\,k=v\,1 f=1"#, measurement: "m", tags: [TimeSeries.Tag("t,k", "v,1")], fields: [Field("f", .float(1))]),
        EscapeCase(line: #"m,t\=k=v\=1 f=1"#, measurement: "m", tags: [TimeSeries.Tag("t=k", "v=1")], fields: [Field("f", .float(1))]),
        EscapeCase(line: #"m,t=C:\path f=1"#, measurement: "m", tags: [TimeSeries.Tag("t", #"C:\path"#)], fields: [Field("f", .float(1))]),
        EscapeCase(line: #"m f\ k=1"#, measurement: "m", tags: [], fields: [Field("f k", .float(1))]),
        EscapeCase(line: #"m f\,k=1"#, measurement: "m", tags: [], fields: [Field("f,k", .float(1))]),
        EscapeCase(line: #"m f\=k=1"#, measurement: "m", tags: [], fields: [Field("f=k", .float(1))]),
        EscapeCase(line: #"m s="a \"q\" b""#, measurement: "m", tags: [], fields: [Field("s", .string(#"a "q" b"#))]),
        EscapeCase(line: #"m s="back\\slash""#, measurement: "m", tags: [], fields: [Field("s", .string(#"back\slash"#))]),
        EscapeCase(line: #"m s="keep\n""#, measurement: "m", tags: [], fields: [Field("s", .string(#"keep\n"#))]),
        EscapeCase(line: #"m s="a,b c=d""#, measurement: "m", tags: [], fields: [Field("s", .string("a,b c=d"))]),
        EscapeCase(line: "m s=\"\"", measurement: "m", tags: [], fields: [Field("s", .string(""))]),
        EscapeCase(line: "m s=\"ünïcødé ✓\"", measurement: "m", tags: [], fields: [Field("s", .string("ünïcødé ✓"))]),
        EscapeCase(line: #"m,b=2,a=1 f=1"#, measurement: "m", tags: [TimeSeries.Tag("a", "1"), TimeSeries.Tag("b", "2")], fields: [Field("f", .float(1))]),
    ]

    @Test(arguments: escapes)
    func escapeRules(_ c: EscapeCase) throws {
        let p = try point(c.line)
        #expect(p.key.measurement == c.measurement)
        #expect(p.key.tags == c.tags)
        #expect(p.fields == c.fields)
    }

    static let values: [(String, FieldValue)] = [
        ("1", .float(1)), ("-1.5", .float(-1.5)), ("1e3", .float(1000)), ("1.5E-3", .float(0.0015)),
        (".5", .float(0.5)), ("1.", .float(1)), ("-0", .float(-0.0)), ("2e+2", .float(200)),
        ("1i", .integer(1)), ("-9223372036854775808i", .integer(Int64.min)),
        ("9223372036854775807i", .integer(Int64.max)), ("01i", .integer(1)), ("5.", .float(5)), ("-.5", .float(-0.5)),
        ("1.e1", .float(10)), ("00.5", .float(0.5)), ("1e-400", .float(0)),
        ("t", .boolean(true)), ("T", .boolean(true)), ("true", .boolean(true)), ("True", .boolean(true)),
        ("TRUE", .boolean(true)), ("f", .boolean(false)), ("F", .boolean(false)), ("false", .boolean(false)),
        ("False", .boolean(false)), ("FALSE", .boolean(false)),
    ]

    @Test(arguments: values)
    func fieldTypes(_ text: String, _ expected: FieldValue) throws {
        let p = try point("m v=\(text) 1")
        #expect(p.fields.count == 1)
        #expect(p.fields[0].value.isIdentical(to: expected))
        #expect(p.time == 1)
    }

    static let errors: [(String, LineProtocolError)] = [
        ("m", .missingFields), ("m ", .invalidFieldFormat), ("m,t v=1 1", .missingTagValue),
        ("m,t= v=1", .missingTagValue), ("m,=v f=1", .missingTagKey), ("m,t=a=b f=1", .invalidTagFormat),
        ("m,t=a,t=b f=1", .duplicateTags), (",t=a f=1", .missingMeasurement), ("m v= 1", .missingFieldValue),
        ("m v=tru 1", .invalidBoolean), ("m v=\"abc 1", .unbalancedQuotes), ("m  1", .invalidFieldFormat),
        ("bad line", .invalidFieldFormat), ("m =1", .missingFieldKey), ("m v=1 abc", .badTimestamp),
        ("m v=1 1 2", .invalidPoint), ("m v=1 1\t", .badTimestamp), ("m v=1 1\r", .badTimestamp),
        ("m v=1\r", .invalidNumber), ("m v=1 -", .timestampSyntax("-")), ("m\tv=1 1", .invalidFieldFormat),
        ("m v=1 99999999999999999999", .timestampOutOfRange("99999999999999999999")),
        ("m v=1u1", .invalidNumber), ("m v=1.5i", .invalidNumber), ("m v=-1u", .invalidNumber), ("m v=+1", .invalidBoolean),
        ("m v=1e", .invalidFloat), ("m v=abc", .invalidBoolean), ("m v=1e400", .invalidFloat), ("m v=-", .invalidNumber),
        ("m v=99999999999999999999i 1", .integerOutOfRange("99999999999999999999")),
        ("m v=18446744073709551616u", .invalidNumber), ("m v=0u", .invalidNumber), ("m v=1,", .invalidFieldFormat),
        ("m v=NaN", .invalidNumber), ("m v=inf", .invalidBoolean), ("m v=1_000", .invalidNumber), ("m v=1..2", .invalidNumber),
        ("m v=tRUE", .invalidBoolean), ("m,t=a,b=1,t=c v=1", .duplicateTags), ("m,t=a v=1,=2", .missingFieldKey),
        (#"m v\\=1i 5"#, .invalidValue(#"v\\=1i"#)), ("m v=\"unterminated 5", .unbalancedQuotes),
    ]

    @Test(arguments: errors)
    func rejectedLines(_ line: String, _ reason: LineProtocolError) {
        let batch = parse(line)
        #expect(batch.points.isEmpty)
        #expect(batch.failures == [LineFailure(line: 1, text: line, reason: reason)])
    }

    @Test func errorTextsMatchInfluxDB() {
        // Recorded from InfluxDB 1.6.7 (POST /write bodies).
        #expect(LineFailure(line: 1, text: "m,t v=1 1", reason: .missingTagValue).description
            == "unable to parse 'm,t v=1 1': missing tag value")
        #expect(LineProtocolError.integerOutOfRange("99999999999999999999").description
            == #"unable to parse integer 99999999999999999999: strconv.ParseInt: parsing "99999999999999999999": value out of range"#)
        #expect(LineProtocolError.unbalancedQuotes.description == "unbalanced quotes")
        #expect(LineProtocolError.timeOutsideRange.description
            == "time outside range -9223372036854775806 - 9223372036854775806")
    }

    @Test func partialBodyKeepsGoodLinesAndNumbersBadOnes() {
        let batch = parse("m v=1 1\nbad line\n\n# comment\nm v=3 3\nother x\r\n  m v=4 4  \n")
        #expect(batch.points.map(\.time) == [1, 3, 4])
        #expect(batch.failures.map(\.line) == [2, 6])
        // InfluxDB skips leading whitespace only: the `\r` of a CRLF line stays, and fails it.
        #expect(batch.failures.map(\.text) == ["bad line", "other x\r"])
    }

    @Test func newlineInsideStringDoesNotEndTheLine() throws {
        let batch = parse("m s=\"two\nlines\" 5\nbad\nm v=1 6")
        #expect(batch.points.count == 2)
        #expect(batch.points.first?.fields == [Field("s", .string("two\nlines"))])
        #expect(batch.failures.map(\.line) == [3])
    }

    @Test(arguments: [(Precision.ns, Int64(7)), (.us, 7_000), (.ms, 7_000_000), (.s, 7_000_000_000),
                      (.m, 420_000_000_000), (.h, 25_200_000_000_000)])
    func precisionScalesTimestamps(_ precision: Precision, _ expected: Int64) throws {
        let batch = parse("m v=1 7", precision: precision)
        #expect(batch.points.first?.time == expected)
    }

    @Test func missingTimestampUsesDefaultTruncatedToPrecision() {
        #expect(parse("m v=1", now: 1_234_567_891).points.first?.time == 1_234_567_891)
        #expect(parse("m v=1", precision: .s, now: 1_234_567_891).points.first?.time == 1_000_000_000)
        #expect(parse("m v=1", precision: .s, now: -1).points.first?.time == -1_000_000_000)
    }

    /// The int64 edge as InfluxDB 1.6.7's /write answered each line (204 or its 400 reason).
    @Test(arguments: [
        ("edge value=100 9223372036854775806", nil), ("edge value=100 -9223372036854775806", nil),
        ("edge value=100 9223372036854775807", "time outside range -9223372036854775806 - 9223372036854775806"),
        ("edge value=100 -9223372036854775807", "time outside range -9223372036854775806 - 9223372036854775806"),
        ("edge value=100 -9223372036854775808", "time outside range -9223372036854775806 - 9223372036854775806"),
        ("edge value=100 9223372036854775808", "strconv.ParseInt: parsing \"9223372036854775808\": value out of range"),
        ("m v=1 -99999999999999999999", "strconv.ParseInt: parsing \"-99999999999999999999\": value out of range"),
        ("m v=1 -", "strconv.ParseInt: parsing \"-\": invalid syntax"),
        ("m v=1 abc", "bad timestamp"),
    ] as [(String, String?)])
    func timestampEdgesAsInfluxDB(_ line: String, _ reason: String?) {
        let batch = parse(line)
        #expect(batch.failures.first?.reason.description == reason)
        if reason == nil { #expect(batch.points.first.map { "\($0.time)" } == line.split(separator: " ").last.map(String.init)) }
    }

    @Test func negativeAndOverflowingTimestamps() {
        #expect(parse("m v=1 -5").points.first?.time == -5)
        #expect(parse("m v=1 9223372036854775807", precision: .s).failures.first?.reason == .timeOutsideRange)
    }

    @Test func repeatedFieldKeepsLastValue() throws {
        #expect(try point("m v=1,v=2 1").fields == [Field("v", .float(2))])
        // Of another type it stays twice, for the write to refuse as a field type conflict.
        #expect(try point("m v=1i,v=2 1").fields == [Field("v", .integer(1)), Field("v", .float(2))])
    }

    /// Found by the fuzzer: two keys of invalid UTF-8 that decode alike are one key twice.
    @Test func keysThatDecodeAlikeAreDuplicates() {
        let bytes: [UInt8] = Array("m,".utf8) + [0x89] + Array("k=a,".utf8) + [0xA3] + Array("k=b v=1 1".utf8)
        let batch = LineParser(defaultTime: 0).parse(bytes)
        #expect(batch.points.isEmpty)
        #expect(batch.failures.map(\.reason) == [.duplicateTags])
    }

    @Test func keyLengthIsInfluxDBs() {
        let name = String(repeating: "m", count: 65_530)
        #expect(parse("\(name) v=1 1").failures.isEmpty)
        #expect(parse("\(name)x v=1 1").failures.first?.reason == .maxKeyLength(65_536))
        #expect(parse("\(name)xxxxxx v=1 1").failures.first?.reason == .maxKeyLength(65_536))
        #expect(parse("\(name),t=a v=1 1").failures.first?.reason == .maxKeyLength(65_534 + 4 + 1))
        #expect(LineProtocolError.maxKeyLength(65_536).description == "max key length exceeded: 65536 > 65535")
    }

    /// A line ends at a newline outside a string; a string opens at a `"` after the first space
    /// once more `=` than `,` came, even when that space leads the line (InfluxDB 1.6.7 answered
    /// the first body with one line, `…e=6\n`, invalid number).
    @Test func linesSplitAsInfluxDB() {
        let batch = parse(" /=\"\u{8}\n\nc=x e=6\n\n")
        #expect(batch.points.isEmpty)
        #expect(batch.failures.map(\.text) == ["/=\"\u{8}\n\nc=x e=6\n"])
        #expect(batch.failures.map(\.reason) == [.invalidNumber])
        #expect(parse("m v=1 1\\\nm v=2 2").failures.count == 1)
    }

    @Test func severalFieldsAndTagsKeepFieldOrder() throws {
        let p = try point("disk,host=a,dev=sda used=1i,free=2.5,ok=t,name=\"x\" 100")
        #expect(p.key.description == "disk,dev=sda,host=a")
        #expect(p.fields.map(\.name) == ["used", "free", "ok", "name"])
        #expect(p.time == 100)
    }

    @Test(arguments: ["n", "u", "ms", "s", "m", "h"])
    func precisionParameters(_ text: String) {
        #expect(Precision(parameter: text) != nil)
    }

    /// InfluxDB 1.6.7 read `precision=us` (and `ns`, `µ`, anything else) as nanoseconds.
    @Test(arguments: ["", "ns", "us", "µ", "xx", "rfc3339"])
    func otherPrecisionsAreNanoseconds(_ text: String) {
        #expect(Precision(parameter: text) == nil)
    }
}

@Suite struct LineEncoderTests {
    static let bodies: [String] = [
        #"my\ cpu,t\ k=v\,1,z=a\=b f\ k=1i,b=true,s="a \"q\" b\\",u=3i -5"#,
        #"a\"b\\"c\=d,t=\"x\" f\"k="s" 1"#,
        "m s=\"two\nlines\" 5",
        // Found by the fuzzer: a combining mark after an escaped space is one Character.
        "m\u{01} t\\ \u{35A}=1 7",
        #"m,t=x\\y f=1.5e+20 1"#,
    ]

    @Test(arguments: bodies)
    func encodeThenParseGivesThePointsBack(_ body: String) throws {
        let first = LineParser(defaultTime: 0).parse(Array(body.utf8))
        #expect(first.failures.isEmpty, "\(first.failures)")
        #expect(!first.points.isEmpty)
        let again = LineParser(defaultTime: 0).parse(Array(LineEncoder.encode(first.points).utf8))
        #expect(again.failures.isEmpty)
        #expect(again.points == first.points)
    }

    @Test func fuzzerCrashInput() {
        let bytes: [UInt8] = [0x6d, 0x01, 0, 0, 0, 0x74, 0x77, 0x6f, 0x5c, 0x6e, 0x75, 0x69, 0x6e, 0x76, 0, 0, 0, 0x32, 0x66, 0x5c, 0x20,
                              0xcd, 0x9a, 0, 0, 0x5c, 0x6e, 0x5c, 0x6d, 0x20, 0x76, 0x3d, 0x31, 0x65, 0x33]
        let first = LineParser(defaultTime: 0).parse(bytes)
        let again = LineParser(defaultTime: 0).parse(Array(LineEncoder.encode(first.points).utf8))
        #expect(again.failures.isEmpty)
        #expect(again.points == first.points)
    }
}
