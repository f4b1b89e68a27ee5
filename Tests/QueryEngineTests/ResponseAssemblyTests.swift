import Testing
@testable import QueryEngine
import TimeSeries

/// `ResponseAssembly.uncut` (the fast path for answers nothing cuts) against splitting and merging.
@Suite struct ResponseAssemblyTests {
    struct Rng: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state ^ (state >> 29)
        }
    }

    static func randomResponse(_ rng: inout Rng) -> QueryResponse {
        var results: [StatementResult] = []
        var id = 0
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            id += Int.random(in: 0...5, using: &rng) == 0 ? 0 : 1
            var series: [ResultSeries] = []
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                let rows = [0, 1, 1, 2, 2, 5, 10_000, 10_001].randomElement(using: &rng)!
                let values = (0..<rows).map { [ResultValue.time(Int64($0)), .float(Double($0))] }
                let host = ["a", "b", "c"].randomElement(using: &rng)!
                series.append(ResultSeries(name: ["m", "n"].randomElement(using: &rng)!, tags: [Tag("host", host)], columns: ["time", "v"],
                                           values: values, partial: Bool.random(using: &rng)))
            }
            let error: String? = Int.random(in: 0...8, using: &rng) == 0 ? "boom" : nil
            let messages: [ResultMessage]? = Bool.random(using: &rng) ? [ResultMessage(level: "warning", text: "w")] : nil
            var result = StatementResult(statementID: id, series: series, messages: messages, error: error, partial: Bool.random(using: &rng))
            result.perSeries = Int.random(in: 0...4, using: &rng) != 0
            results.append(result)
        }
        return QueryResponse(results: results)
    }

    @Test func uncutEqualsSplitAndMerged() {
        var rng = Rng(state: 42)
        var taken = 0
        for _ in 0..<600 {
            let response = Self.randomResponse(&rng)
            let limit = [0, 1, 3, 10_000, 10_003, 30_000, 100_000].randomElement(using: &rng)!
            if let fast = ResponseAssembly.uncut(response, rowLimit: limit) {
                taken += 1
                #expect(fast == ResponseAssembly.merged(response, rowLimit: limit))
            }
            #expect(ResponseAssembly.nonChunked(response, rowLimit: limit) == ResponseAssembly.merged(response, rowLimit: limit))
        }
        // Both paths must have been exercised.
        #expect(taken > 60 && taken < 540, "fast path taken \(taken) times")
    }
}
