import Foundation
import Testing
@testable import QueryEngine
import TimeSeries

@Suite struct ResultWriterTests {
    static func json(_ v: Double) -> String {
        var out: [UInt8] = []
        NumberFormat.json(v, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func fixed(_ v: Double) -> String {
        var out: [UInt8] = []
        NumberFormat.fixed(v, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test(arguments: [
        (1.0, "1"), (0.1, "0.1"), (-2.5, "-2.5"), (1e21, "1e+21"), (1e20, "100000000000000000000"),
        (1e-7, "1e-7"), (0.000001, "0.000001"), (1.5e-7, "1.5e-7"), (2.35e23, "2.35e+23"), (2.35e-9, "2.35e-9"),
        (123456789.123, "123456789.123"), (-0.0, "-0"), (Double.leastNonzeroMagnitude, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
        (1e-10, "1e-10"), (2.0138999999999996, "2.0138999999999996"), (12345678901234567.0, "12345678901234568"),
    ])
    func floatsAsGoEncodingJSON(_ value: Double, _ text: String) {
        #expect(Self.json(value) == text)
    }

    /// The shortest digits come from the runtime's formatter written into a stack buffer; they
    /// must be `description`'s digits, and read back as the same double, for every kind of value.
    @Test func shortestDigitsAreDescriptionsAndRoundTrip() {
        var rng = SystemRandomNumberGenerator()
        var values: [Double] = [1, 0.1, 1e21, 1e-7, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 123456789.123, 0.3, 2.0 / 3.0]
        for _ in 0..<20_000 {
            let bits = UInt64.random(in: 0...UInt64.max, using: &rng)
            let d = Double(bitPattern: bits & ~(UInt64(1) << 63))
            if d.isFinite && d != 0 { values.append(d) }
            values.append(Double(Int.random(in: 0...1_000_000, using: &rng)) / [1, 10, 100, 1_000, 3, 7][Int.random(in: 0...5, using: &rng)])
        }
        for value in values where value != 0 {
            let (digits, exponent) = NumberFormat.shortestDigits(value)
            let text = "0." + String(decoding: digits, as: UTF8.self) + "e\(exponent)"
            #expect(Double(text) == value, "\(value): \(text)")
            var described = Array(value.description.utf8.prefix { $0 != UInt8(ascii: "e") && $0 != UInt8(ascii: "E") }.filter { $0 != UInt8(ascii: ".") })
            while described.count > 1, described.first == UInt8(ascii: "0") { described.removeFirst() }
            while described.count > 1, described.last == UInt8(ascii: "0") { described.removeLast() }
            #expect(described == digits, "\(value)")
        }
    }

    @Test(arguments: [(1e21, "1000000000000000000000"), (1e-7, "0.0000001"), (2.5, "2.5"), (3.0, "3")])
    func floatsAsStrconvFixed(_ value: Double, _ text: String) {
        #expect(Self.fixed(value) == text)
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"), (1_700_000_000_000_000_000, "2023-11-14T22:13:20Z"),
        (1_700_000_000_500_000_000, "2023-11-14T22:13:20.5Z"), (1_700_000_000_000_000_001, "2023-11-14T22:13:20.000000001Z"),
        (-1, "1969-12-31T23:59:59.999999999Z"), (951_782_400_000_000_000, "2000-02-29T00:00:00Z"),
    ])
    func timesAsRFC3339Nano(_ ns: Int64, _ text: String) {
        #expect(TimeFormat.rfc3339Nano(ns) == text)
    }

    /// Random times over the whole Int64 range against Foundation's formatter (whole seconds) plus
    /// the fraction without trailing zeros.
    @Test func randomTimesMatchFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        var rng = SystemRandomNumberGenerator()
        for i in 0..<5_000 {
            let ns = i < 10 ? Int64(i) * 100_000_007 : Int64.random(in: (Int64.min + 1)...Int64.max, using: &rng)
            var seconds = ns / 1_000_000_000
            var nanos = ns % 1_000_000_000
            if nanos < 0 { nanos += 1_000_000_000; seconds -= 1 }
            var expected = String(formatter.string(from: Date(timeIntervalSince1970: Double(seconds))).dropLast())
            if nanos > 0 {
                var fraction = String(nanos)
                fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
                while fraction.hasSuffix("0") { fraction.removeLast() }
                expected += "." + fraction
            }
            #expect(TimeFormat.rfc3339Nano(ns) == expected + "Z", "\(ns)")
        }
    }

    static let sample = QueryResponse(results: [
        StatementResult(statementID: 0, series: [
            ResultSeries(name: "cpu_value", tags: [Tag("host", "a")], columns: ["time", "mean"], values: [[.time(1_700_000_000_000_000_000), .float(1.5)], [.time(1_700_000_060_000_000_000), .null]]),
        ]),
        StatementResult(statementID: 1),
        StatementResult(statementID: 2, error: "database not found: x"),
    ])

    @Test func jsonShapeAndKeyOrder() {
        let text = String(decoding: ResultWriter.json(Self.sample, epoch: .ms, pretty: false), as: UTF8.self)
        #expect(text == #"{"results":[{"statement_id":0,"series":[{"name":"cpu_value","tags":{"host":"a"},"columns":["time","mean"],"values":[[1700000000000,1.5],[1700000060000,null]]}]},{"statement_id":1},{"statement_id":2,"error":"database not found: x"}]}"#)
    }

    @Test func jsonTimesAsStringsWithoutEpoch() {
        let text = String(decoding: ResultWriter.json(Self.sample, epoch: nil, pretty: false), as: UTF8.self)
        #expect(text.contains(#"[["2023-11-14T22:13:20Z",1.5],["2023-11-14T22:14:20Z",null]]"#))
    }

    @Test func prettyIndentsLikeMarshalIndent() {
        let r = QueryResponse(results: [StatementResult(statementID: 0, series: [ResultSeries(name: "m", columns: ["tagKey"], values: [[.string("k")]])]), StatementResult(statementID: 1)])
        let text = String(decoding: ResultWriter.json(r, epoch: nil, pretty: true), as: UTF8.self)
        let expected = """
            {
                "results": [
                    {
                        "statement_id": 0,
                        "series": [
                            {
                                "name": "m",
                                "columns": [
                                    "tagKey"
                                ],
                                "values": [
                                    [
                                        "k"
                                    ]
                                ]
                            }
                        ]
                    },
                    {
                        "statement_id": 1
                    }
                ]
            }
            """
        #expect(text == expected)
    }

    @Test func parseErrorShape() {
        let r = QueryResponse(parseError: "error parsing query: found SELEC, expected SELECT at line 1, char 1")
        #expect(String(decoding: ResultWriter.json(r, epoch: nil, pretty: false), as: UTF8.self) == #"{"error":"error parsing query: found SELEC, expected SELECT at line 1, char 1"}"#)
        #expect(String(decoding: ResultWriter.csv(r, epoch: nil), as: UTF8.self) == "error\n\"error parsing query: found SELEC, expected SELECT at line 1, char 1\"\n")
    }

    @Test func stringsEscapedAsGo() {
        let r = QueryResponse(results: [StatementResult(statementID: 0, error: "a\"b\\c<d>&\n\u{2028}")])
        let text = String(decoding: ResultWriter.json(r, epoch: nil, pretty: false), as: UTF8.self)
        #expect(text == #"{"results":[{"statement_id":0,"error":"a\"b\\c\u003cd\u003e\u0026\n\u2028"}]}"#)
    }

    @Test func csvLayout() {
        let r = QueryResponse(results: [
            StatementResult(statementID: 0, series: [
                ResultSeries(name: "load", tags: [Tag("host", "a"), Tag("type", "load")], columns: ["time", "mean"], values: [[.time(1_699_999_200_000_000_000), .float(2.0138999999999996)], [.time(1_700_001_000_000_000_000), .null]]),
            ]),
            StatementResult(statementID: 1, series: [ResultSeries(name: "databases", columns: ["name"], values: [[.string("collectd")]])]),
            StatementResult(statementID: 2, error: "database not found: x"),
            StatementResult(statementID: 3, series: [ResultSeries(name: "databases", columns: ["name"], values: [[.string("never")]])]),
        ])
        let text = String(decoding: ResultWriter.csv(r, epoch: nil), as: UTF8.self)
        #expect(text == """
            name,tags,time,mean
            load,"host=a,type=load",1699999200000000000,2.0138999999999996
            load,"host=a,type=load",1700001000000000000,

            name,tags,name
            databases,,collectd

            """)
        let seconds = String(decoding: ResultWriter.csv(r, epoch: .s), as: UTF8.self)
        #expect(seconds.contains("load,\"host=a,type=load\",1699999200,2.0138999999999996\n"))
    }

    @Test(arguments: [("ns", Epoch.ns), ("n", .ns), ("u", .u), ("µ", .ns), ("ms", .ms), ("s", .s), ("m", .m), ("h", .h)])
    func epochParameterAsInfluxDB16(_ text: String, _ epoch: Epoch) {
        #expect(Epoch(parameter: text) == epoch)
    }

    @Test func emptyEpochMeansStrings() {
        #expect(Epoch(parameter: "") == nil)
    }
}

/// The JSON handed to a `BodySink` piece by piece is the whole answer's JSON, byte for byte.
@Suite struct BodySinkTests {
    final class Collector: BodySink {
        var pieces: [[UInt8]] = []
        func write(_ piece: UnsafeRawBufferPointer) { pieces.append(Array(piece)) }
        var joined: [UInt8] { pieces.flatMap { $0 } }
    }

    /// 120 series of 1–60 rows: floats, integers, escaped strings, nulls, times.
    static let large: QueryResponse = {
        var series: [ResultSeries] = []
        for s in 0..<120 {
            let rows = (0..<(1 + s % 60)).map { r -> [ResultValue] in
                [.time(Int64(1_700_000_000_000_000_000 + r * 10_000_000_000)), .float(Double(s * r) / 7), .integer(Int64(r - s)),
                 r % 5 == 0 ? .null : .string("h\"\(s)<\(r)>\n")]
            }
            series.append(ResultSeries(name: "m\(s % 3)", tags: [Tag("host", "h\(s)")], columns: ["time", "a", "b", "c"], values: rows))
        }
        return QueryResponse(results: [StatementResult(statementID: 0, series: series), StatementResult(statementID: 1, error: "x")])
    }()

    @Test(arguments: [1, 100, 4096, 1 << 20])
    func piecesJoinToTheWholeAnswer(pieceBytes: Int) {
        // `medium` (1 275 rows) is encoded on one core, handed over at row boundaries; `large`
        // (3 660 rows) on both cores, a round of series at a time.
        let medium = QueryResponse(results: [StatementResult(statementID: 0, series: Array(Self.large.results[0].series.prefix(50)))])
        for response in [Self.large, medium, ResultWriterTests.sample] {
            for epoch in [Epoch.ms, nil] {
                let sink = Collector()
                ResultWriter.json(response, epoch: epoch, into: sink, pieceBytes: pieceBytes)
                #expect(sink.joined == ResultWriter.json(response, epoch: epoch, pretty: false))
                #expect(!sink.pieces.contains { $0.isEmpty })
                if pieceBytes == 100 && response.results[0].series.count == 50 {
                    // Handed over at row boundaries past 100 bytes: many pieces, none much larger.
                    #expect(sink.pieces.count > 100)
                    #expect(sink.pieces.dropLast().allSatisfy { $0.count >= 100 && $0.count < 400 })
                }
            }
        }
    }

    /// A large list of series is encoded on both cores in rounds; the rounds join in order.
    @Test(arguments: [1, 50, 1_000, 100_000])
    func parallelRoundsJoinInOrder(roundRows: Int) {
        let list = Self.large.results[0].series
        var whole = JSONOutput(epoch: .ns)
        whole.seriesList(list, workers: 1, parallelRows: .max)
        let sink = Collector()
        var w = JSONOutput(epoch: .ns)
        w.sink = sink
        w.pieceBytes = 512
        w.roundRows = roundRows
        w.seriesList(list, workers: 2, parallelRows: 10)
        w.drain()
        #expect(sink.joined == whole.bytes)
    }
}

/// The fixed-notation shortcut of `NumberFormat.json` writes what the digit-by-digit layout
/// writes, for every magnitude and both signs.
@Suite struct FloatShortcutTests {
    static func both(_ v: Double) -> (String, String) {
        var fast: [UInt8] = [], slow: [UInt8] = []
        NumberFormat.json(v, into: &fast)
        if v.sign == .minus { slow.append(UInt8(ascii: "-")) }
        if v.magnitude < 1e15 && v.magnitude == v.magnitude.rounded(.towardZero) {
            NumberFormat.integer(UInt64(v.magnitude), into: &slow)
        } else {
            NumberFormat.shortestJSON(v.magnitude, into: &slow)
        }
        return (String(decoding: fast, as: UTF8.self), String(decoding: slow, as: UTF8.self))
    }

    @Test func shortcutMatchesTheLayoutEverywhere() {
        var rng = SystemRandomNumberGenerator()
        var values: [Double] = [1e-4, 0.0001, 0.00012, 9.999e-5, 1e15 - 0.5, 999_999_999_999_999.9, 123.456, 0.52, 1.5e-7, 2.5e20, 1e21]
        for _ in 0..<200_000 {
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: values.append(Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &rng)))
            case 1: values.append(pow(10, Double.random(in: -9...23, using: &rng)))
            case 2: values.append(Double(Int.random(in: 0..<1_000_000, using: &rng)) / [10, 100, 1_000, 7, 3][Int.random(in: 0..<5, using: &rng)])
            default: values.append(Double.random(in: 0..<4, using: &rng))
            }
        }
        for v in values where v.isFinite {
            for x in [v, -v] {
                let (fast, slow) = Self.both(x)
                #expect(fast == slow, "\(x.bitPattern)")
                if fast != slow { return }
            }
        }
    }
}
