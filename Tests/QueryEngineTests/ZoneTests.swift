import Testing
@testable import QueryEngine

/// The zone logic of `tz()`: TZif reading, the POSIX footer rule, InfluxDB's bucket rules.
@Suite struct ZoneTests {
    static let ns: Int64 = 1_000_000_000
    static let hour: Int64 = 3_600 * ns
    static let day: Int64 = 24 * hour

    static func zone(_ name: String) throws -> ZoneInfo {
        try #require(ZoneDatabase.system.zone(named: name), "tzdata has \(name)")
    }

    /// Seconds since the epoch of a UTC date and time.
    static func utc(_ y: Int64, _ mo: Int64, _ d: Int64, _ h: Int64 = 0, _ mi: Int64 = 0) -> Int64 {
        TimeFormat.days(year: y, month: mo, day: d) * 86_400 + h * 3600 + mi * 60
    }

    @Test(arguments: [
        ("America/Los_Angeles", utc(2023, 3, 12, 9, 59), -8 * 3600), ("America/Los_Angeles", utc(2023, 3, 12, 10), -7 * 3600),
        ("America/Los_Angeles", utc(2023, 11, 5, 8, 59), -7 * 3600), ("America/Los_Angeles", utc(2023, 11, 5, 9), -8 * 3600),
        ("Europe/Berlin", utc(2023, 3, 26, 0, 59), 3600), ("Europe/Berlin", utc(2023, 3, 26, 1), 7200),
        ("Asia/Kolkata", utc(2023, 7, 1), 19_800), ("Australia/Lord_Howe", utc(2023, 4, 1, 14, 59), 39_600),
        ("Australia/Lord_Howe", utc(2023, 4, 1, 15), 37_800), ("America/Los_Angeles", utc(1850, 1, 1), -28_378),
        ("America/Los_Angeles", utc(2050, 7, 1), -7 * 3600), ("America/Los_Angeles", utc(2050, 12, 1), -8 * 3600),
    ] as [(String, Int64, Int64)])
    func offsetsAtInstants(_ name: String, _ seconds: Int64, _ offset: Int64) throws {
        #expect(try Self.zone(name).lookup(seconds).offset == offset)
    }

    /// The footer rule gives the offsets the transition table lists for the years it covers.
    @Test(arguments: ["America/Los_Angeles", "Europe/Berlin", "Australia/Lord_Howe", "America/Santiago", "Pacific/Chatham"])
    func footerRuleAgreesWithTable(_ name: String) throws {
        let z = try Self.zone(name)
        let rule = try #require(z.rule)
        for (i, t) in z.transitions.enumerated() where t > Self.utc(2025, 1, 1) && t < Self.utc(2037, 1, 1) {
            #expect(rule.lookup(t)?.offset == Int64(z.offsets[i]), "\(name) at \(t)")
            #expect(rule.lookup(t - 1)?.offset == Int64(z.offsets[i - 1]), "\(name) before \(t)")
        }
    }

    @Test func posixRules() throws {
        let us = try #require(PosixZoneRule("PST8PDT,M3.2.0,M11.1.0"))
        #expect(us.standard == -28_800 && us.daylight == -25_200)
        #expect(PosixZoneRule("IST-5:30")?.lookup(0)?.offset == 19_800)
        #expect(PosixZoneRule("<+1030>-10:30<+11>-11,M10.1.0,M4.1.0")?.daylight == 39_600)
        #expect(PosixZoneRule("AB5") == nil)
        #expect(PosixZoneRule("EST5EDT,M3.2.0") == nil)
    }

    @Test func malformedFilesAreRefused() {
        #expect(throws: ZoneInfoError.malformed) { try ZoneInfo.parse(Array("TZif2".utf8), name: "x") }
        #expect(throws: ZoneInfoError.malformed) { try ZoneInfo.parse([], name: "x") }
    }

