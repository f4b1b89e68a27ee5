import Testing
import TimeSeries
@testable import LineProtocol

/// The dump `influx_inspect export` writes, read line by line.
@Suite struct ExportFileParserTests {
    static let dump = """
        # INFLUXDB EXPORT: 1677-09-21T00:12:43Z - 2262-04-11T23:47:16Z
        # DDL
        CREATE DATABASE collectd WITH NAME autogen
        CREATE RETENTION POLICY "one week" ON collectd DURATION 168h0m0s REPLICATION 1 SHARD DURATION 1d
        CREATE CONTINUOUS QUERY cq ON collectd BEGIN SELECT mean(value) INTO x FROM y GROUP BY time(1m) END
        # DML
        # CONTEXT-DATABASE:collectd
        # CONTEXT-RETENTION-POLICY:autogen
        # writing tsm data
        cpu_value,host=a,type=percent value=1.5 1700000000000000000
        load_shortterm,host=a value=0.25 1700000001000000000
        # writing wal data
        cpu_value,host=a,type=percent value=oops 1700000002000000000
        # CONTEXT-RETENTION-POLICY:one week
        cpu_value,host=a,type=percent value=2 1700000003000000000\r
        """

    @Test func readsSectionsContextsStatementsAndPoints() throws {
        var parser = ExportFileParser()
        var lines: [ExportFileParser.Line] = []
        var contexts: [(String?, String?)] = []
        for line in Self.dump.split(separator: "\n", omittingEmptySubsequences: false) {
            let read = parser.read(String(line))
            lines.append(read)
            if case .point = read { contexts.append((parser.database, parser.retentionPolicy)) }
        }
        #expect(lines[0] == .nothing)
        #expect(lines[1] == .section(.ddl))
        // DDL lines are handed on as statements (ExportStatementTests reads them).
        #expect(lines[2] == .statement("CREATE DATABASE collectd WITH NAME autogen"))
        #expect(lines[3] == .statement(#"CREATE RETENTION POLICY "one week" ON collectd DURATION 168h0m0s REPLICATION 1 SHARD DURATION 1d"#))
        guard case .statement = lines[4] else { Issue.record("\(lines[4])"); return }
        #expect(lines[5] == .section(.dml))
        #expect(lines[6] == .context)
        #expect(lines[7] == .context)
        #expect(lines[8] == .nothing)
        #expect(lines[9] == .point(Point(measurement: "cpu_value", tags: [Tag("host", "a"), Tag("type", "percent")],
                                         fields: [Field("value", .float(1.5))], time: 1_700_000_000_000_000_000)))
        guard case .failure(let failure) = lines[12] else { Issue.record("\(lines[12])"); return }
        #expect(failure.line == 13)
        #expect(lines[14] == .point(Point(measurement: "cpu_value", tags: [Tag("host", "a"), Tag("type", "percent")],
                                          fields: [Field("value", .float(2))], time: 1_700_000_003_000_000_000)))
        #expect(contexts.map(\.0) == ["collectd", "collectd", "collectd"])
        #expect(contexts.map(\.1) == ["autogen", "autogen", "one week"])
    }

    @Test func plainLineProtocolHasNoContext() {
        var parser = ExportFileParser()
        let line = parser.read("m,t=1 f=1i,g=\"x y\" 5")
        #expect(line == .point(Point(measurement: "m", tags: [Tag("t", "1")], fields: [Field("f", .integer(1)), Field("g", .string("x y"))], time: 5)))
        #expect(parser.database == nil)
        #expect(parser.retentionPolicy == nil)
        #expect(parser.section == .none)
    }
}
