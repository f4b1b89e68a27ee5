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

    /// A cast inside a call: InfluxDB converts the values before the function sees them
    /// (`mean(f::integer)` of 1.5 and −2.7 is the mean of 1 and −2), and a call over a type the
    /// field does not have finds nothing. Each answer recorded from influxd 1.6.7.
    @Test(arguments: [
        ("SELECT mean(f::integer) FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","mean"],"values":[[0,-0.5]]}]}]}"#),
        ("SELECT max(f::integer) FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","max"],"values":[[1,1]]}]}]}"#),
        ("SELECT sum(i::float) FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","sum"],"values":[[0,-297]]}]}]}"#),
        ("SELECT mean(i::string) FROM mp", #"{"results":[{"statement_id":0}]}"#),
        ("SELECT count(s::integer) FROM mp", #"{"results":[{"statement_id":0}]}"#),
        ("SELECT first(f::integer) FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","first"],"values":[[1,1]]}]}]}"#),
        ("SELECT derivative(f::integer) FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","derivative"],"values":[[2,-3]]}]}]}"#),
        ("SELECT mean(f::integer), mean(f) FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","mean","mean_1"],"values":[[0,-0.5,-0.6000000000000001]]}]}]}"#),
        ("SELECT spread(f::integer) FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","spread"],"values":[[0,3]]}]}]}"#),
        ("SELECT distinct(f::integer) FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","distinct"],"values":[[0,1],[0,-2]]}]}]}"#),
        ("SELECT top(f::integer, 1) FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","top"],"values":[[1,1]]}]}]}"#),
        ("SELECT percentile(f::integer, 50) FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","percentile"],"values":[[2,-2]]}]}]}"#),
        ("SELECT max(f::integer), f FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","max","f"],"values":[[1,1,1.5]]}]}]}"#),
        ("SELECT count(b::boolean) FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","count"],"values":[[0,2]]}]}]}"#),
        ("SELECT median(f::integer) FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","median"],"values":[[0,-0.5]]}]}]}"#),
        ("SELECT count(host::tag) FROM mp", #"{"results":[{"statement_id":0}]}"#),
        ("SELECT count(f::field) FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","count"],"values":[[0,2]]}]}]}"#),
        ("SELECT cumulative_sum(f::integer) FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","cumulative_sum"],"values":[[1,1],[2,-1]]}]}]}"#),
        ("SELECT sum(f::integer) * 2 FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","sum"],"values":[[0,-2]]}]}]}"#),
    ])
    func castsInsideCallsReadAsInfluxDB(query: String, expected: String) throws {
        #expect(try Self.run(query) == expected)
    }
}
