/// Chooses the order in which rows are appended to a rowid table so its leaf pages fill.
///
/// SQLite appends a row with a new largest rowid to the table's last leaf page; when the row
/// does not fit, the page keeps its free space for good and the row starts a new page alone
/// (`balance_quick`). Chunk rows of one flush are 0.1–8 KiB in 16 KiB pages, so appending them
/// in seal order left about a tenth of the chunk table's pages empty. The packer keeps seal
/// order but, when the next row does not fit the last page, appends the largest of the next
/// few rows that does (picking the largest of the whole batch each time filled pages as well
/// but scattered neighbouring series over the batch's pages: a full scan ran 15 % slower).
/// The caller reports after each append whether a page was allocated, so the packer's idea of
/// the last page's free space follows the file (unknown until the first allocation it sees).
///
/// Pure: no SQLite here; `StoreDatabase.insertPacked` does the appends.
struct PagePacker {
    /// Bytes of a leaf page available to cells and their 2-byte pointers.
    let usable: Int
    /// Free bytes of the table's last leaf page, when known.
    private(set) var free: Int?

    init(pageSize: Int) {
        // A table leaf page's header is 8 bytes.
        usable = pageSize - 8
    }

    /// The order in which to append rows of the given cell sizes (bytes on the page, pointer
    /// included), as indices into `cells`. Rows keep their given order (seal order: series by
    /// series, so a scan reading neighbouring series finds their rows on the same pages) unless
    /// the next row does not fit the last page: then the largest of the next `lookahead` rows
    /// that fits goes first, and only when none fits does the next row start a page.
    /// `allocated(i, fits)` appends row `i` and answers whether the file got a new page for it;
    /// `fits` says the packer knows the row fits the last page (cell sizes are exact), so the
    /// answer is false without asking the file.
    mutating func append(cells: [Int], lookahead: Int = 32, _ allocated: (_ row: Int, _ fits: Bool) throws(SQLiteStoreError) -> Bool) throws(SQLiteStoreError) {
        var remaining = Array(cells.indices)
        var next = 0
        while next < remaining.count {
            var pick = next
            if let free, cells[remaining[next]] > free {
                // The largest row of the look-ahead window that fits, if any.
                var best: Int?
                for j in next..<min(remaining.count, next + max(1, lookahead)) where cells[remaining[j]] <= free {
                    if best == nil || cells[remaining[j]] > cells[remaining[best!]] { best = j }
                }
                if let best { pick = best }
            }
            // The rows passed over stay next in line, in their order (a shift within the window).
            let row = remaining[pick]
            if pick > next {
                for k in stride(from: pick, to: next, by: -1) { remaining[k] = remaining[k - 1] }
                remaining[next] = row
            }
            next += 1
            let fits = free.map { cells[row] <= $0 } ?? false
            let newPage = try allocated(row, fits) && !fits
            appended(cell: cells[row], newPage: newPage)
        }
    }

    /// Follows one append: a new page holds just this cell; otherwise the last page lost its bytes.
    mutating func appended(cell: Int, newPage: Bool) {
        if newPage {
            free = cell <= usable ? usable - cell : nil
        } else if let known = free {
            // A row that fitted where the estimate said it would not: the estimate is off;
            // the next allocation sets it again.
            free = known >= cell ? known - cell : nil
        }
    }

    /// Bytes a row of a rowid table takes on its leaf page: the cell (payload length, rowid,
    /// record) and its pointer. `columns` are the record's values in any order (sizes only);
    /// an INTEGER PRIMARY KEY is stored as NULL in the record and passed as `rowid`. A record
    /// too large for one page counts as a whole page (it spills to overflow pages).
    static func cellBytes(pageSize: Int, rowid: Int64, columns: [Column]) -> Int {
        var headerTypes = 0
        var body = 0
        for column in columns {
            let (type, bytes) = column.serial
            headerTypes += varintBytes(UInt64(type))
            body += bytes
        }
        // The header's own length varint counts itself.
        var header = headerTypes + 1
        if varintBytes(UInt64(header)) > 1 { header = headerTypes + varintBytes(UInt64(headerTypes + 2)) }
        let payload = header + body
        // Largest payload kept whole on a table leaf page.
        guard payload <= pageSize - 35 else { return pageSize - 8 }
        return varintBytes(UInt64(payload)) + varintBytes(UInt64(bitPattern: rowid)) + payload + 2
    }

    /// One value of a record, by what decides its size.
    enum Column {
        case null
        case integer(Int64)
        case blob(Int)

        /// SQLite's serial type and content bytes (file format 4: 0 and 1 take no bytes).
        var serial: (type: Int, bytes: Int) {
            switch self {
            case .null: return (0, 0)
            case .blob(let n): return (12 + 2 * n, n)
            case .integer(let v):
                switch v {
                case 0: return (8, 0)
                case 1: return (9, 0)
                case -128...127: return (1, 1)
                case -32_768...32_767: return (2, 2)
                case -8_388_608...8_388_607: return (3, 3)
                case -2_147_483_648...2_147_483_647: return (4, 4)
                case -140_737_488_355_328...140_737_488_355_327: return (5, 6)
                default: return (6, 8)
                }
            }
        }
    }

    /// Length of SQLite's big-endian varint for `value` (1–9 bytes).
    static func varintBytes(_ value: UInt64) -> Int {
        if value > 0x00FF_FFFF_FFFF_FFFF { return 9 }
        var n = 1
        var v = value >> 7
        while v != 0 {
            n += 1
            v >>= 7
        }
        return n
    }
}
