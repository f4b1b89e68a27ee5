/// Lets at most `burst` events through per `window`, and tells how many it held back since the
/// last one it let through (for "n similar messages suppressed").
struct RateLimiter {
    let burst: Int
    let window: Duration
    private var windowStart: ContinuousClock.Instant?
    private var passed = 0
    private(set) var suppressed = 0

    init(burst: Int, window: Duration) {
        self.burst = burst
        self.window = window
    }

    /// Whether this event may be logged; when it may, the number suppressed before it.
    mutating func admit(now: ContinuousClock.Instant = .now) -> Int? {
        if let start = windowStart, now - start < window {
            guard passed < burst else {
                suppressed += 1
                return nil
            }
        } else {
            windowStart = now
            passed = 0
        }
        passed += 1
        defer { suppressed = 0 }
        return suppressed
    }
}
