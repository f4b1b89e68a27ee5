import Testing
import QueryEngine
import TimeSeries

/// `field::type` in a raw SELECT as InfluxDB 1.6.7 answers it (each answer recorded from influxd
/// with these points): floats and integers convert into each other, a field of another type is
/// not there — no rows when nothing else is selected, nulls beside other fields.
@Suite struct FieldCastTests {
    static func run(_ q: String) throws -> String {
        let store = MemoryStore()
        try store.write([
            Point(measurement: "mp", tags: [Tag("host", "a")], fields: [Field("f", .float(1.5)), Field("i", .integer(3)), Field("s", .string("str")), Field("b", .boolean(true))], time: 1_000_000_000),
            Point(measurement: "mp", tags: [Tag("host", "a")], fields: [Field("f", .float(-2.7)), Field("i", .integer(-300)), Field("b", .boolean(false))], time: 2_000_000_000),
        ], database: "db")
        let r = QueryExecutor(store: store).execute(q, options: QueryOptions(database: "db", now: 0))
        return String(decoding: ResultWriter.json(r, epoch: .s, pretty: false), as: UTF8.self)
    }

    static let none = #"{"results":[{"statement_id":0}]}"#

    @Test(arguments: [
        ("SELECT f::integer FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","f"],"values":[[1,1],[2,-2]]}]}]}"#),
        ("SELECT i::float FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","i"],"values":[[1,3],[2,-300]]}]}]}"#),
        ("SELECT i::string FROM mp", none), ("SELECT i::boolean FROM mp", none), ("SELECT b::integer FROM mp", none),
        ("SELECT s::float FROM mp", none), ("SELECT f::string FROM mp", none),
        ("SELECT i::string, f FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","i","f"],"values":[[1,null,1.5],[2,null,-2.7]]}]}]}"#),
        ("SELECT s::string, b::boolean FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","s","b"],"values":[[1,"str",true],[2,null,false]]}]}]}"#),
    ])
    func castsReadAsInfluxDB(query: String, expected: String) throws {
        #expect(try Self.run(query) == expected)
    }
}
