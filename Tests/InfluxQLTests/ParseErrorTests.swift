import Testing
@testable import InfluxQL

@Test func parseErrorDescriptionMatchesInfluxDB() {
    #expect(ParseError(message: "found EOF, expected identifier", line: 1, char: 15).description
        == "found EOF, expected identifier at line 1, char 15")
    #expect(ParseError(message: "invalid duration", line: 0, char: 0).description == "invalid duration")
}
