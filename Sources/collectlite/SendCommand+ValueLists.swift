import ArgumentParser
import CollectdProtocol

extension SendCommand {
    /// Parses `host/plugin[-instance]/type[-instance]=TIME:V1[:V2…]` (TIME `N` = now,
    /// else seconds since the epoch); kinds come from the type's definition.
    static func parseValueList(_ text: String, typesDB: TypesDB, now: Int64) throws -> ValueList {
        guard let equals = text.firstIndex(of: "=") else {
            throw ValidationError("\(text): expected IDENTIFIER=TIME:V1[:V2…]")
        }
        let identity = text[..<equals].split(separator: "/", omittingEmptySubsequences: false)
        guard identity.count == 3, identity.allSatisfy({ !$0.isEmpty }) else {
            throw ValidationError("\(text): identifier must be host/plugin[-instance]/type[-instance]")
        }
        func split(_ part: Substring) -> (String, String) {
            guard let dash = part.firstIndex(of: "-") else { return (String(part), "") }
            return (String(part[..<dash]), String(part[part.index(after: dash)...]))
        }
        let (plugin, pluginInstance) = split(identity[1])
        let (type, typeInstance) = split(identity[2])
        guard let sources = typesDB[type] else {
            throw ValidationError("\(text): unknown type \"\(type)\" (add a --typesdb file)")
        }
        let fields = text[text.index(after: equals)...].split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == sources.count + 1 else {
            throw ValidationError("\(text): type \(type) has \(sources.count) data sources, got \(fields.count - 1) values")
        }
        let time: Int64
        if fields[0] == "N" {
            time = now
        } else if let seconds = Double(fields[0]), seconds > 0 {
            time = Int64(seconds * 1e9)
        } else {
            throw ValidationError("\(text): bad time \"\(fields[0])\" (N or seconds since the epoch)")
        }
        var values: [CollectdValue] = []
        for (source, field) in zip(sources, fields.dropFirst()) {
            let value: CollectdValue? =
                switch source.kind {
                case .gauge: field == "U" ? .gauge(.nan) : Double(field).map { .gauge($0) }
                case .counter: UInt64(field).map { .counter($0) }
                case .derive: Int64(field).map { .derive($0) }
                case .absolute: UInt64(field).map { .absolute($0) }
                }
            guard let value else {
                throw ValidationError("\(text): \"\(field)\" is not a valid \(source.kind.typesDBName) value for \(source.name)")
            }
            values.append(value)
        }
        return ValueList(
            host: String(identity[0]), plugin: plugin, pluginInstance: pluginInstance, type: type,
            typeInstance: typeInstance, time: time, interval: 10_000_000_000, values: values)
    }
}

/// Synthetic value lists like collectd's cpu, interface, load and memory plugins send;
/// counters grow from round to round.
struct SyntheticValueLists {
    let hosts: [String]
    private var round: Int64 = 0

    init(hosts count: Int) {
        hosts = (0..<count).map { "synthetic-host\($0 + 1)" }
    }

    mutating func next(time: Int64) -> [ValueList] {
        round += 1
        var lists: [ValueList] = []
        for (h, host) in hosts.enumerated() {
            let seed = Int64(h + 1)
            func add(_ plugin: String, _ pluginInstance: String, _ type: String, _ typeInstance: String, _ values: [CollectdValue]) {
                lists.append(ValueList(host: host, plugin: plugin, pluginInstance: pluginInstance, type: type,
                    typeInstance: typeInstance, time: time, interval: 10_000_000_000, values: values))
            }
            for cpu in 0..<2 {
                for (i, state) in ["user", "system", "idle", "wait"].enumerated() {
                    add("cpu", String(cpu), "cpu", state, [.derive(round * (Int64(i) * 40 + seed + 10))])
                }
            }
            for interface in ["eth0", "lo"] {
                add("interface", interface, "if_octets", "", [.derive(round * 125_000 * seed), .derive(round * 62_500 * seed)])
                add("interface", interface, "if_packets", "", [.derive(round * 100 * seed), .derive(round * 80 * seed)])
                add("interface", interface, "if_errors", "", [.derive(0), .derive(0)])
            }
            let load = 0.5 + Double((round + seed) % 10) / 10
            add("load", "", "load", "", [.gauge(load), .gauge(load * 0.8), .gauge(load * 0.6)])
            for (i, state) in ["used", "buffered", "cached", "free"].enumerated() {
                add("memory", "", "memory", state, [.gauge(Double(1 << 30) * Double(i + 1) + Double(round * 4096))])
            }
        }
        return lists
    }
}
