import InfluxQL
import Synchronization

/// Statements parsed recently, by query text. Grafana sends the same text on every refresh of a
/// panel over a relative range (`$timeFilter` becomes `time >= now() - 6h`, resolved when the
/// statement runs, not when it is parsed) and of every template variable; a statement that goes
/// from the inline attempt to the thread pool is looked up instead of parsed twice. Parsing is
/// a pure function of the text (and of the zone database, fixed per executor), so a hit is the
/// same value a parse would give. Failed parses are not kept; neither are long texts.
final class ParseCache: Sendable {
    private struct Entry {
        var parsed: Parsed
        var lastUse: UInt64
    }

    /// A text's statements with, for each SELECT whose plan may be kept, its `PlanCache` shape:
    /// made once per text, so a statement run again is looked up without hashing it again.
    final class Parsed: Sendable {
        let statements: [Statement]
        let shapes: [PlanCache.Shape?]

        init(_ statements: [Statement]) {
            self.statements = statements
            shapes = statements.map { statement in
                guard case .select(let s) = statement else { return nil }
                return PlanCache.Shape(s)
            }
        }
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var clock: UInt64 = 0
    }

    private let state = Mutex(State())
    let capacity: Int
    /// Texts longer than this are parsed every time (a bulk INSERT-like statement list or a
    /// generated query would crowd out the panels).
    static let maxTextBytes = 4_096

    init(capacity: Int = 256) {
        self.capacity = max(1, capacity)
    }

    /// The statements of `text` with the plan shapes of its SELECTs, parsed by `parse` unless a
    /// recent call kept them.
    func parsed(_ text: String, parse: (String) throws(ParseError) -> [Statement]) throws(ParseError) -> Parsed {
        guard text.utf8.count <= Self.maxTextBytes else { return Parsed(try parse(text)) }
        let hit = state.withLock { s -> Parsed? in
            // One hash of the text: found by index, marked used in place.
            guard let i = s.entries.index(forKey: text) else { return nil }
            s.clock += 1
            s.entries.values[i].lastUse = s.clock
            return s.entries.values[i].parsed
        }
        if let hit { return hit }
        let parsed = Parsed(try parse(text))
        state.withLock { s in
            if s.entries.count >= capacity, s.entries[text] == nil {
                // The least recently used entry goes (a scan of at most `capacity` entries, on a miss only).
                if let oldest = s.entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
                    s.entries.removeValue(forKey: oldest)
                }
            }
            s.clock += 1
            s.entries[text] = Entry(parsed: parsed, lastUse: s.clock)
        }
        return parsed
    }

    var count: Int { state.withLock { $0.entries.count } }
}
