/// The heads of a database by slot, in segments of 1 024.
///
/// A head is a few hundred bytes held inline, and one contiguous array of them grows by doubling:
/// at 100 000 series fields it held 131 072 slots (about 12 MB never used), and each growth
/// copied the whole array while the old one was still alive. Segments are allocated at their
/// full size once and never move, so the table grows by one segment at a time and holds at most
/// 1 023 unused slots.
struct HeadTable: RandomAccessCollection, MutableCollection {
    static let shift = 10
    static let segmentSize = 1 << shift

    private var segments: [[HeadSeries]] = []
    private(set) var count = 0

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    /// Out-of-range slots trap in the segment arrays' own bounds checks.
    subscript(slot: Int) -> HeadSeries {
        get { segments[slot &>> Self.shift][slot & (Self.segmentSize - 1)] }
        _modify { yield &segments[slot &>> Self.shift][slot & (Self.segmentSize - 1)] }
    }

    /// Runs `body` on the head in `slot`, in place (one access for several changes).
    @inline(__always)
    mutating func modify<R>(_ slot: Int, _ body: (inout HeadSeries) throws -> R) rethrows -> R {
        try body(&self[slot])
    }

    mutating func append(_ head: HeadSeries) {
        if count & (Self.segmentSize - 1) == 0 {
            var segment: [HeadSeries] = []
            segment.reserveCapacity(Self.segmentSize)
            segments.append(segment)
        }
        segments[count &>> Self.shift].append(head)
        count += 1
    }
}
