import InfluxQL
import Testing
@testable import QueryEngine

/// Time strings in WHERE as InfluxDB 1.6.7 reads them: each answer below was recorded from
/// influxd (`SELECT v FROM tt WHERE time > '…'`). A year outside 1677–2262 used to stop the
/// server on an arithmetic overflow.
@Suite struct TimeStringTests {
    static let notCompatible = "invalid operation: time and *influxql.StringLiteral are not compatible"

    @Test(arguments: [
        ("2025-12-02", "time"), ("2024-02-29", "time"), ("2000-02-29", "time"), ("2025-12-02 10:00:00.1234567", "time"),
        ("2025-12-02 10:00:00.123456789", "time"), ("2025-12-02T10:00:00.123456789Z", "time"), ("2025-12-02T10:00:00-00:00", "time"),
        ("2025-12-02T1:00:00Z", "time"), ("2025-12-02 1:00:00", "time"), ("2025-12-02T10:00:00,5Z", "time"), ("2025-12-02 10:00:00,25", "time"),
        ("2025-12-02T10:00:00.5+01:00", "time"), ("1677-09-21T00:12:43.145224195Z", "time"), ("2262-04-11T23:47:16.854775806Z", "time"),
        ("2025-1-02", notCompatible), ("20251202", notCompatible), ("garbage", notCompatible), ("2025-12-2", notCompatible),
        ("2025-12-02T10:00:00", "invalid timestamp string"), ("2025-13-02", "invalid timestamp string"), ("2025-02-29", "invalid timestamp string"),
        ("1900-02-29", "invalid timestamp string"), ("2025-00-10", "invalid timestamp string"), ("2025-12-00", "invalid timestamp string"),
        ("2025-12-02T24:00:00Z", "invalid timestamp string"), ("2025-12-02T23:60:00Z", "invalid timestamp string"),
        ("2025-12-02T23:59:60Z", "invalid timestamp string"), ("2025-12-02 10:00:00Z", "invalid timestamp string"),
        ("2025-12-02T10:00:00.Z", "invalid timestamp string"), ("2025-12-02T10:00:00.1234567890Z", "invalid timestamp string"),
        ("2025-12-02T10:00:00+0200", "invalid timestamp string"), ("2025-12-02T10:00:00+02", "invalid timestamp string"),
        ("2025-12-02T10:00:00z", "invalid timestamp string"), ("2025-12-02t10:00:00Z", "invalid timestamp string"),
        ("2025-12-02X", "invalid timestamp string"), ("2025-12-02 ", "invalid timestamp string"), ("2025-12-02 10:00", "invalid timestamp string"),
        ("0000-01-01", "time 0000-01-01T00:00:00Z underflows time literal"),
        ("0000-01-01T00:00:00+05:00", "time 0000-01-01T00:00:00+05:00 underflows time literal"),
        ("1677-09-21T00:12:43.145224194Z", "time 1677-09-21T00:12:43Z underflows time literal"),
        ("1677-09-21T00:12:43Z", "time 1677-09-21T00:12:43Z underflows time literal"),
        ("2262-04-11T23:47:16.854775807Z", "time 2262-04-11T23:47:16Z overflows time literal"),
        ("9999-12-31", "time 9999-12-31T00:00:00Z overflows time literal"),
        ("9999-12-31T23:59:59-12:00", "time 9999-12-31T23:59:59-12:00 overflows time literal"),
    ])
    func readsAsInfluxDB(text: String, expected: String) {
        let answer: String
        do {
            _ = try TimeLiteral.evaluate(.string(text), now: 0)
            answer = "time"
        } catch {
            answer = error.message
        }
        #expect(answer == expected, "\(text)")
    }

    @Test func boundsAndFractions() {
        #expect(TimeLiteral.read("1677-09-21T00:12:43.145224195Z") == .time(Int64.min + 3))
        #expect(TimeLiteral.read("2262-04-11T23:47:16.854775806Z") == .time(Int64.max - 1))
        #expect(TimeLiteral.read("1969-12-31T23:59:59.5Z") == .time(-500_000_000))
        #expect(TimeLiteral.read("2025-12-02T10:00:00.5+01:00") == .time(1_764_666_000_500_000_000))
    }
}

/// A lower time bound at or before InfluxDB's earliest time is no bound (recorded: `time >=
/// -9223372036854775806 AND time <= 1000 GROUP BY time(1h)` answers like `time <= 1000`).
@Suite struct EarliestBoundTests {
    @Test func boundAtTheEarliestTimeIsNoBound() throws {
        let atMinimum = try Condition(.binary(.greaterOrEqual, .varRef("time", type: nil), .integer(Int64.min + 2)), fields: [], now: 0)
        #expect(!atMinimum.hasMin && atMinimum.min == Int64.min)
        let past = try Condition(.binary(.greaterOrEqual, .varRef("time", type: nil), .integer(Int64.min + 3)), fields: [], now: 0)
        #expect(past.hasMin && past.min == Int64.min + 3)
    }
}
