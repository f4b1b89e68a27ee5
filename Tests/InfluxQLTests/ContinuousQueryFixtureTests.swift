import Foundation
import Testing
@testable import InfluxQL

/// One answer of Fixtures/cq-answers.jsonl (recorded from InfluxDB 1.6.7 by Fixtures/record-cq.py).
struct RecordedAdminAnswer: Sendable, CustomTestStringConvertible {
    var q: String
    var status: Int
    var body: String
    /// What SHOW CONTINUOUS QUERIES printed for the CQ the statement created.
    var stored: String?
    /// The default retention policy of each database when the statement ran.
    var defaults: [String: String]

    var testDescription: String { q }

    /// The parse error InfluxDB reported (HTTP 400), without its `error parsing query: ` prefix.
    var parseError: String? {
        guard status == 400, let obj = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
              let error = obj["error"] as? String else { return nil }
        return String(error.dropFirst("error parsing query: ".count))
    }

    /// Whether InfluxDB's executor accepted the statement (no error in its result).
    var succeeded: Bool { status == 200 && !body.contains("\"error\"") }

    static let all: [RecordedAdminAnswer] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/cq-answers.jsonl")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        // The recorder's setup: db0 and "my db" with autogen as default; the statements then
        // move db0's default (CREATE … DEFAULT, ALTER … DEFAULT) in file order.
        var defaults = ["db0": "autogen", "my db": "autogen"]
        var out: [RecordedAdminAnswer] = []
        for line in text.split(separator: "\n") {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let q = obj["q"] as? String, let status = obj["status"] as? Int, let body = obj["body"] as? String
            else { continue }
            let answer = RecordedAdminAnswer(q: q, status: status, body: body, stored: obj["stored"] as? String, defaults: defaults)
            if answer.succeeded, let statements = try? InfluxQLParser.parseQueryParameter(q) {
                for s in statements {
                    if case .createRetentionPolicy(let rp) = s, rp.isDefault { defaults[rp.database] = rp.name }
                    if case .alterRetentionPolicy(let rp) = s, rp.isDefault { defaults[rp.database] = rp.name }
                }
            }
            out.append(answer)
        }
        return out
    }()
}

/// Replays InfluxDB 1.6.7's answers to retention-policy and continuous-query statements.
@Suite struct ContinuousQueryFixtureTests {
    @Test func fixturesArePresent() {
        #expect(RecordedAdminAnswer.all.filter { $0.stored != nil }.count >= 40)
        #expect(RecordedAdminAnswer.all.filter { $0.parseError != nil }.count >= 30)
    }

    @Test(arguments: RecordedAdminAnswer.all)
    func parsesOrFailsAsInfluxDB(_ answer: RecordedAdminAnswer) {
        do {
            let statements = try InfluxQLParser.parseQueryParameter(answer.q)
            #expect(answer.parseError == nil, "InfluxDB: \(answer.parseError ?? "")")
            let rendered = InfluxQLParser.render(statements)
            #expect(try InfluxQLParser.parse(rendered) == statements, "round trip of \(rendered)")
        } catch {
            #expect(error.description == answer.parseError)
        }
    }

    @Test(arguments: RecordedAdminAnswer.all.filter { $0.stored != nil })
    func storedQueryIsInfluxDBs(_ answer: RecordedAdminAnswer) throws {
        let statements = try InfluxQLParser.parseQueryParameter(answer.q)
        guard case .createContinuousQuery(let cq)? = statements.first else {
            Issue.record("not a CREATE CONTINUOUS QUERY")
            return
        }
        let stored = cq.storedQuery { answer.defaults[$0] }
        #expect(stored == answer.stored)
        // What InfluxDB stores parses back to the qualified statement.
        #expect(try InfluxQLParser.parse(stored) == [.createContinuousQuery(cq.qualified { answer.defaults[$0] })])
    }
}
