import TimeSeries

/// One series of a statement's answer: a name, its group tags, column names and rows.
public struct ResultSeries: Sendable, Hashable {
    public var name: String
    /// Group-by tags in key order; omitted from JSON when empty.
    public var tags: [Tag]
    public var columns: [String]
    /// The rows as the engine made them (see `ResultRows`).
    var rows: ResultRows
    public var partial: Bool
    /// The zone of the statement's `tz()`: RFC 3339 times are written in its local time.
    var zone: ZoneInfo?

    public init(name: String, tags: [Tag] = [], columns: [String], values: [[ResultValue]], partial: Bool = false) {
        self.init(name: name, tags: tags, columns: columns, rows: .cells(values), partial: partial)
    }

    init(name: String, tags: [Tag] = [], columns: [String], rows: ResultRows, partial: Bool = false) {
        self.name = name
        self.tags = tags
        self.columns = columns
        self.rows = rows
        self.partial = partial
    }

    /// The rows, one array of cells each. Reading them from a series of timed points builds
    /// the arrays (once per read); changing them keeps the series in rows of cells from then on.
    public var values: [[ResultValue]] {
        get { rows.cells }
        set { rows = .cells(newValue) }
        _modify {
            var cells = rows.cells
            // The storage lets go of its array first, so that the change is made in place.
            rows = .cells([])
            defer { rows = .cells(cells) }
            yield &cells
        }
    }

    /// The number of rows (without building any).
    public var rowCount: Int { rows.count }

    /// This series with rows `range` only.
    public func slice(_ range: Range<Int>) -> ResultSeries {
        var s = self
        s.rows = rows[range]
        return s
    }

    public static func == (a: ResultSeries, b: ResultSeries) -> Bool {
        a.name == b.name && a.tags == b.tags && a.columns == b.columns && a.partial == b.partial && a.zone == b.zone && a.rows == b.rows
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(tags)
        hasher.combine(columns)
        hasher.combine(partial)
        hasher.combine(zone)
        hasher.combine(rows.cells)
    }
}

/// The rows of a result series. An aggregate of one column (every panel's statement) makes a
/// stream of points, each a time and one value; kept as they are, its rows need no array of
/// cells each (an allocation, and the release of it, per row, a tenth of a host panel's cost).
enum ResultRows: Sendable, Equatable {
    /// Rows of cells, the time first where there is one.
    case cells([[ResultValue]])
    /// One row per point: `[.time(time), value]`.
    case timed([TimedValue])

    var count: Int {
        switch self {
        case .cells(let c): c.count
        case .timed(let t): t.count
        }
    }

    var isEmpty: Bool { count == 0 }

    var cells: [[ResultValue]] {
        switch self {
        case .cells(let c): c
        case .timed(let t): t.map { [.time($0.time), $0.value] }
        }
    }

    /// Rows `range`.
    subscript(range: Range<Int>) -> ResultRows {
        switch self {
        case .cells(let c): .cells(Array(c[range]))
        case .timed(let t): .timed(Array(t[range]))
        }
    }

    /// Appends `other`'s rows, in place (response assembly joins a long series' pieces one after
    /// another: a new array for each would copy the rows so far every time).
    mutating func append(contentsOf other: ResultRows) {
        if case .timed(var points) = self, case .timed(let more) = other {
            self = .cells([])  // lets go of the array, so the append below does not copy it
            points += more
            self = .timed(points)
        } else {
            var rows = cells
            self = .cells([])
            rows += other.cells
            self = .cells(rows)
        }
    }

    /// The rows in reverse order.
    func reversed() -> ResultRows {
        switch self {
        case .cells(let c): .cells(c.reversed())
        case .timed(let t): .timed(t.reversed())
        }
    }

    static func == (a: ResultRows, b: ResultRows) -> Bool {
        switch (a, b) {
        case (.cells(let x), .cells(let y)): x == y
        case (.timed(let x), .timed(let y)): x == y
        default: a.count == b.count && a.cells == b.cells
        }
    }
}
