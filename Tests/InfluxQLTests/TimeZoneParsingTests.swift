import Testing
import InfluxQL

/// `tz()` names are checked while parsing, as InfluxDB loads the zone in its parser.
@Suite struct TimeZoneParsingTests {
    static func known(_ name: String) -> Bool { name == "Europe/Berlin" || name.isEmpty }

    @Test func knownZonesParse() throws {
        let statements = try InfluxQLParser.parse("SELECT v FROM m tz('Europe/Berlin'); SELECT v FROM m tz('')", zoneExists: Self.known)
        guard case .select(let s) = statements[0] else { Issue.record("not a select"); return }
        #expect(s.timezone == "Europe/Berlin")
    }

    @Test(arguments: [
        ("SELECT v FROM m tz('Nowhere/City')", "unable to find time zone Nowhere/City"),
        ("SELECT v FROM m; SELECT v FROM m tz('X')", "unable to find time zone X"),
        ("SELECT v FROM m tz('X'); SELECT", "unable to find time zone X"),
        ("SELECT v FROM (SELECT v FROM m tz('Y'))", "unable to find time zone Y"),
        ("SELECT; SELECT v FROM m tz('X')", "found ;, expected identifier, string, number, bool at line 1, char 7"),
    ])
    func unknownZonesFailInTheirTurn(_ text: String, _ message: String) {
        #expect(throws: ParseError.self) { try InfluxQLParser.parse(text, zoneExists: Self.known) }
        do {
            _ = try InfluxQLParser.parse(text, zoneExists: Self.known)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func withoutACheckAnyNameParses() throws {
        #expect(try InfluxQLParser.parse("SELECT v FROM m tz('Nowhere/City')").count == 1)
    }
}
