import Testing

@testable import CollectdReceiver

@Suite struct RateLimiterTests {
    @Test func admitsABurstPerWindowAndReportsSuppressed() {
        var limiter = RateLimiter(burst: 2, window: .seconds(10))
        let t0 = ContinuousClock.now
        #expect(limiter.admit(now: t0) == 0)
        #expect(limiter.admit(now: t0 + .seconds(1)) == 0)
        #expect(limiter.admit(now: t0 + .seconds(2)) == nil)
        #expect(limiter.admit(now: t0 + .seconds(3)) == nil)
        #expect(limiter.admit(now: t0 + .seconds(11)) == 2)
        #expect(limiter.admit(now: t0 + .seconds(12)) == 0)
    }
}
