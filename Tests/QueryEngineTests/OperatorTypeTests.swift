import Testing
import QueryEngine
import TimeSeries

/// InfluxDB 1.6.7's type check of operators in the select list, made before anything is read:
/// arithmetic takes numbers, bitwise operators two integers or a boolean on the left, a name that
/// is neither field nor tag passes, and two literals that do not fold are refused. At run time a
/// missing value beside a boolean is false, and a boolean with a value of another type is false.
/// Each answer recorded from influxd 1.6.7 with `FieldCastTests`' points (tag `host`).
@Suite struct OperatorTypeTests {
    @Test(arguments: [
        ("SELECT f + s FROM mp", #"{"results":[{"statement_id":0,"error":"type error: f::float + s::string: incompatible types: float and string"}]}"#),
        ("SELECT b + 1 FROM mp", #"{"results":[{"statement_id":0,"error":"type error: b::boolean + 1: incompatible types: boolean and integer"}]}"#),
        ("SELECT f + host FROM mp", #"{"results":[{"statement_id":0,"error":"type error: f::float + host::tag: incompatible types: float and tag"}]}"#),
        ("SELECT host + 1.5 FROM mp", #"{"results":[{"statement_id":0,"error":"type error: host::tag + 1.500: incompatible types: tag and float"}]}"#),
        ("SELECT s::string + 'x' FROM mp", #"{"results":[{"statement_id":0,"error":"type error: s::string + 'x': incompatible types: string and string"}]}"#),
        ("SELECT f & 1 FROM mp", #"{"results":[{"statement_id":0,"error":"type error: f::float \u0026 1: incompatible types: float and integer"}]}"#),
        ("SELECT i & b FROM mp", #"{"results":[{"statement_id":0,"error":"type error: i::integer \u0026 b::boolean: incompatible types: integer and boolean"}]}"#),
        ("SELECT i ^ 1.5 FROM mp", #"{"results":[{"statement_id":0,"error":"type error: i::integer ^ 1.500: incompatible types: integer and float"}]}"#),
        ("SELECT first(s) + 1 FROM mp", #"{"results":[{"statement_id":0,"error":"type error: first(s::string) + 1: incompatible types: string and integer"}]}"#),
        ("SELECT mean(f) + 's' FROM mp", #"{"results":[{"statement_id":0,"error":"type error: mean(f::float) + 's': incompatible types: float and string"}]}"#),
        ("SELECT (f + 1) * s FROM mp", #"{"results":[{"statement_id":0,"error":"type error: (f::float + 1) * s::string: incompatible types: float and string"}]}"#),
        ("SELECT abs(f) + s FROM mp", #"{"results":[{"statement_id":0,"error":"type error: abs(f::float) + s::string: incompatible types: float and string"}]}"#),
        ("SELECT f + -s FROM mp", #"{"results":[{"statement_id":0,"error":"type error: -1 * s::string: incompatible types: integer and string"}]}"#),
        ("SELECT f::integer + s FROM mp", #"{"results":[{"statement_id":0,"error":"type error: f::integer + s::string: incompatible types: integer and string"}]}"#),
        ("SELECT 1 + 'x' FROM mp", #"{"results":[{"statement_id":0,"error":"cannot perform a binary expression on two literals"}]}"#),
        ("SELECT 1 & 1.5 FROM mp", #"{"results":[{"statement_id":0,"error":"cannot perform a binary expression on two literals"}]}"#),
        ("SELECT 'x' + 'x' FROM mp", #"{"results":[{"statement_id":0,"error":"field must contain at least one variable"}]}"#),
        ("SELECT f + nosuch FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","f_nosuch"],"values":[[1,null],[2,null]]}]}]}"#),
        ("SELECT i & 1 FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","i"],"values":[[1,1],[2,0]]}]}]}"#),
        ("SELECT count(s) + 1 FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","count"],"values":[[0,2]]}]}]}"#),
        ("SELECT f + i FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","f_i"],"values":[[1,4.5],[2,-302.7]]}]}]}"#),
        ("SELECT b & 1 FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","b"],"values":[[1,false],[2,false]]}]}]}"#),
        ("SELECT b | nosuch FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","b_nosuch"],"values":[[1,true],[2,false]]}]}]}"#),
        ("SELECT nosuch & b FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","nosuch_b"],"values":[[1,false],[2,false]]}]}]}"#),
        ("SELECT b ^ f FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","b_f"],"values":[[1,false],[2,false]]}]}]}"#),
        ("SELECT b & s, s FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","b_s","s"],"values":[[1,false,"str"],[2,false,null]]}]}]}"#),
        ("SELECT b | b FROM mp", #"{"results":[{"statement_id":0,"series":[{"name":"mp","columns":["time","b_b"],"values":[[1,true],[2,false]]}]}]}"#),
    ])
    func operatorTypesCheckedAsInfluxDB(query: String, expected: String) throws {
        #expect(try FieldCastTests.run(query) == expected)
    }
}
