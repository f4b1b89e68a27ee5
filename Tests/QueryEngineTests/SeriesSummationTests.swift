import Testing
import QueryEngine
import TimeSeries

/// Float sums and means over several series, bit for bit as InfluxDB 1.6.7 reduces them: it
/// pushes sum and mean down to each series and then reduces the series' results in order (last
/// to first under ORDER BY time DESC), a mean as its value times its point count. Adding a
/// group's points one by one rounds differently. An integer field's mean is each series' exact
/// int64 sum over its count, reduced again so. Each answer recorded from influxd 1.6.7.
@Suite struct SeriesSummationTests {
    /// Three hosts, a point every 10 s for 3 minutes, random values in ±1000.
    static let points: [(String, Int64, Double)] = [
        ("a", 0, -95.24089298036279),
        ("a", 10, 119.5447721609919),
        ("a", 20, 848.4211680474587),
        ("a", 30, -68.6998598004534),
        ("a", 40, 15.682546124542228),
        ("a", 50, 174.76965769979392),
        ("a", 60, -630.6793122902468),
        ("a", 70, 23.817278083610972),
        ("a", 80, 259.76544043360377),
        ("a", 90, 585.9537450399052),
        ("a", 100, -811.753087541563),
        ("a", 110, -393.197474750949),
        ("a", 120, -818.6589250163212),
        ("a", 130, 619.2890687343552),
        ("a", 140, 386.87696508247814),
        ("a", 150, -916.239327260308),
        ("a", 160, 964.3868415975564),
        ("a", 170, 929.5155622511336),
        ("b", 0, 307.84506706768093),
        ("b", 10, 231.12540915714158),
        ("b", 20, -685.011809719675),
        ("b", 30, -969.9985261007902),
        ("b", 40, 56.76253234095748),
        ("b", 50, -880.89778966229),
        ("b", 60, -619.5834744041417),
        ("b", 70, -516.1139726695706),
        ("b", 80, -939.8348215504228),
        ("b", 90, -72.13107755343094),
        ("b", 100, -118.93776668668647),
        ("b", 110, 684.8542570370639),
        ("b", 120, 38.24822952815339),
        ("b", 130, 280.5834158383543),
        ("b", 140, -0.45369558641675667),
        ("b", 150, 324.89906378073624),
        ("b", 160, -85.34023680088467),
        ("b", 170, -443.67420067222827),
        ("c", 0, 995.3124009261687),
        ("c", 10, 991.3832833123984),
        ("c", 20, 680.4310989857236),
        ("c", 30, 415.61924299589896),
        ("c", 40, -369.44556596890027),
        ("c", 50, -540.6681967841889),
        ("c", 60, -421.9201053715957),
        ("c", 70, -859.5530008801481),
        ("c", 80, 532.5757728208141),
        ("c", 90, -199.20039016301791),
        ("c", 100, 693.1672437623572),
        ("c", 110, -226.972936588131),
        ("c", 120, 916.0847666396271),
        ("c", 130, 694.6195466056088),
        ("c", 140, -998.910125888859),
        ("c", 150, -580.5651705407777),
        ("c", 160, 820.543856208363),
        ("c", 170, -60.025447972667166),
    ]

    static func run(_ q: String) throws -> String {
        let store = MemoryStore()
        var written = points.map { host, t, v in
            Point(measurement: "sm", tags: [Tag("host", host)], fields: [Field("f", .float(v))], time: t * 1_000_000_000)
        }
        // Orders that show which way a sum went: 1e16 + 1 is 1e16, but 1 + 1 + 1e16 − 1e16 is 2.
        for (m, host, t, v) in [("ord", "a", 1, 1e16), ("ord", "b", 2, 1.0), ("ord", "c", 3, -1e16), ("ord", "a", 4, 1.0),
                                ("tie", "a", 1, 1e16), ("tie", "b", 1, 1.0), ("tie", "a", 2, -1e16), ("tie", "b", 2, 1.0)] {
            written.append(Point(measurement: m, tags: [Tag("host", host)], fields: [Field("v", .float(v))], time: Int64(t) * 1_000_000_000))
        }
        // Integers whose per-series means, reduced again as floats, round away from the plain mean.
        let integers: [[Int64]] = [[-202583, 667849, -832435, 188527, -625541, -909904, -217187], [267591, 363717, 641276, 135238, -202528],
                                   [680156, -908902, 306371, 859202, -94883, -888716, -218979]]
        for (host, run) in zip(["a", "b", "c"], integers) {
            for (k, v) in run.enumerated() {
                written.append(Point(measurement: "im", tags: [Tag("host", host)], fields: [Field("i", .integer(v))], time: Int64(k) * 5_000_000_000))
            }
        }
        try store.write(written, database: "db")
        let r = QueryExecutor(store: store).execute(q, options: QueryOptions(database: "db", now: 0))
        return String(decoding: ResultWriter.json(r, epoch: .s, pretty: false), as: UTF8.self)
    }

