import Crypto
import Foundation
import Testing
import TestSupport
@testable import InfluxHTTP

/// A recorded HTTP scenario (Fixtures/<scenario>-steps.txt, InfluxDB 1.6.7's answers in
/// Fixtures/<scenario>-cases.txt, by record-auth.py): `auth` (auth-enabled), `row-limit`
/// (max-row-limit = 5), `chunks` (answers over 10 000 rows), `rp` (retention policies, INTO,
/// continuous-query statements); replayed step by step through
/// real HTTP with curl.
enum AuthScenario {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    struct Step: Sendable, CustomStringConvertible {
        enum Verb: String, Sendable { case query, get, write }
        var line: String
        var verb: Verb
        /// nil: no credentials; else (how, user, password) with how `u` (URL) or `basic`.
        var credentials: (how: String, user: String, password: String)?
        var database: String?
        /// Parameters after the database name (`db0&rp=rp0&epoch=s`).
        var extra: [(String, String)] = []
        var text: String
        var description: String { line }

        init?(line: String) {
            let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 4, let verb = Verb(rawValue: parts[0]) else { return nil }
            self.line = line
            self.verb = verb
            let target = parts[2].split(separator: "&").map(String.init)
            database = target.first == "-" ? nil : target.first
            extra = target.dropFirst().map { pair in
                let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                return (kv[0], kv.count > 1 ? kv[1] : "")
            }
            text = parts[3]
            if parts[1] != "-" {
                let c = parts[1].split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
                guard c.count == 3, let user = c[1].removingPercentEncoding, let password = c[2].removingPercentEncoding else { return nil }
                credentials = (c[0], user, password)
            }
        }
    }

    struct Answer: Sendable, Equatable {
        var status: Int
        /// The `WWW-Authenticate` header (InfluxDB sends it with 401 only).
        var challenge: String?
        var body: String
        /// Long recorded answers are kept as the SHA-256 of their body (hex).
        var bodySHA256: String?

        func matches(_ other: Answer) -> Bool {
            guard status == other.status, challenge == other.challenge else { return false }
            if let sha = bodySHA256 { return sha == Self.sha256(other.body) }
            return body == other.body
        }

        static func sha256(_ text: String) -> String {
            SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
        }
    }

    struct Case: Sendable {
        var step: Step
        var expected: Answer
    }

    static func cases(_ scenario: String = "auth") throws -> [Case] {
        let text = try String(contentsOf: directory.appendingPathComponent("\(scenario)-cases.txt"), encoding: .utf8)
        return try text.components(separatedBy: "\n\n").compactMap { block -> Case? in
            var step: Step?
            var answer = Answer(status: 0, challenge: nil, body: "")
            for line in block.split(separator: "\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let value = String(line[line.index(after: colon)...].dropFirst())
                switch line[..<colon] {
                case "step": step = Step(line: value)
                case "status": answer.status = Int(value) ?? 0
                case "www-authenticate": answer.challenge = value
                case "expect", "expect-head": answer.body = value
                case "expect-sha256": answer.bodySHA256 = value
                default: break
                }
            }
            guard !block.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
            guard let step else { throw InfluxHTTPError.client("bad auth case: \(block)") }
            return Case(step: step, expected: answer)
        }
    }

    /// Sends one step to the server at `base` (e.g. http://127.0.0.1:8086).
    static func run(_ step: Step, base: String) throws -> Answer {
        var urlParams: [(String, String)] = []
        var args = ["-s", "-i"]
        switch step.credentials {
        case ("u", let user, let password)?: urlParams += [("u", user), ("p", password)]
        case (_, let user, let password)?:
            args += ["-H", "Authorization: Basic " + Base64.encode(Array("\(user):\(password)".utf8))]
        case nil: break
        }
        var stdin: String?
        switch step.verb {
        case .write:
            urlParams.insert(("db", step.database ?? ""), at: 0)
            urlParams += step.extra
            args += ["-XPOST", base + "/write?" + encode(urlParams), "--data-binary", "@-"]
            stdin = step.text.replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(of: "\\r", with: "\r")
        case .query, .get:
            var form = [("q", step.text)]
            if let db = step.database { form.append(("db", db)) }
            form += step.extra
            if step.verb == .get {
                args += ["-G", base + "/query?" + encode(urlParams + form)]
            } else {
                args += ["-XPOST", base + "/query" + (urlParams.isEmpty ? "" : "?" + encode(urlParams)), "--data", encode(form)]
            }
        }
        return try parse(curl(args, stdin: stdin))
    }

