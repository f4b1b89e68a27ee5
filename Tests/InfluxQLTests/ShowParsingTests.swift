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
        ("SHOW SERIES CARDINALITY", .showCardinality(ShowCardinalityStatement(kind: .series))),
        ("SHOW SERIES EXACT CARDINALITY ON db FROM cpu WHERE host = 'a' GROUP BY region LIMIT 1 OFFSET 2",
         .showCardinality(ShowCardinalityStatement(kind: .series, exact: true, database: "db",
            sources: [.measurement(Measurement(name: .name("cpu")))], condition: .binary(.equal, .varRef("host", type: nil), .string("a")),
            dimensions: [.tag("region")], limit: 1, offset: 2))),
        ("show measurement exact cardinality", .showCardinality(ShowCardinalityStatement(kind: .measurement, exact: true))),
        ("SHOW TAG KEY CARDINALITY FROM /e/", .showCardinality(ShowCardinalityStatement(
            kind: .tagKey, sources: [.measurement(Measurement(name: .regex("e")))]))),
        ("SHOW TAG VALUES EXACT CARDINALITY WITH KEY IN (a, b)", .showCardinality(ShowCardinalityStatement(
            kind: .tagValues, exact: true, key: .in(["a", "b"])))),
        ("SHOW FIELD KEY CARDINALITY ON db", .showCardinality(ShowCardinalityStatement(kind: .fieldKey, database: "db"))),
    ])
    func parses(_ text: String, _ expected: Statement) throws {
        #expect(try InfluxQLParser.parse(text) == [expected])
        #expect(try InfluxQLParser.parse(expected.description) == [expected], "round trip of \(expected)")
    }

    @Test func unsupportedAdministrationIsAnError() {
        #expect(throws: ParseError(message: "CREATE SUBSCRIPTION is not supported", line: 1, char: 1)) {
            try InfluxQLParser.parse("CREATE SUBSCRIPTION s ON db.rp DESTINATIONS ALL 'udp://h:9090'")
        }
    }

    @Test(arguments: [
        ("CREATE USER bob WITH PASSWORD 'x'", Statement.createUser(name: "bob", password: "x", admin: false),
         "CREATE USER bob WITH PASSWORD [REDACTED]"),
        ("create user \"two words\" with password 'p w' with all privileges", .createUser(name: "two words", password: "p w", admin: true),
         "CREATE USER \"two words\" WITH PASSWORD [REDACTED] WITH ALL PRIVILEGES"),
        ("DROP USER bob", .dropUser(name: "bob"), "DROP USER bob"),
        ("SET PASSWORD FOR bob = 'y'", .setPassword(user: "bob", password: "y"), "SET PASSWORD FOR bob = [REDACTED]"),
        ("GRANT READ ON db TO bob", .grant(privilege: .read, database: "db", user: "bob"), "GRANT READ ON db TO bob"),
        ("GRANT ALL ON db TO bob", .grant(privilege: .all, database: "db", user: "bob"), "GRANT ALL PRIVILEGES ON db TO bob"),
        ("GRANT ALL PRIVILEGES TO bob", .grantAdmin(user: "bob"), "GRANT ALL PRIVILEGES TO bob"),
        ("REVOKE WRITE ON \"my db\" FROM bob", .revoke(privilege: .write, database: "my db", user: "bob"), "REVOKE WRITE ON \"my db\" FROM bob"),
        ("REVOKE ALL FROM bob", .revokeAdmin(user: "bob"), "REVOKE ALL PRIVILEGES FROM bob"),
        ("SHOW GRANTS FOR bob", .showGrants(user: "bob"), "SHOW GRANTS FOR bob"),
    ] as [(String, Statement, String)])
    func userStatementsParseAndRenderAsInfluxDB(_ text: String, _ expected: Statement, _ rendered: String) throws {
        #expect(try InfluxQLParser.parse(text) == [expected])
        #expect(expected.description == rendered)
    }

    @Test(arguments: [
        ("GRANT ALL reader", "found reader, expected ON, TO at line 1, char 11"),
        ("GRANT READ TO reader", "found TO, expected ON at line 1, char 12"),
        ("REVOKE READ ON db0 TO reader", "found TO, expected FROM at line 1, char 20"),
        ("CREATE USER y WITH PASSWORD 'x' WITH READ", "found READ, expected ALL at line 1, char 38"),
    ])
    func userStatementErrorsAsInfluxDB(_ text: String, _ message: String) {
        do {
            let parsed = try InfluxQLParser.parse(text)
            Issue.record("parsed as \(parsed)")
        } catch {
            #expect(error.description == message)
        }
    }
}
