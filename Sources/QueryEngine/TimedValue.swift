/// One point of an intermediate result stream: a time and a cell value.
struct TimedValue: Sendable, Hashable {
    var time: Int64
    var value: ResultValue

    init(_ time: Int64, _ value: ResultValue) {
        self.time = time
        self.value = value
    }
}
