import Testing

@testable import collectlite

/// The DDL statements of an `influx_inspect export` dump, read with the InfluxQL parser, and
/// the durations InfluxDB prints.
@Suite struct ExportStatementTests {
    @Test(arguments: [
        ("INF", Int64(0)), ("inf", 0), ("0s", 0), ("168h0m0s", 604_800_000_000_000), ("1h30m", 5_400_000_000_000),
        ("7d", 604_800_000_000_000), ("2w", 1_209_600_000_000_000), ("500ms", 500_000_000), ("10u", 10_000),
    ])
    func durations(_ text: String, _ nanoseconds: Int64) {
        #expect(ExportStatement.duration(text) == nanoseconds)
    }

    @Test(arguments: ["", "h", "1x", "1h1", "99999999999999999999s"])
    func badDurations(_ text: String) {
        #expect(ExportStatement.duration(text) == nil)
    }

    @Test func statementsWithQuotedNamesAndDefault() {
        #expect(ExportStatement(#"CREATE RETENTION POLICY "a \"b\"" ON "my db" DURATION 1h REPLICATION 1 DEFAULT"#)
            == .createRetentionPolicy(name: #"a "b""#, database: "my db", duration: 3_600_000_000_000, isDefault: true))
        #expect(ExportStatement("create database db0") == .createDatabase(name: "db0", defaultPolicy: nil))
        #expect(ExportStatement("CREATE RETENTION POLICY rp ON db DURATION soon REPLICATION 1")
            == .unknown("CREATE RETENTION POLICY rp ON db DURATION soon REPLICATION 1"))
    }

    @Test func theDumpsDDL() {
        #expect(ExportStatement("CREATE DATABASE collectd WITH NAME autogen") == .createDatabase(name: "collectd", defaultPolicy: "autogen"))
        #expect(ExportStatement(#"CREATE RETENTION POLICY "one week" ON collectd DURATION 168h0m0s REPLICATION 1 SHARD DURATION 1d"#)
            == .createRetentionPolicy(name: "one week", database: "collectd", duration: 168 * 3_600_000_000_000, isDefault: false))
        guard case .unknown = ExportStatement("CREATE CONTINUOUS QUERY cq ON collectd BEGIN SELECT mean(value) INTO x FROM y GROUP BY time(1m) END") else {
            Issue.record("a CQ is not created by import")
            return
        }
    }
}
