/// A non-chunked answer as InfluxDB 1.6.7's HTTP handler assembles it: SELECT answers arrive
/// from the emitter one series (at most 10 000 rows) at a time, marked partial while more
/// follow; the handler merges pieces of one statement back together, cuts the answer at
/// `max-row-limit` rows (marking the cut series partial, dropping later series and later
/// statements) and keeps the flags that merging leaves behind. Measured against influxd:
/// a series over 10 000 rows stays `"partial":true` although complete.
public enum ResponseAssembly {
    /// InfluxDB's `DefaultChunkSize`, the emitter's piece size when the request is not chunked.
    public static let emitterChunk = 10_000

    public static func nonChunked(_ response: QueryResponse, rowLimit: Int) -> QueryResponse {
        uncut(response, rowLimit: rowLimit) ?? merged(response, rowLimit: rowLimit)
    }

    /// Splits each statement into the emitter's pieces and merges them as the handler does.
    static func merged(_ response: QueryResponse, rowLimit: Int) -> QueryResponse {
        var out: [StatementResult] = []
        var rows = 0
        for result in response.results {
            for var piece in pieces(of: result) {
                if rowLimit > 0 {
                    for i in piece.series.indices {
                        let room = rowLimit - rows
                        if room < piece.series[i].rowCount {
                            piece.series[i].rows = piece.series[i].rows[0..<room]
                            piece.series[i].partial = true
                        }
                        rows += piece.series[i].rowCount
                        if rows >= rowLimit {
                            piece.series.removeLast(piece.series.count - i - 1)
                            break
                        }
                    }
                }
                var appended = false
                if out.last?.statementID == piece.statementID, !out.isEmpty {
                    // Taken out of `out` while it grows, so its series list is not shared and
                    // appending stays linear (a copy per piece was quadratic in the series).
                    var current = out.removeLast()
                    if piece.error != nil {
                        current = piece
                    } else {
                        var rest = piece.series[...]
                        if let tail = current.series.last, let first = rest.first, tail.name == first.name, tail.tags == first.tags {
                            current.series[current.series.count - 1].rows.append(contentsOf: first.rows)
                            rest = rest.dropFirst()
                        }
                        current.series += rest
                        if let messages = piece.messages { current.messages = (current.messages ?? []) + messages }
                        current.partial = piece.partial
                    }
                    out.append(current)
                } else {
                    out.append(piece)
                    appended = true
                }
                if rowLimit > 0 && rows >= rowLimit {
                    // The handler clears the flag of the piece it stops at; one merged into an
                    // earlier piece has already passed its flag on.
                    if appended { out[out.count - 1].partial = false }
                    return QueryResponse(results: out)
                }
            }
        }
        return QueryResponse(results: out)
    }

    /// The answer as splitting into pieces and merging them back leaves it when nothing is cut
    /// (no series above one emitter piece, fewer rows than the limit, no neighbouring series or
    /// statements that merging would join): the same results with the flags merging resets.
    /// Nil otherwise. A fleet panel's thousands of short series then skip a copy per series.
    static func uncut(_ response: QueryResponse, rowLimit: Int) -> QueryResponse? {
        var rows = 0
        var previousID: Int?
        for result in response.results {
            if previousID == result.statementID { return nil }
            previousID = result.statementID
            let splits = result.perSeries && result.error == nil
            for (i, series) in result.series.enumerated() {
                rows += series.rowCount
                guard splits else { continue }
                if series.rowCount > emitterChunk { return nil }
                if i > 0, result.series[i - 1].name == series.name, result.series[i - 1].tags == series.tags { return nil }
            }
        }
        if rowLimit > 0 && rows >= rowLimit { return nil }
        var out = response
        for r in out.results.indices where out.results[r].perSeries && out.results[r].error == nil && !out.results[r].series.isEmpty {
            if out.results[r].partial { out.results[r].partial = false }
            for i in out.results[r].series.indices where out.results[r].series[i].partial {
                out.results[r].series[i].partial = false
            }
        }
        return out
    }

    /// The results the engine would have handed over for one statement.
    static func pieces(of result: StatementResult) -> [StatementResult] {
        guard result.perSeries, result.error == nil, !result.series.isEmpty else { return [result] }
        var out: [StatementResult] = []
        for (k, series) in result.series.enumerated() {
            var start = 0
            repeat {
                let end = min(start + emitterChunk, series.rowCount)
                var piece = series
                piece.rows = series.rows[start..<end]
                let more = end < series.rowCount
                piece.partial = more
                var r = result
                r.series = [piece]
                r.partial = more || k < result.series.count - 1
                r.messages = out.isEmpty ? result.messages : nil
                out.append(r)
                start = end
            } while start < series.rowCount
        }
        return out
    }
}
