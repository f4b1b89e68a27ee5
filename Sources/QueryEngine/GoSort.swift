/// Go 1.19's `sort.Sort` (pattern-defeating quicksort), reproduced step for step.
///
/// InfluxDB picks among equal values by whatever order this unstable sort leaves them in
/// (`mode()` ties, the point `percentile()` returns), so matching its answers means
/// sorting exactly as it does.
enum GoSort {
    static func sort<T>(_ data: inout [T], by less: @escaping (T, T) -> Bool) {
        let n = data.count
        guard n > 1 else { return }
        var s = Sorter<T>(data: data, less: less)
        s.pdqsort(0, n, Int.bitWidth - n.leadingZeroBitCount)
        data = s.data
    }

    private struct Sorter<T> {
        var data: [T]
        let less: (T, T) -> Bool

        init(data: [T], less: @escaping (T, T) -> Bool) {
            self.data = data
            self.less = less
        }

        func lt(_ i: Int, _ j: Int) -> Bool { less(data[i], data[j]) }
        mutating func swap(_ i: Int, _ j: Int) { data.swapAt(i, j) }

        mutating func insertionSort(_ a: Int, _ b: Int) {
            var i = a + 1
            while i < b {
                var j = i
                while j > a && lt(j, j - 1) {
                    swap(j, j - 1)
                    j -= 1
                }
                i += 1
            }
        }

        mutating func siftDown(_ lo: Int, _ hi: Int, _ first: Int) {
            var root = lo
            while true {
                var child = 2 * root + 1
                if child >= hi { return }
                if child + 1 < hi && lt(first + child, first + child + 1) { child += 1 }
                if !lt(first + root, first + child) { return }
                swap(first + root, first + child)
                root = child
            }
        }

        mutating func heapSort(_ a: Int, _ b: Int) {
            let hi = b - a
            var i = (hi - 1) / 2
            while i >= 0 {
                siftDown(i, hi, a)
                i -= 1
            }
            i = hi - 1
            while i >= 0 {
                swap(a, a + i)
                siftDown(0, i, a)
                i -= 1
            }
        }

        enum Hint { case unknown, increasing, decreasing }

        mutating func pdqsort(_ a0: Int, _ b0: Int, _ limit0: Int) {
            var a = a0, b = b0, limit = limit0
            var wasBalanced = true, wasPartitioned = true
            while true {
                let length = b - a
                if length <= 12 {
                    insertionSort(a, b)
                    return
                }
                if limit == 0 {
                    heapSort(a, b)
                    return
                }
                if !wasBalanced {
                    breakPatterns(a, b)
                    limit -= 1
                }
                var (pivot, hint) = choosePivot(a, b)
                if hint == .decreasing {
                    reverseRange(a, b)
                    pivot = (b - 1) - (pivot - a)
                    hint = .increasing
                }
                if wasBalanced && wasPartitioned && hint == .increasing {
                    if partialInsertionSort(a, b) { return }
                }
                if a > 0 && !lt(a - 1, pivot) {
                    a = partitionEqual(a, b, pivot)
                    continue
                }
                let (mid, already) = partition(a, b, pivot)
                wasPartitioned = already
                let leftLen = mid - a, rightLen = b - mid
                let threshold = length / 8
                if leftLen < rightLen {
                    wasBalanced = leftLen >= threshold
                    pdqsort(a, mid, limit)
                    a = mid + 1
                } else {
                    wasBalanced = rightLen >= threshold
                    pdqsort(mid + 1, b, limit)
                    b = mid
                }
            }
        }

        mutating func partition(_ a: Int, _ b: Int, _ pivot: Int) -> (Int, Bool) {
            swap(a, pivot)
            var i = a + 1, j = b - 1
            while i <= j && lt(i, a) { i += 1 }
            while i <= j && !lt(j, a) { j -= 1 }
            if i > j {
                swap(j, a)
                return (j, true)
            }
            swap(i, j)
            i += 1
            j -= 1
            while true {
                while i <= j && lt(i, a) { i += 1 }
                while i <= j && !lt(j, a) { j -= 1 }
                if i > j { break }
                swap(i, j)
                i += 1
                j -= 1
            }
            swap(j, a)
            return (j, false)
        }

        mutating func partitionEqual(_ a: Int, _ b: Int, _ pivot: Int) -> Int {
            swap(a, pivot)
            var i = a + 1, j = b - 1
            while true {
                while i <= j && !lt(a, i) { i += 1 }
                while i <= j && lt(a, j) { j -= 1 }
                if i > j { break }
                swap(i, j)
                i += 1
                j -= 1
            }
            return i
        }

        mutating func partialInsertionSort(_ a: Int, _ b: Int) -> Bool {
            var i = a + 1
            for _ in 0..<5 {
                while i < b && !lt(i, i - 1) { i += 1 }
                if i == b { return true }
                if b - a < 50 { return false }
                swap(i, i - 1)
                if i - a >= 2 {
                    var j = i - 1
                    while j >= 1 {
                        if !lt(j, j - 1) { break }
                        swap(j, j - 1)
                        j -= 1
                    }
                }
                if b - i >= 2 {
                    var j = i + 1
                    while j < b {
                        if !lt(j, j - 1) { break }
                        swap(j, j - 1)
                        j += 1
                    }
                }
            }
            return false
        }

        mutating func breakPatterns(_ a: Int, _ b: Int) {
            let length = b - a
            guard length >= 8 else { return }
            var random = UInt64(length)
            let modulus = UInt64(1) << UInt64(Int.bitWidth - length.leadingZeroBitCount)
            var idx = a + (length / 4) * 2 - 1
            while idx <= a + (length / 4) * 2 + 1 {
                random ^= random << 13
                random ^= random >> 7
                random ^= random << 17
                var other = Int(random & (modulus - 1))
                if other >= length { other -= length }
                swap(idx, a + other)
                idx += 1
            }
        }

        func choosePivot(_ a: Int, _ b: Int) -> (Int, Hint) {
            let l = b - a
            var swaps = 0
            var i = a + l / 4 * 1
            var j = a + l / 4 * 2
            var k = a + l / 4 * 3
            if l >= 8 {
                if l >= 50 {
                    i = median(i - 1, i, i + 1, &swaps)
                    j = median(j - 1, j, j + 1, &swaps)
                    k = median(k - 1, k, k + 1, &swaps)
                }
                j = median(i, j, k, &swaps)
            }
            switch swaps {
            case 0: return (j, .increasing)
            case 12: return (j, .decreasing)
            default: return (j, .unknown)
            }
        }

        func median(_ a0: Int, _ b0: Int, _ c0: Int, _ swaps: inout Int) -> Int {
            var a = a0, b = b0, c = c0
            if lt(b, a) { swaps += 1; (a, b) = (b, a) }
            if lt(c, b) { swaps += 1; (b, c) = (c, b) }
            if lt(b, a) { swaps += 1; (a, b) = (b, a) }
            _ = a
            _ = c
            return b
        }

        mutating func reverseRange(_ a: Int, _ b: Int) {
            var i = a, j = b - 1
            while i < j {
                swap(i, j)
                i += 1
                j -= 1
            }
        }
    }
}
