import Testing
@testable import QueryEngine
import TimeSeries

/// A series kept as timed points (`ResultRows.timed`) answers exactly as the same rows of cells:
/// in JSON, MessagePack and CSV, through response assembly (pieces, merging, the row limit), and
/// under every change made to its rows.
@Suite struct TimedRowsTests {
    typealias Rng = ResponseAssemblyTests.Rng

    static func randomValue(_ rng: inout Rng) -> ResultValue {
        switch Int.random(in: 0..<12, using: &rng) {
        case 0: return .null
        case 1: return .integer(Int64.random(in: Int64.min...Int64.max, using: &rng))
        case 2: return .unsigned(UInt64.random(in: 0...UInt64.max, using: &rng))
        case 3: return .boolean(Bool.random(using: &rng))
        case 4: return .string(["", "a\"b", "<x>", "eth0", "\u{2028}"].randomElement(using: &rng)!)
        // Not NaN: a NaN cell is unequal to itself, so equal answers would compare unequal.
        case 5: return .float([.infinity, -.infinity, -0.0, 1e21, 1e-7, 5e-324, -1.5].randomElement(using: &rng)!)
        case 6: return .time(Int64.random(in: -1_000_000_000_000...4_000_000_000_000_000_000, using: &rng))
        case 7: return .float(Double(Int.random(in: -1_000_000...1_000_000, using: &rng)))
        default: return .float(Double.random(in: -1e6...1e6, using: &rng))
        }
    }

    static func randomPoints(_ rng: inout Rng, count: Int) -> [TimedValue] {
        var t = Int64.random(in: -5_000_000_000...1_700_000_000_000_000_000, using: &rng)
        return (0..<count).map { _ in
            t += Int64.random(in: 0...90_000_000_000, using: &rng)
            return TimedValue(t, randomValue(&rng))
        }
    }

    /// The same series twice: timed, and as rows of cells.
    static func pair(_ rng: inout Rng, count: Int, tz: Bool = false) -> (ResultSeries, ResultSeries) {
        let points = randomPoints(&rng, count: count)
        let tags = Bool.random(using: &rng) ? [Tag("host", "a")] : []
        var timed = ResultSeries(name: "m", tags: tags, columns: ["time", "mean"], rows: .timed(points))
        var cells = ResultSeries(name: "m", tags: tags, columns: ["time", "mean"], values: points.map { [.time($0.time), $0.value] })
        if tz, let zone = ZoneDatabase.system.zone(named: "Europe/Berlin") {
            timed.zone = zone
            cells.zone = zone
        }
        return (timed, cells)
    }

    static func response(_ series: [ResultSeries]) -> QueryResponse {
        var result = StatementResult(statementID: 0, series: series)
        result.perSeries = true
        return QueryResponse(results: [result])
    }

    @Test func encodingsAreTheSameBytes() {
        var rng = Rng(state: 7)
        for round in 0..<120 {
            let (timed, cells) = Self.pair(&rng, count: [0, 1, 2, 7, 150, 600].randomElement(using: &rng)!, tz: round % 5 == 0)
            #expect(timed == cells)
            #expect(timed.hashValue == cells.hashValue)
            #expect(timed.rowCount == cells.rowCount)
            for epoch in [nil] + Epoch.allCases.map(Optional.some) {
                #expect(ResultWriter.json(Self.response([timed]), epoch: epoch, pretty: false)
                        == ResultWriter.json(Self.response([cells]), epoch: epoch, pretty: false))
                #expect(ResultWriter.csv(Self.response([timed]), epoch: epoch) == ResultWriter.csv(Self.response([cells]), epoch: epoch))
            }
            #expect(ResultWriter.json(Self.response([timed]), epoch: .ms, pretty: true)
                    == ResultWriter.json(Self.response([cells]), epoch: .ms, pretty: true))
            var a = MsgpackOutput(epoch: .ms), b = MsgpackOutput(epoch: .ms)
            a.response(Self.response([timed]))
            b.response(Self.response([cells]))
            #expect(a.bytes == b.bytes)
        }
    }

    @Test func assemblyCutsAndMergesTheSame() {
        var rng = Rng(state: 11)
        for _ in 0..<30 {
            var timed: [ResultSeries] = [], cells: [ResultSeries] = []
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let (t, c) = Self.pair(&rng, count: [0, 3, 9_999, 10_000, 10_001, 20_001].randomElement(using: &rng)!)
                timed.append(t)
                cells.append(c)
            }
            let limit = [0, 1, 5, 10_000, 12_345, 30_000].randomElement(using: &rng)!
            let x = ResponseAssembly.nonChunked(Self.response(timed), rowLimit: limit)
            let y = ResponseAssembly.nonChunked(Self.response(cells), rowLimit: limit)
            #expect(x == y)
            #expect(ResultWriter.json(x, epoch: .s, pretty: false) == ResultWriter.json(y, epoch: .s, pretty: false))
        }
    }

    @Test func changedRowsAreTheChangedCells() {
        var rng = Rng(state: 3)
        for _ in 0..<200 {
            var (timed, cells) = Self.pair(&rng, count: Int.random(in: 0...40, using: &rng))
            let n = timed.rowCount
            let lo = Int.random(in: 0...n, using: &rng), hi = Int.random(in: lo...n, using: &rng)
            #expect(timed.slice(lo..<hi) == cells.slice(lo..<hi))
            #expect(timed.slice(lo..<hi).values == Array(cells.values[lo..<hi]))
            #expect(timed.rows.reversed() == cells.rows.reversed())
            var joined = timed.rows
            joined.append(contentsOf: cells.rows)
            #expect(joined.cells == cells.values + cells.values)
            if case .timed(let points) = timed.rows {
                var twice = timed.rows
                twice.append(contentsOf: timed.rows)
                #expect(twice == .timed(points + points))
            }
            switch Int.random(in: 0..<3, using: &rng) {
            case 0:
                timed.values.reverse()
                cells.values.reverse()
            case 1:
                timed.values = Array(timed.values.dropFirst(lo))
                cells.values = Array(cells.values.dropFirst(lo))
            default:
                timed.values.append([.time(1), .null])
                cells.values.append([.time(1), .null])
            }
            #expect(timed == cells)
            #expect(timed.values == cells.values)
        }
    }
}
