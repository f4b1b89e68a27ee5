import CollectdProtocol
import Testing
import TimeSeries

@testable import CollectdReceiver
import TestSupport

/// Random value lists through every mapping mode: the counts always add up and every point
/// has the shape InfluxDB's collectd service would give it.
@Suite struct CollectdMapperPropertyTests {
    static let types = ["load", "cpu", "if_octets", "memory", "nope_unknown", "df_complex", "if_packets", "bogus2"]

    static func randomValue(_ rng: inout SeededGenerator) -> CollectdValue {
        switch rng.next() % 6 {
        case 0: .counter(rng.next())
        case 1: .derive(Int64(bitPattern: rng.next()))
        case 2: .absolute(rng.next() >> 3)
        case 3: .gauge(Double(bitPattern: rng.next()))
        case 4: .gauge([Double.nan, .infinity, -.infinity, -0.0][Int(rng.next() % 4)])
        default: .gauge(Double(Int64(bitPattern: rng.next()) >> 20) / 1024)
        }
    }

    static func randomName(_ rng: inout SeededGenerator) -> String {
        let length = Int(rng.next() % 4)
        return String((0..<length).map { _ in "abcxyz_-.é"["abcxyz_-.é".index("abcxyz_-.é".startIndex, offsetBy: Int(rng.next() % 10))] })
    }

    @Test(arguments: MultiValueMode.allCases, UnknownTypePolicy.allCases)
    func countsAddUpAndShapesHold(mode: MultiValueMode, policy: UnknownTypePolicy) {
        var rng = SeededGenerator(seed: 0xC011EC7D ^ UInt64(mode == .split ? 1 : 2) ^ UInt64(policy == .keep ? 4 : 8))
        for precision in TimePrecision.allCases {
            let mapper = CollectdMapper(typesDB: .embedded, options: MappingOptions(multiValue: mode, unknownTypes: policy, precision: precision))
            for _ in 0..<2_000 {
                let type = Self.types[Int(rng.next() % UInt64(Self.types.count))]
                let count = 1 + Int(rng.next() % 4)
                let list = ValueList(
                    host: "h" + Self.randomName(&rng), plugin: "p" + Self.randomName(&rng),
                    pluginInstance: Self.randomName(&rng), type: type, typeInstance: Self.randomName(&rng),
                    time: Int64(bitPattern: rng.next()) >> 2, interval: 0,
                    values: (0..<count).map { _ in Self.randomValue(&rng) })
                var points: [Point] = []
                let r = mapper.map(list, into: &points)
                let nonFinite = list.values.filter { !$0.doubleValue.isFinite }.count
                let known = TypesDB.embedded[type]?.count == count
                #expect((r.typeMatch == .known) == known)
                if !known && policy == .drop {
                    #expect(r.droppedUnknown == count && r.mapped == 0 && points.isEmpty)
                    continue
                }
                #expect(r.mapped + r.skippedNonFinite == count)
                #expect(r.skippedNonFinite == nonFinite)
                #expect(points.reduce(0) { $0 + $1.fields.count } == r.mapped)
                #expect(points.count == (mode == .split ? r.mapped : (r.mapped > 0 ? 1 : 0)))
                for point in points {
                    #expect(point.time == precision.floor(list.time))
                    #expect(point.time % precision.nanoseconds == 0)
                    #expect(point.time <= list.time && list.time - point.time < precision.nanoseconds)
                    #expect(point.key.measurement.hasPrefix(list.plugin))
                    #expect(point.key.tags == point.key.tags.sorted())
                    #expect(point.key.tags.allSatisfy { !$0.value.isEmpty })
                    #expect(point.key[tag: "type"] == type)
                    #expect(point.fields.allSatisfy { if case .float(let v) = $0.value { v.isFinite } else { false } })
                }
            }
        }
    }
}
