import Testing

@Suite struct GrafanaTemplatingTests {
    static func hostVariable(selected: [String]?, allValue: String? = nil, multi: Bool = true) -> GrafanaTemplating.Variable {
        .init(name: "host", multi: multi, includeAll: multi, allValue: allValue,
              options: ["db.lan", "web-1.example.org", "x"], selected: selected)
    }

    static func templating(_ variable: GrafanaTemplating.Variable, intervalMs: Int64 = 10_000) -> GrafanaTemplating {
        GrafanaTemplating(variables: [variable], fromMs: 1_596_240_000_000, toMs: 1_596_240_300_000, intervalMs: intervalMs)
    }

    @Test func timeFilterIsTheBackendForm() {
        let t = Self.templating(Self.hostVariable(selected: ["x"]))
        #expect(t.expand("SELECT 1 FROM m WHERE $timeFilter") == "SELECT 1 FROM m WHERE time >= 1596240000000ms and time <= 1596240300000ms")
    }

    @Test(arguments: [
        (Int64(200), "200ms"), (10_000, "10s"), (60_000, "1m"), (90_000, "1m"), (3_600_000, "1h"),
        (86_400_000, "1d"), (31_536_000_000, "1y"), (0, "1ms"), (1500, "1s"),
    ])
    func intervalText(ms: Int64, text: String) {
        #expect(GrafanaTemplating.formatInterval(ms: ms) == text)
    }

    @Test func intervalMacrosInGoOrder() {
        let t = Self.templating(Self.hostVariable(selected: ["x"]), intervalMs: 20_000)
        #expect(t.expand("time($__interval) time($interval) $__interval_ms") == "time(20s) time(20s) 20000")
    }

    @Test(arguments: [
        (Int64(3_600_000), Int64(10_000)),   // 1 h over 1000 points = 3.6 s → 5 s, raised to the 10 s minimum
        (21_600_000, 20_000),                // 6 h → 21.6 s → 20 s
        (86_400_000, 60_000),                // 24 h → 86.4 s → 1 m
        (604_800_000, 600_000),              // 7 d → 604.8 s → 10 m
    ])
    func panelInterval(rangeMs: Int64, expected: Int64) {
        #expect(GrafanaTemplating.interval(fromMs: 0, toMs: rangeMs, maxDataPoints: 1000, minIntervalMs: 10_000) == expected)
    }

    @Test func roundIntervalBoundaries() {
        #expect(GrafanaTemplating.roundInterval(ms: 10) == 1)
        #expect(GrafanaTemplating.roundInterval(ms: 11) == 10)
        #expect(GrafanaTemplating.roundInterval(ms: 7_500) == 5_000)
        #expect(GrafanaTemplating.roundInterval(ms: 7_501) == 10_000)
        #expect(GrafanaTemplating.roundInterval(ms: 4_000_000_000) == 31_536_000_000)
    }

    @Test func singleValueIsRegexEscaped() {
        let t = Self.templating(Self.hostVariable(selected: ["web-1.example.org"]))
        #expect(t.expand(#""host" =~ /^$host$/"#) == #""host" =~ /^web-1\.example\.org$/"#)
    }

    @Test func multiValueBecomesAlternation() {
        let t = Self.templating(Self.hostVariable(selected: ["db.lan", "x"]))
        #expect(t.expand(#""host" =~ /^$host$/"#) == #""host" =~ /^(db\.lan|x)$/"#)
    }

    @Test func allExpandsToEveryOption() {
        let t = Self.templating(Self.hostVariable(selected: nil))
        #expect(t.expand("/^$host$/") == #"/^(db\.lan|web-1\.example\.org|x)$/"#)
    }

    @Test func allWithCustomAllValueIsVerbatim() {
        let t = Self.templating(Self.hostVariable(selected: nil, allValue: ".*"))
        #expect(t.expand("/^$host$/") == "/^.*$/")
    }

    @Test func plainVariableIsNotEscaped() {
        let t = Self.templating(Self.hostVariable(selected: ["a.b"], multi: false))
        #expect(t.expand("'$host'") == "'a.b'")
    }

    @Test func otherSyntaxesAndUnknownNames() {
        let t = Self.templating(Self.hostVariable(selected: ["a.b", "c"]))
        #expect(t.expand("${host} [[host]] ${host:pipe} ${host:csv}") == #"(a\.b|c) (a\.b|c) a.b|c a.b,c"#)
        #expect(t.expand("$hostname $tag_host $ ${") == "$hostname $tag_host $ ${")
    }

    @Test func metacharactersAllEscaped() {
        #expect(GrafanaTemplating.regexEscape(#"a\^$*+?.()|[]{}/z"#) == #"a\\\^\$\*\+\?\.\(\)\|\[\]\{\}\/z"#)
    }
}