    @Test(arguments: [
        ("SELECT sum(f) FROM sm", #"{"results":[{"statement_id":0,"series":[{"name":"sm","columns":["time","sum"],"values":[[0,268.3710410574495]]}]}]}"#),
        ("SELECT mean(f) FROM sm", #"{"results":[{"statement_id":0,"series":[{"name":"sm","columns":["time","mean"],"values":[[0,4.9698340936564716]]}]}]}"#),
        ("SELECT sum(f) FROM sm ORDER BY time DESC", #"{"results":[{"statement_id":0,"series":[{"name":"sm","columns":["time","sum"],"values":[[0,268.3710410574506]]}]}]}"#),
        ("SELECT mean(f) FROM sm WHERE time >= 0 AND time < 3m GROUP BY time(1m)", #"{"results":[{"statement_id":0,"series":[{"name":"sm","columns":["time","mean"],"values":[[0,68.1630298778942],[60,-168.31909351514162],[120,115.06556591821683]]}]}]}"#),
        ("SELECT sum(f) FROM sm WHERE time >= 0 AND time < 3m GROUP BY time(1m)", #"{"results":[{"statement_id":0,"series":[{"name":"sm","columns":["time","sum"],"values":[[0,1226.9345378020957],[60,-3029.7436832725493],[120,2071.1801865279035]]}]}]}"#),
        ("SELECT mean(f) FROM sm WHERE time >= 0 AND time < 3m GROUP BY time(1m) ORDER BY time DESC", #"{"results":[{"statement_id":0,"series":[{"name":"sm","columns":["time","mean"],"values":[[120,115.06556591821686],[60,-168.31909351514162],[0,68.1630298778942]]}]}]}"#),
        ("SELECT sum(f) FROM sm WHERE time >= 0 AND time < 3m GROUP BY time(1m) ORDER BY time DESC", #"{"results":[{"statement_id":0,"series":[{"name":"sm","columns":["time","sum"],"values":[[120,2071.1801865279035],[60,-3029.743683272549],[0,1226.934537802096]]}]}]}"#),
        ("SELECT sum(v) FROM ord", #"{"results":[{"statement_id":0,"series":[{"name":"ord","columns":["time","sum"],"values":[[0,0]]}]}]}"#),
        ("SELECT mean(v) FROM ord", #"{"results":[{"statement_id":0,"series":[{"name":"ord","columns":["time","mean"],"values":[[0,0]]}]}]}"#),
        ("SELECT sum(v) FROM ord WHERE time >= 0 AND time < 10s GROUP BY time(10s)", #"{"results":[{"statement_id":0,"series":[{"name":"ord","columns":["time","sum"],"values":[[0,0]]}]}]}"#),
        ("SELECT sum(v) FROM tie", #"{"results":[{"statement_id":0,"series":[{"name":"tie","columns":["time","sum"],"values":[[0,2]]}]}]}"#),
        ("SELECT sum(v) FROM tie WHERE time >= 0 AND time < 10s GROUP BY time(10s)", #"{"results":[{"statement_id":0,"series":[{"name":"tie","columns":["time","sum"],"values":[[0,2]]}]}]}"#),
        ("SELECT mean(v) FROM tie", #"{"results":[{"statement_id":0,"series":[{"name":"tie","columns":["time","mean"],"values":[[0,0.5]]}]}]}"#),
        ("SELECT mean(i) FROM im", #"{"results":[{"statement_id":0,"series":[{"name":"im","columns":["time","mean"],"values":[[0,-52196.36842105264]]}]}]}"#),
        ("SELECT mean(i) FROM im WHERE time >= 0 AND time < 1m GROUP BY time(1m)", #"{"results":[{"statement_id":0,"series":[{"name":"im","columns":["time","mean"],"values":[[0,-52196.36842105264]]}]}]}"#),
        ("SELECT mean(i) FROM im WHERE time >= 0 AND time < 1m GROUP BY time(1m) ORDER BY time DESC", #"{"results":[{"statement_id":0,"series":[{"name":"im","columns":["time","mean"],"values":[[0,-52196.36842105264]]}]}]}"#),
        ("SELECT mean(i::float) FROM im", #"{"results":[{"statement_id":0,"series":[{"name":"im","columns":["time","mean"],"values":[[0,-52196.36842105264]]}]}]}"#),
    ])
    func sumsAndMeansRoundAsInfluxDB(query: String, expected: String) throws {
        #expect(try Self.run(query) == expected)
    }
}
