import Testing
import InfluxQL
@testable import QueryEngine

/// The CQ schedule against hand-computed InfluxDB 1.6.7 answers (services/continuous_querier:
/// `ExecuteContinuousQuery`), on a fake clock: H is 2023-11-14T22:00:00Z.
@Suite struct ContinuousQueryScheduleTests {
    typealias Window = ContinuousQuerySchedule.Window
    static let s: Int64 = 1_000_000_000
    static let m = 60 * s
    static let h = 60 * m
    static let H: Int64 = 1_699_999_200 * s

    let s = Self.s, m = Self.m, h = Self.h, H = Self.H

    func schedule(_ cq: String) throws -> ContinuousQuerySchedule {
        guard case .createContinuousQuery(let stmt)? = try InfluxQLParser.parse(cq).first else {
            Issue.record("not a CQ: \(cq)")
            return ContinuousQuerySchedule(interval: 1)
        }
        return try ContinuousQuerySchedule(stmt)
    }

    func cq(_ groupBy: String, resample: String = "") -> String {
        "CREATE CONTINUOUS QUERY c ON db \(resample) BEGIN SELECT mean(v) INTO x FROM m GROUP BY \(groupBy) END"
    }

    @Test func defaultsFromTheStatement() throws {
        #expect(try schedule(cq("time(1m)")) == ContinuousQuerySchedule(interval: m, offset: 0, every: m, forDuration: m))
        #expect(try schedule(cq("time(1m)", resample: "RESAMPLE EVERY 5m")).forDuration == 5 * m)
        #expect(try schedule(cq("time(1m)", resample: "RESAMPLE EVERY 30s")).forDuration == m)
        #expect(try schedule(cq("host, time(1m, 90s)", resample: "RESAMPLE FOR 1h")) == ContinuousQuerySchedule(interval: m, offset: 30 * s, every: m, forDuration: h))
        #expect(try schedule(cq("time(1h, -15m)")).offset == -15 * m)
    }

