import Testing
@testable import InfluxQL

/// Pins the AST of SHOW, CREATE, DROP and DELETE statements.
@Suite struct ShowParsingTests {
    @Test(arguments: [
        ("SHOW TAG VALUES WITH KEY=host", Statement.showTagValues(ShowTagValuesStatement(key: .equal("host")))),
        ("show tag values from cpu_value with key = \"host\" where \"host\" =~ /^srv\\.lan$/ ;",
         .showTagValues(ShowTagValuesStatement(
            sources: [.measurement(Measurement(name: .name("cpu_value")))], key: .equal("host"),
            condition: .binary(.matchesRegex, .varRef("host", type: nil), .regex("^srv\\.lan$"))))),
        ("SHOW TAG VALUES WITH KEY IN (a, \"b\") LIMIT 3", .showTagValues(ShowTagValuesStatement(key: .in(["a", "b"]), limit: 3))),
        ("SHOW TAG VALUES ON db WITH KEY !~ /x/", .showTagValues(ShowTagValuesStatement(database: "db", key: .notMatches(regex: "x")))),
        ("SHOW measurements", .showMeasurements(ShowMeasurementsStatement())),
        ("SHOW MEASUREMENTS ON db WITH MEASUREMENT =~ /cpu.*/ LIMIT 1 OFFSET 2",
         .showMeasurements(ShowMeasurementsStatement(database: "db", source: Measurement(name: .regex("cpu.*")), limit: 1, offset: 2))),
        ("SHOW RETENTION POLICIES on \"db\"", .showRetentionPolicies(database: "db")),
        ("SHOW FIELD KEYS FROM cpu_value", .showFieldKeys(ShowFieldKeysStatement(sources: [.measurement(Measurement(name: .name("cpu_value")))]))),
        ("SHOW TAG KEYS SLIMIT 2", .showTagKeys(ShowTagKeysStatement(slimit: 2))),
        ("SHOW SERIES WHERE host = 'a'", .showSeries(ShowSeriesStatement(condition: .binary(.equal, .varRef("host", type: nil), .string("a"))))),
        ("SHOW STATS FOR 'shard'", .showStats(module: "shard")),
        ("SHOW DATABASES", .showDatabases),
        ("CREATE DATABASE x WITH DURATION INF REPLICATION 1 SHARD DURATION 1h NAME rp",
         .createDatabase(CreateDatabaseStatement(name: "x", retentionPolicyCreate: true, retentionPolicyDuration: 0,
            retentionPolicyReplication: 1, retentionPolicyShardGroupDuration: 3_600_000_000_000, retentionPolicyName: "rp"))),
        ("DROP DATABASE \"my db\"", .dropDatabase(name: "my db")),
        ("DROP MEASUREMENT cpu_value", .dropMeasurement(name: "cpu_value")),
        ("DROP SERIES FROM m WHERE host = 'a'", .dropSeries(DeleteSeriesStatement(
            sources: [.measurement(Measurement(name: .name("m")))], condition: .binary(.equal, .varRef("host", type: nil), .string("a"))))),
        ("DELETE WHERE time < 5", .delete(DeleteSeriesStatement(condition: .binary(.less, .varRef("time", type: nil), .integer(5))))),
    ])
    func parses(_ text: String, _ expected: Statement) throws {
        #expect(try InfluxQLParser.parse(text) == [expected])
    }

    @Test func unsupportedAdministrationIsAnError() {
        #expect(throws: ParseError(message: "CREATE USER is not supported", line: 1, char: 1)) {
            try InfluxQLParser.parse("CREATE USER bob WITH PASSWORD 'x'")
        }
    }
}