    static func encode(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
    }

    /// `curl -i` output → status, challenge header, body (without its trailing newline).
    static func parse(_ raw: String) throws -> Answer {
        guard let end = raw.range(of: "\r\n\r\n") else { throw InfluxHTTPError.client("no HTTP answer: \(raw)") }
        let head = raw[..<end.lowerBound].components(separatedBy: "\r\n")
        let status = Int(head[0].split(separator: " ")[1]) ?? 0
        var challenge: String?
        for line in head.dropFirst() where line.lowercased().hasPrefix("www-authenticate:") {
            challenge = String(line.dropFirst("www-authenticate:".count)).trimmingCharacters(in: .whitespaces)
        }
        var body = String(raw[end.upperBound...])
        while body.hasSuffix("\n") { body.removeLast() }
        return Answer(status: status, challenge: challenge, body: body)
    }

    /// SHOW GRANTS rows in database order: InfluxDB lists them from a Go map (random order).
    static func canonical(_ answer: Answer, for step: Step) -> Answer {
        guard step.text.uppercased().contains("SHOW GRANTS"), let values = answer.body.range(of: #""values":["#) else { return answer }
        guard let close = answer.body.range(of: "]]", range: values.upperBound..<answer.body.endIndex) else { return answer }
        let rows = answer.body[values.upperBound..<close.lowerBound].dropFirst().components(separatedBy: "],[")
        var out = answer
        out.body = String(answer.body[..<values.upperBound]) + "[" + rows.sorted().joined(separator: "],[")
            + String(answer.body[close.lowerBound...])
        return out
    }

    static func curl(_ arguments: [String], stdin: String?) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = arguments
        let out = Pipe()
        let input = Pipe()
        p.standardOutput = out
        p.standardInput = input
        p.standardError = FileHandle.nullDevice
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw InfluxHTTPError.client("curl failed (\(p.terminationStatus)): \(arguments)") }
        return String(decoding: data, as: UTF8.self)
    }

    /// Replays every step against `base` on a thread of its own (curl blocks, and the server
    /// under test needs the few cooperative threads); returns one message per difference.
    /// The scenario replayed on a throw-away influxd 1.x: the recording's differences from it, or
    /// nil when influxd is not installed (an issue under `CI=true`, where it must be).
    static func differencesOnInfluxDB(_ scenario: String) async throws -> [String]? {
        guard ThrowawayInfluxDB.isInstalled else {
            if ThrowawayInfluxDB.isCI { Issue.record("influxd not found (set INFLUXD or install influxdb 1.x); required under CI=true") }
            return nil
        }
        let influx = try await ThrowawayInfluxDB.start()
        defer { influx.stop() }
        return try await differences(scenario, base: "http://127.0.0.1:\(influx.port)")
    }

    static func differences(_ scenario: String = "auth", base: String) async throws -> [String] {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try replay(scenario, base: base) })
            }
        }
    }

    static func replay(_ scenario: String, base: String) throws -> [String] {
        var out: [String] = []
        for c in try cases(scenario) {
            let got = canonical(try run(c.step, base: base), for: c.step)
            if !c.expected.matches(got) {
                out.append("\(c.step)\n  got:    \(got.status) \(got.challenge ?? "-") \(got.body.prefix(400))\n  expect: \(c.expected.status) \(c.expected.challenge ?? "-") \(c.expected.body)")
            }
        }
        return out
    }
}