    @Test func namesFollowGoLoadLocation() {
        let db = ZoneDatabase(load: { $0 == "Etc/Fixed" ? Self.fixedZone : nil })
        #expect(db.zone(named: "") == .utc)
        #expect(db.zone(named: "UTC") == .utc)
        #expect(db.zone(named: "Local") == .utc)
        #expect(db.zone(named: "Nowhere/City") == nil)
        #expect(db.zone(named: "../Etc/Fixed") == nil)
        #expect(db.zone(named: "/Etc/Fixed") == nil)
        #expect(db.zone(named: "Etc/Fixed")?.lookup(0).offset == 3_600)
    }

    /// A version 1 TZif file without transitions: one type, UTC+1.
    static let fixedZone: [UInt8] = {
        var b = Array("TZif".utf8) + [0] + [UInt8](repeating: 0, count: 15)
        for n in [0, 0, 0, 0, 1, 4] as [UInt32] { b += [UInt8(n >> 24), UInt8(n >> 16 & 255), UInt8(n >> 8 & 255), UInt8(n & 255)] }
        return b + [0, 0, 0x0E, 0x10, 0, 0] + Array("ONE".utf8) + [0]
    }()

    @Test func dayBucketsFollowTheWallClock() throws {
        let w = Window(interval: Self.day, zone: try Self.zone("America/Los_Angeles"))
        let springDay = Self.utc(2023, 3, 12, 12) * Self.ns
        #expect(w.start(of: springDay) == Self.utc(2023, 3, 12, 8) * Self.ns)
        #expect(w.end(of: springDay) - w.start(of: springDay) == 23 * Self.hour)
        let autumnDay = Self.utc(2023, 11, 5, 12) * Self.ns
        #expect(w.end(of: autumnDay) - w.start(of: autumnDay) == 25 * Self.hour)
        #expect(w.buckets(min: Self.utc(2023, 3, 11, 12) * Self.ns, max: Self.utc(2023, 3, 13, 12) * Self.ns)
                == [Self.utc(2023, 3, 11, 8), Self.utc(2023, 3, 12, 8), Self.utc(2023, 3, 13, 7)].map { $0 * Self.ns })
    }

    /// A negative offset keeps its sign as in InfluxDB: the day before the change is 23 hours.
    @Test func negativeOffsetsKeepTheirSign() throws {
        let w = Window(interval: Self.day, offset: -6 * Self.hour, zone: try Self.zone("America/Los_Angeles"))
        let t = Self.utc(2023, 3, 12, 9) * Self.ns
        #expect(w.start(of: t) == Self.utc(2023, 3, 12, 2) * Self.ns)
        #expect(w.end(of: t) == Self.utc(2023, 3, 13, 1) * Self.ns)
        #expect(Window(interval: Self.day, offset: -6 * Self.hour).start(of: t) == Self.utc(2023, 3, 11, 18) * Self.ns)
    }

    @Test func timesCarryTheOffset() throws {
        var out: [UInt8] = []
        TimeFormat.rfc3339Nano(1_700_000_000_500_000_000, offsetSeconds: -28_800, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "2023-11-14T14:13:20.5-08:00")
        out = []
        TimeFormat.rfc3339Nano(0, offsetSeconds: 19_800, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "1970-01-01T05:30:00+05:30")
        out = []
        TimeFormat.rfc3339Nano(0, offsetSeconds: -28_378, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "1969-12-31T16:07:02-07:52")
    }

    /// Wall-clock strings resolve as Go's time.Date: a skipped time takes the offset after the
    /// change (02:30 is 01:30 PST), a repeated one its first occurrence (daylight time).
    @Test func wallClockStrings() throws {
        let la = try Self.zone("America/Los_Angeles")
        #expect(TimeLiteral.parse("2023-03-12 00:00:00", zone: la) == Self.utc(2023, 3, 12, 8) * Self.ns)
        #expect(TimeLiteral.parse("2023-03-12 02:30:00", zone: la) == Self.utc(2023, 3, 12, 9, 30) * Self.ns)
        #expect(TimeLiteral.parse("2023-11-05 01:30:00", zone: la) == Self.utc(2023, 11, 5, 8, 30) * Self.ns)
        #expect(TimeLiteral.parse("2023-03-12T00:00:00Z", zone: la) == Self.utc(2023, 3, 12) * Self.ns)
    }
}
