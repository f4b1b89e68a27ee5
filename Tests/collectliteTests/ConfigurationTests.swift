import CollectdProtocol
import CollectdReceiver
import Testing

@testable import collectlite

@Suite struct ConfigurationTests {
    static let file = """
        # collectlite configuration
        data-dir = "/var/lib/collectlite"   # trailing comment
        retention = "30d"
        flush_interval = "500ms"

        [collectd]
        bind = "[::1]:25827"
        security-level = "sign"
        read_buffer = "16MiB"
        typesdb = ["/a/types.db",
                   '/b/custom.db']   # multi-line array
        queue-size = 1_000

        [http]
        bind = "127.0.0.1:9086"
        """

    static func resolve(flags: [String: [String]] = [:], env: [String: String] = [:], file: String? = file) throws -> Configuration {
        let toml = try file.map { try ConfigurationTOML(parsing: $0, file: "test.toml") }
        return try Configuration(sources: ConfigurationSources(flags: flags, environment: env, file: toml, filePath: file == nil ? "" : "test.toml"))
    }

    @Test func defaultsWithoutAnySource() throws {
        let c = try Self.resolve(file: nil)
        #expect(c.dataDir == "./data")
        #expect(c.retention == nil)
        #expect(c.flushInterval == .seconds(1))
        #expect(c.collectdBind == BindAddress(host: "0.0.0.0", port: 25826))
        #expect(c.collectdDatabase == "collectd")
        #expect(c.collectdSecurityLevel == .none)
        #expect(c.collectdMultiValue == .split)
        #expect(c.collectdPrecision == .ms)
        #expect(c.collectdUnknownTypes == .keep)
        #expect(c.collectdReadBuffer == 8 << 20)
        #expect(c.httpBind == BindAddress(host: "0.0.0.0", port: 8086))
        #expect(c.logLevel == .info)
        #expect(c.typesDB.isEmpty)
    }

    @Test(arguments: [("64MiB", 64 << 20), ("512k", 512 << 10), ("1000", 24_000), ("1b", 1)])
    func queueSizeIsBytesWithAUnitAndValuesWithout(text: String, bytes: Int) {
        #expect(ConfigurationValues.queueSize(text) == bytes)
    }

    @Test(arguments: ["0", "-5", "lots", "0MiB"])
    func queueSizeRejects(text: String) {
        #expect(ConfigurationValues.queueSize(text) == nil)
    }

    @Test func fileSettingsApply() throws {
        let c = try Self.resolve()
        #expect(c.dataDir == "/var/lib/collectlite")
        #expect(c.retention == .seconds(30 * 86_400))
        #expect(c.flushInterval == .milliseconds(500))
        #expect(c.collectdBind == BindAddress(host: "::1", port: 25827))
        #expect(c.collectdSecurityLevel == .sign)
        #expect(c.collectdReadBuffer == 16 << 20)
        // A plain number counts values (24 bytes each in the queue).
        #expect(c.collectdQueueSize == 1_000 * 24)
        #expect(c.typesDB == ["/a/types.db", "/b/custom.db"])
        #expect(c.httpBind == BindAddress(host: "127.0.0.1", port: 9086))
    }

    @Test func flagBeatsEnvironmentBeatsFile() throws {
        let env = ["COLLECTLITE_COLLECTD_BIND": "127.0.0.2:1", "COLLECTLITE_DATA_DIR": "/env/data", "COLLECTLITE_TYPESDB": "/x.db:/y.db"]
        let c = try Self.resolve(flags: ["collectd-bind": ["127.0.0.3:2"]], env: env)
        #expect(c.collectdBind == BindAddress(host: "127.0.0.3", port: 2))
        #expect(c.dataDir == "/env/data")
        #expect(c.typesDB == ["/x.db", "/y.db"])
        #expect(c.retention == .seconds(30 * 86_400))
    }

    @Test func repeatedFlagsKeepEveryValue() throws {
        let c = try Self.resolve(flags: ["typesdb": ["/1", "/2", "/3"]], file: nil)
        #expect(c.typesDB == ["/1", "/2", "/3"])
    }