    @Test func statementsWithoutASchedule() throws {
        #expect(throws: ContinuousQueryScheduleError.notAggregate) {
            try schedule("CREATE CONTINUOUS QUERY c ON db BEGIN SELECT v INTO x FROM m GROUP BY time(1m) END")
        }
        #expect(throws: ContinuousQueryScheduleError.noInterval) {
            try schedule("CREATE CONTINUOUS QUERY c ON db BEGIN SELECT v INTO x FROM m END")
        }
        #expect(throws: ContinuousQueryScheduleError.invalid("invalid time dimension offset: now()")) { try schedule(cq("time(1m, now())")) }
    }

    @Test func firstRunOnABoundaryAndInsideAnInterval() {
        let c = ContinuousQuerySchedule(interval: m)
        #expect(c.due(lastRun: nil, now: H + 90 * s))
        // On the boundary: the interval that just ended.
        #expect(c.run(lastRun: nil, now: H + m) == .init(lastRun: H + m, window: Window(start: H, end: H + m)))
        // Inside an interval: nothing to query, but the run is recorded at the interval's start.
        #expect(c.run(lastRun: nil, now: H + 90 * s) == .init(lastRun: H + m, window: nil))
    }

    @Test func intervalBoundaries() {
        let c = ContinuousQuerySchedule(interval: m)
        #expect(!c.due(lastRun: H + m, now: H + 2 * m - 1))
        #expect(c.run(lastRun: H + m, now: H + 2 * m - 1) == nil)
        #expect(c.due(lastRun: H + m, now: H + 2 * m))
        #expect(c.run(lastRun: H + m, now: H + 2 * m + s / 2) == .init(lastRun: H + 2 * m, window: Window(start: H + m, end: H + 2 * m)))
    }

    @Test func positiveOffset() {
        // GROUP BY time(1h, 15m)
        let c = ContinuousQuerySchedule(interval: h, offset: 15 * m)
        #expect(c.run(lastRun: H + 15 * m, now: H + h + 15 * m + s)
            == .init(lastRun: H + h + 15 * m, window: Window(start: H + 15 * m, end: H + h + 15 * m)))
        #expect(!c.due(lastRun: H + 15 * m, now: H + h + 15 * m - 1))
    }

    @Test func negativeOffset() {
        // GROUP BY time(1h, -15m): buckets start at :45.
        let c = ContinuousQuerySchedule(interval: h, offset: -15 * m)
        #expect(c.run(lastRun: H - 15 * m, now: H + 45 * m + s)
            == .init(lastRun: H + 45 * m, window: Window(start: H - 15 * m, end: H + 45 * m)))
        #expect(c.run(lastRun: nil, now: H + 45 * m) == .init(lastRun: H + 45 * m, window: Window(start: H - 15 * m, end: H + 45 * m)))
    }

    @Test func everyShorterThanTheIntervalRecomputesTheCurrentBucket() {
        // time(1h) RESAMPLE EVERY 30m: every half hour, the bucket in progress (InfluxDB's end is in the future).
        let c = ContinuousQuerySchedule(interval: h, every: 30 * m)
        #expect(c.run(lastRun: H, now: H + 30 * m) == .init(lastRun: H + 30 * m, window: Window(start: H, end: H + h)))
        #expect(c.run(lastRun: H + 30 * m, now: H + h) == .init(lastRun: H + h, window: Window(start: H, end: H + h)))
        #expect(!c.due(lastRun: H + 30 * m, now: H + 59 * m))
    }

    @Test func everyLongerThanTheInterval() {
        // time(1m) RESAMPLE EVERY 5m: every 5 minutes, the last 5 one-minute buckets.
        let c = ContinuousQuerySchedule(interval: m, every: 5 * m)
        #expect(c.run(lastRun: H, now: H + 5 * m) == .init(lastRun: H + 5 * m, window: Window(start: H, end: H + 5 * m)))
        #expect(!c.due(lastRun: H, now: H + 4 * m))
    }

    @Test func forLongerThanTheInterval() {
        let c = ContinuousQuerySchedule(interval: m, forDuration: 10 * m)
        #expect(c.window(lastRun: H + 10 * m, now: H + 11 * m) == Window(start: H + m, end: H + 11 * m))
        let both = ContinuousQuerySchedule(interval: m, every: 5 * m, forDuration: h)
        #expect(both.window(lastRun: H, now: H + 5 * m) == Window(start: H - 55 * m, end: H + 5 * m))
    }

    @Test func restartWithoutLastRunRunsAtOnce() {
        let c = ContinuousQuerySchedule(interval: m, forDuration: 10 * m)
        #expect(c.run(lastRun: nil, now: H + 11 * m) == .init(lastRun: H + 11 * m, window: Window(start: H + m, end: H + 11 * m)))
        #expect(c.catchUp(lastRun: nil, now: H + 11 * m) == .init(windows: [Window(start: H + m, end: H + 11 * m)], lastRun: H + 11 * m))
    }

    @Test func downtimeWithDefaultsCoversEveryMissedInterval() {
        // Runs at H+1m … H+1h: every interval of the hour, none skipped.
        let c = ContinuousQuerySchedule(interval: m)
        let windows = (0..<60).map { Window(start: H + Int64($0) * m, end: H + Int64($0 + 1) * m) }
        #expect(c.catchUp(lastRun: H, now: H + h + 30 * s) == .init(windows: windows, lastRun: H + h))
        #expect(c.catchUp(lastRun: H, now: H + 30 * s) == nil)
    }

    @Test func downtimeWithResampleFor() {
        let c = ContinuousQuerySchedule(interval: m, forDuration: 10 * m)
        let up = c.catchUp(lastRun: H, now: H + h)
        // Each missed run's own 10-minute window (the earliest reach back before the last run).
        let windows = (1...60).map { k in Window(start: H + Int64(k - 10) * m, end: H + Int64(k) * m) }
        #expect(up == .init(windows: windows, lastRun: H + h))
    }

    @Test func downtimeWithEveryShorterThanTheIntervalDeduplicates() {
        let c = ContinuousQuerySchedule(interval: h, every: 30 * m)
        let up = c.catchUp(lastRun: H, now: H + 3 * h)
        #expect(up == .init(windows: [Window(start: H, end: H + h), Window(start: H + h, end: H + 2 * h), Window(start: H + 2 * h, end: H + 3 * h)],
                            lastRun: H + 3 * h))
    }

    @Test func downtimeOfYearsIsBounded() {
        // 1.7·10⁹ missed runs: the last 10 000.
        let c = ContinuousQuerySchedule(interval: s)
        let up = c.catchUp(lastRun: 0, now: H)
        #expect(up?.windows.count == 10_000)
        #expect(up?.windows.first == Window(start: H - 10_000 * s, end: H - 9_999 * s))
        #expect(up?.windows.last == Window(start: H - s, end: H))
    }

    @Test func truncateIsGosTimeTruncate() {
        // Go counts from 0001-01-01 (a Monday): 1970-01-01 is 3 days past a week boundary.
        #expect(ContinuousQuerySchedule.truncate(0, 7 * 24 * h) == -3 * 24 * h)
        #expect(ContinuousQuerySchedule.truncate(H + 59 * m, h) == H)
        #expect(ContinuousQuerySchedule.truncate(-1, m) == -m)
        #expect(ContinuousQuerySchedule.truncate(H + 7, 0) == H + 7)
        #expect(ContinuousQuerySchedule.truncate(H, 7_000_000_000_000_000_000) == 864_403_200_000_000_000)
    }

    @Test(arguments: [
        ("", "time >= '2023-11-14T22:00:00Z' AND time < '2023-11-14T22:01:00Z'"),
        ("WHERE host = 'a' AND time > now() - 1h", "host = 'a' AND time >= '2023-11-14T22:00:00Z' AND time < '2023-11-14T22:01:00Z'"),
        ("WHERE time > now() - 1h", "time >= '2023-11-14T22:00:00Z' AND time < '2023-11-14T22:01:00Z'"),
        ("WHERE (host = 'a' OR host = 'b')", "(host = 'a' OR host = 'b') AND time >= '2023-11-14T22:00:00Z' AND time < '2023-11-14T22:01:00Z'"),
        // The texts are joined, so the time range binds to the right side of the OR only.
        ("WHERE host = 'a' OR time < 5", "host = 'a' OR time >= '2023-11-14T22:00:00Z' AND time < '2023-11-14T22:01:00Z'"),
        ("WHERE (time > 5) AND host = 'a'", "host = 'a' AND time >= '2023-11-14T22:00:00Z' AND time < '2023-11-14T22:01:00Z'"),
    ])
    func statementForAWindow(_ whereClause: String, _ expected: String) throws {
        guard case .createContinuousQuery(let stmt)? = try InfluxQLParser.parse(cq("time(1m)").replacingOccurrences(of: "FROM m", with: "FROM m " + whereClause)).first else {
            Issue.record("not a CQ")
            return
        }
        let select = ContinuousQuerySchedule.statement(stmt.select, window: Window(start: H, end: H + m))
        #expect(select.condition?.description == expected)
        #expect(select.fields == stmt.select.fields && select.into == stmt.select.into)
    }

    @Test func unparenthesisedOrKeepsInfluxDBsPrecedence() throws {
        guard case .createContinuousQuery(let stmt)? = try InfluxQLParser.parse(
            "CREATE CONTINUOUS QUERY c ON db BEGIN SELECT mean(v) INTO x FROM m WHERE host = 'a' OR host = 'b' GROUP BY time(1m) END").first
        else { return }
        let select = ContinuousQuerySchedule.statement(stmt.select, window: Window(start: H, end: H + m))
        guard case .binary(.or, _, .binary(.and, _, _))? = select.condition else {
            Issue.record("expected host = 'a' OR (host = 'b' AND time range), got \(String(describing: select.condition))")
            return
        }
    }
}
