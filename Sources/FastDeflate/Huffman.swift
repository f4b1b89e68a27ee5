/// Length-limited canonical Huffman codes for DEFLATE.
///
/// Lengths come from an ordinary Huffman tree (two-queue construction over the
/// symbols sorted by frequency), then, if the tree is deeper than the limit,
/// the per-length counts are repaired so the Kraft sum fits again; finally the
/// lengths are handed out by frequency (shortest to the most frequent).
/// The result is always a complete prefix code (Kraft sum exactly 1) with every
/// used symbol coded and no length above the limit.
enum Huffman {
    /// Number of `UInt32` scratch slots `buildLengths` needs for `n` symbols.
    static func scratchSize(_ n: Int) -> Int { 6 * n + 300 }

    /// Fills `lengths[0..<n]` with code lengths (0 = unused) for `freqs[0..<n]`,
    /// none longer than `limit`. `n` must be at most 512 and every frequency below 2^23.
    /// With fewer than two used symbols, two symbols get length 1 (the used one, if any,
    /// plus a dummy) so that every decoder accepts the code.
    /// `counts[0...15]` receives the number of codes of each length (for `buildCodes`).
    static func buildLengths(
        freqs: UnsafePointer<UInt32>, count n: Int, limit: Int,
        lengths: UnsafeMutablePointer<UInt8>, counts: UnsafeMutablePointer<UInt32>,
        scratch: UnsafeMutablePointer<UInt32>
    ) {
        counts.update(repeating: 0, count: 16)
        // keys: (freq << 9 | symbol), sorted ascending, so ties break by symbol.
        let keys = scratch
        var m = 0
        for s in 0..<n {
            lengths[s] = 0
            let f = freqs[s]
            if f != 0 {
                keys[m] = (f &<< 9) | UInt32(truncatingIfNeeded: s)
                m &+= 1
            }
        }
        if m < 2 {
            let a = m == 1 ? Int(keys[0] & 511) : 0
            lengths[a] = 1
            lengths[a == 0 ? 1 : 0] = 1
            counts[1] = 2
            return
        }
        // Sorting and merging below avoid data-dependent branches where they can: with
        // ~100 symbols, mispredicted comparisons cost more than the work itself.
        if m <= 24 {
            sortKeys(keys, m)
        } else {
            radixSortKeys(keys, m, tmp: scratch + (5 &* n &+ 35), buckets: scratch + (6 &* n &+ 35))
        }

        // Two-queue Huffman: leaves (sorted) and internal nodes, which are created in
        // non-decreasing weight order, so the two smallest available nodes are always
        // at the front of one of the two queues. A weight of UInt32.max past the end of
        // each queue lets the choice be a plain comparison.
        let leafW = scratch + (n &+ 1)           // m leaf weights + sentinel
        let nodeW = scratch + (2 &* n &+ 2)      // m - 1 internal node weights + sentinel
        let parent = scratch + (3 &* n &+ 3)     // leaves 0..<m, internal nodes m..<2m-1
        for i in 0..<m { leafW[i] = keys[i] &>> 9 }
        leafW[m] = .max
        var leaf = 0
        var node = 0
        for j in 0..<(m &- 1) {
            nodeW[j] = .max
            let la = leafW[leaf], na = nodeW[node]
            let ta = la <= na  // take the leaf (ties: leaf first)
            let wa = ta ? la : na
            let ia = ta ? leaf : m &+ node
            leaf &+= ta ? 1 : 0
            node &+= ta ? 0 : 1
            let lb = leafW[leaf], nb = nodeW[node]
            let tb = lb <= nb
            let wb = tb ? lb : nb
            let ib = tb ? leaf : m &+ node
            leaf &+= tb ? 1 : 0
            node &+= tb ? 0 : 1
            nodeW[j] = wa &+ wb
            parent[ia] = UInt32(truncatingIfNeeded: m &+ j)
            parent[ib] = UInt32(truncatingIfNeeded: m &+ j)
        }
        let last = 2 &* m &- 2
        // Depths, top-down; parents have larger indices, so `parent` is rewritten in place.
        parent[last] = 0
        var i = last &- 1
        while i >= 0 {
            parent[i] = parent[Int(parent[i])] &+ 1
            i &-= 1
        }

        // Count codes per length, clamping over-long ones to the limit.
        let blCount = scratch + (5 &* n &+ 3) // 32 slots
        for l in 0...limit { blCount[l] = 0 }
        var overflow = false
        for j in 0..<m {
            var d = Int(parent[j])
            if d > limit { d = limit; overflow = true }
            blCount[d] &+= 1
        }
        if overflow { fixCounts(blCount, limit: limit) }

        // Hand out lengths: least frequent symbols (front of `keys`) get the longest codes.
        var k = 0
        var l = limit
        while l >= 1 {
            counts[l] = blCount[l]
            var c = blCount[l]
            while c > 0 {
                lengths[Int(keys[k] & 511)] = UInt8(truncatingIfNeeded: l)
                k &+= 1
                c &-= 1
            }
            l &-= 1
        }
    }

