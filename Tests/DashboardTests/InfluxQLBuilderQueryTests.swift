import Foundation
import Testing

@Suite struct InfluxQLBuilderQueryTests {
    static func query(_ json: String) throws -> InfluxQLBuilderQuery {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return InfluxQLBuilderQuery(json: object)
    }

    @Test func cpuByStateAsGrafanaRendersIt() throws {
        let q = try Self.query("""
        {"measurement":"cpu_value","policy":"default","orderByTime":"ASC",
         "select":[[{"type":"field","params":["value"]},{"type":"mean","params":[]}]],
         "tags":[{"key":"host","operator":"=~","value":"/^$host$/"},{"condition":"AND","key":"type_instance","operator":"=","value":"user"}],
         "groupBy":[{"type":"time","params":["$__interval"]},{"type":"fill","params":["null"]}]}
        """)
        #expect(try q.render() == #"SELECT mean("value") FROM "cpu_value" WHERE ("host" =~ /^$host$/ AND "type_instance" = 'user') AND $timeFilter GROUP BY time($__interval) fill(null) ORDER BY time ASC"#)
    }

    @Test func derivativeMathTagGroupsAndPolicy() throws {
        let q = try Self.query("""
        {"measurement":"interface_rx","policy":"autogen",
         "select":[[{"type":"field","params":["value"]},{"type":"mean","params":[]},
                    {"type":"non_negative_derivative","params":["1s"]},{"type":"math","params":["*8"]},{"type":"alias","params":["rx"]}]],
         "tags":[{"key":"type","value":"if_octets"}],
         "groupBy":[{"type":"time","params":["auto"]},{"type":"tag","params":["host"]},{"type":"tag","params":["instance"]},{"type":"fill","params":["none"]}],
         "limit": 10, "slimit": "5", "tz": "Europe/Paris"}
        """)
        #expect(try q.render() == #"SELECT non_negative_derivative(mean("value"), 1s) *8 AS "rx" FROM "autogen"."interface_rx" WHERE "type" = 'if_octets' AND $timeFilter GROUP BY time($__interval), "host", "instance" fill(none) limit 10 slimit 5 tz('Europe/Paris')"#)
    }

    @Test func noTagsStillHasWhereTimeFilter() throws {
        let q = try Self.query(#"{"measurement":"/^load_/","select":[[{"type":"field","params":["value"]},{"type":"last","params":[]}]],"groupBy":[{"type":"tag","params":["host"]}]}"#)
        #expect(try q.render() == #"SELECT last("value") FROM /^load_/ WHERE $timeFilter GROUP BY "host""#)
    }

    @Test func tagOperatorsAndValueForms() throws {
        let q = try Self.query(#"""
        {"measurement":"m","select":[[{"type":"field","params":["value"]}],[{"type":"field","params":["x::field"]},{"type":"max","params":[]}]],
         "tags":[{"key":"a","value":"/^x$/"},{"condition":"OR","key":"b","operator":"!=","value":"/^c\\d$/"},
                 {"key":"c","operator":"<","value":"/^5$/"},{"key":"d::tag","operator":"Is","value":"q"},
                 {"key":"e","operator":"Is Not","value":"12.5"},{"key":"f","operator":"Is","value":"TRUE"}]}
        """#)
        #expect(try q.render() == #"SELECT "value", max("x"::field) FROM "m" WHERE ("a" =~ /^x$/ OR "b" != 'c\\d' AND "c" < '5' AND "d"::tag = 'q' AND "e" != 12.5 AND "f" = true) AND $timeFilter"#)
    }

    @Test func unknownPartIsAnError() throws {
        let q = try Self.query(#"{"measurement":"m","select":[[{"type":"field","params":["value"]},{"type":"frobnicate","params":[]}]]}"#)
        #expect(throws: DashboardTestError.unknownPart("frobnicate")) { try q.render() }
    }

    @Test func rawModeWinsOnlyWithText() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(#"{"refId":"A","rawQuery":true,"query":"","measurement":"m","select":[[{"type":"field","params":["value"]}]]}"#.utf8)) as? [String: Any])
        var target = GrafanaDashboard.target(object)
        #expect(try target.queryText() == #"SELECT "value" FROM "m" WHERE $timeFilter"#)
        target.query = "SELECT 1"
        #expect(try target.queryText() == "SELECT 1")
    }
}
