/// Gives the pages a large query freed back to the system. glibc keeps freed memory in its
/// arenas (one per thread that allocated, and the parallel scans run on several): after a count
/// over 510 000 series the server's resident memory stayed about 300 MiB above what its data
/// needs. `malloc_trim` returns every free page of every arena; it walks the free lists, so it
/// runs only after queries that read at least `minimumPoints` or `minimumSeries` (a few
/// milliseconds against the hundreds such a query takes).
enum HeapTrim {
    static let minimumPoints = 1_000_000
    static let minimumSeries = 20_000

    static func afterQuery(points: Int, series: Int) {
        guard points >= minimumPoints || series >= minimumSeries else { return }
        #if os(Linux)
        _ = glibcMallocTrim(0)
        #endif
    }
}

#if os(Linux)
/// glibc's `int malloc_trim(size_t pad)`, which the Glibc module does not export.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
