import Testing
@testable import InfluxQL

/// Pins the AST of the query shapes Grafana and the collectd dashboards send.
@Suite struct SelectParsingTests {
    private func select(_ q: String) throws -> SelectStatement {
        let statements = try InfluxQLParser.parse(q)
        guard statements.count == 1, case .select(let s) = statements[0] else {
            Issue.record("not one SELECT: \(statements)")
            return SelectStatement(fields: [], sources: [])
        }
        return s
    }

    @Test func grafanaBuilderQuery() throws {
        let s = try select("""
            SELECT mean("value") FROM "autogen"."cpu_value" WHERE ("host" =~ /^(a|b)$/ AND "type_instance" = 'user') \
            AND time >= 1596240000000ms and time <= 1596240300000ms GROUP BY time(200ms) fill(null)
            """)
        #expect(s.fields == [SelectField(expr: .call("mean", [.varRef("value", type: nil)]))])
        #expect(s.sources == [.measurement(Measurement(retentionPolicy: "autogen", name: .name("cpu_value")))])
        let tags = Expr.paren(.binary(.and,
            .binary(.matchesRegex, .varRef("host", type: nil), .regex("^(a|b)$")),
            .binary(.equal, .varRef("type_instance", type: nil), .string("user"))))
        let from = Expr.binary(.greaterOrEqual, .varRef("time", type: nil), .duration(1_596_240_000_000 * 1_000_000))
        let to = Expr.binary(.lessOrEqual, .varRef("time", type: nil), .duration(1_596_240_300_000 * 1_000_000))
        #expect(s.condition == .binary(.and, .binary(.and, tags, from), to))
        #expect(s.dimensions == [.time(interval: .duration(200_000_000), offset: nil)])
        #expect(s.fill == .null)
    }

    @Test func derivativeTimesEightWithTail() throws {
        let s = try select("""
            SELECT non_negative_derivative(mean("value"), 1s) *8 FROM "interface_rx" WHERE time >= now() - 6h \
            GROUP BY time($__interval_placeholder), instance fill(none) ORDER BY time DESC limit 10 slimit 5 tz('Europe/Paris')
            """.replacingOccurrences(of: "$__interval_placeholder", with: "1m"))
        #expect(s.fields[0].expr == .binary(.multiply,
            .call("non_negative_derivative", [.call("mean", [.varRef("value", type: nil)]), .duration(1_000_000_000)]),
            .integer(8)))
        #expect(s.condition == .binary(.greaterOrEqual, .varRef("time", type: nil),
            .binary(.subtract, .call("now", []), .duration(6 * 3_600_000_000_000))))
        #expect(s.dimensions == [.time(interval: .duration(60_000_000_000), offset: nil), .tag("instance")])
        #expect(s.fill == .none)
        #expect(s.orderDescending)
        #expect(s.limit == 10 && s.slimit == 5 && s.offset == 0 && s.soffset == 0)
        #expect(s.timezone == "Europe/Paris")
    }

    @Test func lowercaseUnquotedDoubleSpaces() throws {
        let s = try select("select  MEAN(value)  from  cpu_value  where  host = 'srv\\'1'  group by  time(10s), instance, type_instance ;")
        #expect(s.fields == [SelectField(expr: .call("mean", [.varRef("value", type: nil)]))])
        #expect(s.condition == .binary(.equal, .varRef("host", type: nil), .string("srv'1")))
        #expect(s.dimensions.count == 3)
    }

    @Test(arguments: [
        ("a + b * c", Expr.binary(.add, .varRef("a", type: nil), .binary(.multiply, .varRef("b", type: nil), .varRef("c", type: nil)))),
        ("a * b + c", .binary(.add, .binary(.multiply, .varRef("a", type: nil), .varRef("b", type: nil)), .varRef("c", type: nil))),
        ("a - b - c", .binary(.subtract, .binary(.subtract, .varRef("a", type: nil), .varRef("b", type: nil)), .varRef("c", type: nil))),
        ("a OR b AND c", .binary(.or, .varRef("a", type: nil), .binary(.and, .varRef("b", type: nil), .varRef("c", type: nil)))),
        ("a | b & c", .binary(.bitwiseOr, .varRef("a", type: nil), .binary(.bitwiseAnd, .varRef("b", type: nil), .varRef("c", type: nil)))),
        ("-a", .binary(.multiply, .integer(-1), .varRef("a", type: nil))),
        ("+a", .binary(.multiply, .integer(1), .varRef("a", type: nil))),
        ("-1.5", .number(-1.5)),
        ("-5m", .duration(-300_000_000_000)),
        ("-9223372036854775808", .integer(Int64.min)),
        ("9223372036854775808", .unsigned(9_223_372_036_854_775_808)),
        ("\"a\".\"b\"::tag", .varRef("a.b", type: .tag)),
        ("*::field", .wildcard(.field)),
        ("true", .boolean(true)),
        ("1h30m", .duration(5_400_000_000_000)),
        ("5µ", .duration(5_000)),
        ("2w", .duration(2 * 7 * 86_400_000_000_000)),
    ])
    func expressions(_ text: String, _ expected: Expr) throws {
        #expect(try InfluxQLParser.parseExpr(text) == expected)
    }

    @Test func sourcesAndSubqueries() throws {
        let s = try select("SELECT max(m) FROM db..cpu, rp./^if/, /x\\/y/, (SELECT mean(v) AS m FROM c GROUP BY time(1m))")
        #expect(s.sources.count == 4)
        #expect(s.sources[0] == .measurement(Measurement(database: "db", name: .name("cpu"))))
        #expect(s.sources[1] == .measurement(Measurement(retentionPolicy: "rp", name: .regex("^if"))))
        #expect(s.sources[2] == .measurement(Measurement(name: .regex("x/y"))))
        guard case .subquery(let inner) = s.sources[3] else {
            Issue.record("expected a subquery")
            return
        }
        #expect(inner.fields == [SelectField(expr: .call("mean", [.varRef("v", type: nil)]), alias: "m")])
    }

    @Test func statementsSeparatedBySemicolons() throws {
        let statements = try InfluxQLParser.parse(";SELECT a FROM m;; SHOW DATABASES;  -- done\n")
        #expect(statements.count == 2)
        #expect(statements[1] == .showDatabases)
    }
}
