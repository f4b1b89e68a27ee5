extension Array {
    /// `count` copies of `value`, as `Array(repeating:count:)` makes them. That initializer is
    /// only partly specialized in this toolchain: each call looked up the array storage's type
    /// metadata at run time (about 500 instructions, nine times in a host panel's request);
    /// reserving and appending stays in specialized code.
    @inlinable @inline(__always)
    public init(filled value: Element, count: Int) {
        self.init()
        reserveCapacity(count)
        for _ in 0..<count { append(value) }
    }
}
