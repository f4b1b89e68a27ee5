import Testing

@testable import collectlite

/// `--http-console`: on by default, off from the flag, the variable or the file; anything but
/// true/false is refused with the setting named.
@Suite struct ConsoleOptionTests {
    static func resolve(flags: [String: [String]] = [:], env: [String: String] = [:], file: String? = nil) throws -> Configuration {
        try ConfigurationTests.resolve(flags: flags, env: env, file: file)
    }

    @Test func onByDefault() throws {
        #expect(try Self.resolve().httpConsole)
        #expect(try Self.resolve().summary.contains { $0 == ("http-console", "on") })
    }

    @Test(arguments: [
        ([("http-console", "false")], [String: String](), nil as String?),
        ([], ["COLLECTLITE_HTTP_CONSOLE": "FALSE"], nil),
        ([], [:], "[http]\nconsole = false\n"),
        ([], [:], "http-console = false\n"),
    ])
    func turnedOff(flags: [(String, String)], env: [String: String], file: String?) throws {
        let c = try Self.resolve(flags: Dictionary(uniqueKeysWithValues: flags.map { ($0.0, [$0.1]) }), env: env, file: file)
        #expect(c.httpConsole == false)
    }

    @Test func flagBeatsFile() throws {
        #expect(try Self.resolve(flags: ["http-console": ["true"]], file: "[http]\nconsole = false\n").httpConsole)
    }

    @Test func otherValuesAreRefused() {
        #expect {
            try Self.resolve(flags: ["http-console": ["off"]])
        } throws: { error in
            guard case ConfigurationError.invalidValue(let setting, let value, _, _) = error else { return false }
            return setting == "--http-console" && value == "off"
        }
    }
}