    @Test(arguments: [
        ("flush-interval", "0s"), ("flush-interval", "fast"), ("collectd-bind", "nowhere"),
        ("collectd-security-level", "paranoid"), ("collectd-multivalue", "merge"), ("collectd-read-buffer", "8XB"),
        ("collectd-precision", "min"), ("collectd-unknown-types", "maybe"), ("log-level", "loud"), ("retention", "30 days"),
    ])
    func badValuesNameTheirSource(flag: String, value: String) {
        #expect {
            try Self.resolve(flags: [flag: [value]], file: nil)
        } throws: { error in
            guard case ConfigurationError.invalidValue(let setting, let v, let source, _) = error else { return false }
            return setting == "--\(flag)" && v == value && source == "--\(flag)"
        }
    }

    @Test func encryptNeedsAnAuthFile() {
        #expect(throws: ConfigurationError.self) { try Self.resolve(flags: ["collectd-security-level": ["encrypt"]], file: nil) }
    }

    @Test(arguments: [
        ("1s", Duration.seconds(1)), ("500ms", .milliseconds(500)), ("1h30m", .seconds(5400)), ("2w", .seconds(14 * 86_400)),
        ("250us", .microseconds(250)), ("7d", .seconds(7 * 86_400)),
    ])
    func durations(text: String, expected: Duration) {
        #expect(ConfigurationValues.duration(text) == expected)
    }

    @Test(arguments: ["", "s", "1", "1x", "ms5", "-1s"])
    func badDurations(text: String) {
        #expect(ConfigurationValues.duration(text) == nil)
    }

    @Test(arguments: [("8388608", 8_388_608), ("8M", 8 << 20), ("8MiB", 8 << 20), ("512k", 512 << 10), ("1G", 1 << 30)])
    func sizes(text: String, expected: Int) {
        #expect(ConfigurationValues.size(text) == expected)
    }

    @Test func tomlValueKinds() throws {
        let toml = try ConfigurationTOML(parsing: """
            a = "x\\ty \\"q\\" \\u00e9"
            b = 'C:\\path'
            c = 42
            d = true
            e = []
            "quoted key" = "v"
            [t.sub]
            f = false
            """)
        #expect(toml["a"] == .string("x\ty \"q\" é"))
        #expect(toml["b"] == .string("C:\\path"))
        #expect(toml["c"] == .integer(42))
        #expect(toml["d"] == .boolean(true))
        #expect(toml["e"] == .strings([]))
        #expect(toml["quoted key"] == .string("v"))
        #expect(toml["t.sub.f"] == .boolean(false))
    }

    @Test(arguments: [
        ("a = ", 1), ("a = bare", 1), ("[t", 1), ("x = 1\nx = 2", 2), ("a = \"open", 1), ("a = [1, 2]", 1),
        ("ok = 1\n\n  = 3", 3), ("a = [\"x\"", 1), ("a = 1 b", 1),
    ])
    func tomlErrorsCarryTheLine(text: String, line: Int) {
        #expect {
            try ConfigurationTOML(parsing: text, file: "f.toml")
        } throws: { error in
            guard case ConfigurationError.file(let path, let l, _) = error else { return false }
            return path == "f.toml" && l == line
        }
    }
}

@Suite struct HTTPAuthEnabledConfigurationTests {
    @Test func offByDefaultAndSetByFlagVariableOrFile() throws {
        #expect(try ConfigurationTests.resolve(file: nil).httpAuthEnabled == false)
        #expect(try ConfigurationTests.resolve(flags: ["http-auth-enabled": ["true"]], file: nil).httpAuthEnabled)
        #expect(try ConfigurationTests.resolve(env: ["COLLECTLITE_HTTP_AUTH_ENABLED": "1"], file: nil).httpAuthEnabled)
        #expect(try ConfigurationTests.resolve(file: "[http]\nauth-enabled = true\n").httpAuthEnabled)
        #expect(try ConfigurationTests.resolve(env: ["COLLECTLITE_HTTP_AUTH_ENABLED": "false"], file: "[http]\nauth-enabled = true\n").httpAuthEnabled == false)
        #expect(throws: ConfigurationError.self) { try ConfigurationTests.resolve(env: ["COLLECTLITE_HTTP_AUTH_ENABLED": "maybe"], file: nil) }
    }

    @Test func maxRowLimitFromFlagOrFile() throws {
        #expect(try ConfigurationTests.resolve(file: nil).httpMaxRowLimit == 0)
        #expect(try ConfigurationTests.resolve(flags: ["http-max-row-limit": ["10000"]], file: nil).httpMaxRowLimit == 10_000)
        #expect(try ConfigurationTests.resolve(file: "[http]\nmax-row-limit = 5\n").httpMaxRowLimit == 5)
        #expect(throws: ConfigurationError.self) { try ConfigurationTests.resolve(flags: ["http-max-row-limit": ["-1"]], file: nil) }
    }
}
