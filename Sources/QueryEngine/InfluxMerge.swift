import TimeSeries

/// A point InfluxDB 1.6.7's sorted merge orders: by time, then by its auxiliary values.
protocol MergeRow {
    var time: Int64 { get }
    /// The values of the fields and tags a raw row reads, sorted by name (InfluxDB's aux
    /// fields, which break ties between series); none for a bare field's points.
    var aux: [ResultValue] { get }
}

extension RawRow: MergeRow {}

extension Sample: MergeRow {
    var aux: [ResultValue] { [] }
}

enum InfluxMerge {
    /// InfluxDB 1.6.7's sorted merge of per-series (or per-shard) iterators: Go's
    /// `container/heap` (not stable) over the streams' next points, ordered by time, then by
    /// the string aux values in order until one that is not a string on both sides (equal
    /// then). Streams are ascending; with `descending` they are walked from the end and the
    /// result is newest first.
    static func merge<Row: MergeRow>(_ streams: [[Row]], descending: Bool) -> [Row] {
        var next = streams.map { descending ? $0.count - 1 : 0 }
        var heap = InfluxHeap<Row>(descending: descending)
        for (i, s) in streams.enumerated() where !s.isEmpty { heap.heads.append((i, s[next[i]])) }
        heap.heapify()
        var out: [Row] = []
        out.reserveCapacity(streams.reduce(0) { $0 + $1.count })
        while let (i, row) = heap.pop() {
            out.append(row)
            next[i] += descending ? -1 : 1
            if next[i] >= 0 && next[i] < streams[i].count { heap.push(i, streams[i][next[i]]) }
        }
        return out
    }
}

/// Go's `container/heap` as InfluxDB 1.6.7's sorted merge uses it: the streams' next rows,
/// ordered by time, then by the string aux values in order until one that is not a string on
/// both sides (equal then). Not stable: which of two tied rows comes first depends on the
/// heap's history, so every merge goes through these same operations.
struct InfluxHeap<Row: MergeRow> {
    let descending: Bool
    var heads: [(source: Int, row: Row)] = []

    init(descending: Bool) {
        self.descending = descending
    }

    /// Orders the rows appended to `heads` (Go's `heap.Init`).
    mutating func heapify() {
        let n = heads.count
        if n > 1 { for i in stride(from: n / 2 - 1, through: 0, by: -1) { down(i, n) } }
    }

    /// The first row and its source (Go's `heap.Pop`).
    mutating func pop() -> (source: Int, row: Row)? {
        let n = heads.count
        guard n > 0 else { return nil }
        heads.swapAt(0, n - 1)
        down(0, n - 1)
        return heads.removeLast()
    }

    /// A source's next row (Go's `heap.Push`).
    mutating func push(_ source: Int, _ row: Row) {
        heads.append((source, row))
        up(heads.count - 1)
    }

    private func less(_ a: Int, _ b: Int) -> Bool {
        // Times are read in place; only a tie reads the aux values.
        let ta = heads[a].row.time, tb = heads[b].row.time
        if ta != tb { return descending ? ta > tb : ta < tb }
        for (u, v) in zip(heads[a].row.aux, heads[b].row.aux) {
            guard case .string(let s1) = u, case .string(let s2) = v else { return false }
            if s1 == s2 { continue }
            return descending ? s1 > s2 : s1 < s2
        }
        return false
    }

    private mutating func down(_ i0: Int, _ n: Int) {
        var i = i0
        while true {
            let j1 = 2 * i + 1
            if j1 >= n { break }
            var j = j1
            if j1 + 1 < n && less(j1 + 1, j1) { j = j1 + 1 }
            if !less(j, i) { break }
            heads.swapAt(i, j)
            i = j
        }
    }

    private mutating func up(_ j0: Int) {
        var j = j0
        while j > 0 {
            let i = (j - 1) / 2
            if !less(j, i) { break }
            heads.swapAt(i, j)
            j = i
        }
    }
}
