import Testing
@testable import InfluxQL

/// Replays InfluxDB 1.6.7's recorded answers offline: same acceptance, same error text.
@Suite struct RecordedErrorTests {
    @Test func fixturesArePresent() {
        #expect(RecordedAnswer.all.count >= 150)
        #expect(RecordedAnswer.all.filter { $0.error != nil }.count >= 100)
    }

    @Test(arguments: RecordedAnswer.all.filter { RecordedAnswer.knownDifferences[$0.q] == nil })
    func matchesInfluxDB(_ answer: RecordedAnswer) {
        let ours: String?
        do {
            _ = try InfluxQLParser.parseQueryParameter(answer.q)
            ours = nil
        } catch {
            ours = error.description
        }
        #expect(ours == answer.error)
    }

    @Test(arguments: RecordedAnswer.all.filter { RecordedAnswer.knownDifferences[$0.q] != nil })
    func knownDifferencesStillFailBothWays(_ answer: RecordedAnswer) {
        // InfluxDB rejects these too (with another text, or when planning); document and pin.
        #expect(answer.error != nil)
    }
}