    /// Stable LSD radix sort of `keys` by their frequency field (`key >> 9`), 8 bits per
    /// pass, as many passes as the largest frequency needs; keys arrive in symbol
    /// order, so ties stay in symbol order (same result as sorting the whole key).
    static func radixSortKeys(
        _ keys: UnsafeMutablePointer<UInt32>, _ m: Int,
        tmp: UnsafeMutablePointer<UInt32>, buckets: UnsafeMutablePointer<UInt32>
    ) {
        var maxKey: UInt32 = 0
        for i in 0..<m { maxKey = max(maxKey, keys[i]) }
        var src = keys
        var dst = tmp
        var shift: UInt32 = 9
        while shift < 32 && (maxKey &>> shift) != 0 {
            buckets.update(repeating: 0, count: 256)
            for i in 0..<m { buckets[Int((src[i] &>> shift) & 0xFF)] &+= 1 }
            var sum: UInt32 = 0
            for b in 0..<256 {
                let c = buckets[b]
                buckets[b] = sum
                sum &+= c
            }
            for i in 0..<m {
                let k = src[i]
                let b = Int((k &>> shift) & 0xFF)
                dst[Int(buckets[b])] = k
                buckets[b] &+= 1
            }
            swap(&src, &dst)
            shift &+= 8
        }
        if src != keys { keys.update(from: src, count: m) }
    }

    /// Sorts distinct keys ascending in place without allocating (the standard library's
    /// sort may allocate a merge buffer): quicksort with median-of-three pivots,
    /// insertion sort below 16 elements.
    static func sortKeys(_ a: UnsafeMutablePointer<UInt32>, _ n: Int) {
        var lo = 0
        var hi = n &- 1
        while hi &- lo >= 16 {
            let mid = lo &+ (hi &- lo) / 2
            if a[mid] < a[lo] { swapAt(a, mid, lo) }
            if a[hi] < a[lo] { swapAt(a, hi, lo) }
            if a[hi] < a[mid] { swapAt(a, hi, mid) }
            let pivot = a[mid]
            var i = lo
            var j = hi
            while i <= j {
                while a[i] < pivot { i &+= 1 }
                while a[j] > pivot { j &-= 1 }
                if i <= j {
                    swapAt(a, i, j)
                    i &+= 1
                    j &-= 1
                }
            }
            // Recurse into the smaller part, loop on the larger (bounded stack depth).
            if j &- lo < hi &- i {
                sortKeys(a + lo, j &- lo &+ 1)
                lo = i
            } else {
                sortKeys(a + i, hi &- i &+ 1)
                hi = j
            }
        }
        var k = lo &+ 1
        while k <= hi {
            let v = a[k]
            var j = k &- 1
            while j >= lo && a[j] > v {
                a[j &+ 1] = a[j]
                j &-= 1
            }
            a[j &+ 1] = v
            k &+= 1
        }
    }

    @inline(__always)
    static func swapAt(_ a: UnsafeMutablePointer<UInt32>, _ i: Int, _ j: Int) {
        let t = a[i]
        a[i] = a[j]
        a[j] = t
    }

    /// Repairs per-length counts after clamping so that the Kraft sum
    /// (in units of 2^-limit) is exactly 2^limit.
    /// First, while over-subscribed, lengthen one of the longest codes shorter than
    /// the limit (the cheapest reduction). Then, while under-subscribed, shorten
    /// codes starting from the longest length, which always ends complete when at
    /// least two codes exist (see the invariant in the loop).
    static func fixCounts(_ blCount: UnsafeMutablePointer<UInt32>, limit: Int) {
        let full = 1 &<< limit
        var kraft = 0
        for l in 1...limit { kraft &+= Int(blCount[l]) &<< (limit &- l) }
        while kraft > full {
            var l = limit &- 1
            while blCount[l] == 0 { l &-= 1 }  // some code is shorter than `limit`, else kraft <= n <= full
            blCount[l] &-= 1
            blCount[l &+ 1] &+= 1
            kraft &-= 1 &<< (limit &- l &- 1)
        }
        // Invariant: after processing length l, all remaining codes are at most l-1 long
        // or the deficit is zero, so the deficit is a multiple of the next step.
        var l = limit
        while l >= 2 && kraft < full {
            let step = 1 &<< (limit &- l)
            while blCount[l] > 0 && kraft &+ step <= full {
                blCount[l] &-= 1
                blCount[l &- 1] &+= 1
                kraft &+= step
            }
            l &-= 1
        }
    }

    /// Assigns canonical codes (RFC 1951, 3.2.2) to `lengths[0..<n]` and stores them
    /// bit-reversed, since DEFLATE sends Huffman codes most-significant bit first while
    /// our bit buffer fills from the least-significant end.
    /// Entry layout: code in bits 0..<24, length in bits 24..<32.
    static func buildCodes(
        lengths: UnsafePointer<UInt8>, count n: Int, counts: UnsafePointer<UInt32>,
        codes: UnsafeMutablePointer<UInt32>, reverse8: UnsafePointer<UInt8>
    ) {
        var next: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32,
                   UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &next) { raw in
            let nextCode = raw.baseAddress!.assumingMemoryBound(to: UInt32.self)
            var code: UInt32 = 0
            for l in 1..<16 {
                code = (code &+ counts[l &- 1]) &<< 1
                nextCode[l] = code
            }
            nextCode[0] = 0
            // Entries of unused symbols are left as they are: they are never read.
            for s in 0..<n {
                let l = Int(lengths[s])
                if l == 0 { continue }
                let c = nextCode[l]
                nextCode[l] = c &+ 1
                let r = (UInt32(reverse8[Int(c & 0xFF)]) &<< 8 | UInt32(reverse8[Int((c &>> 8) & 0xFF)]))
                    &>> UInt32(16 &- l)
                codes[s] = r | UInt32(truncatingIfNeeded: l) &<< 24
            }
        }
    }
}
