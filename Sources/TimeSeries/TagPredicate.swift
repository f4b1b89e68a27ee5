/// A compiled regular expression as InfluxQL writes it (`/re/`): unanchored search semantics.
// Regex is not declared Sendable; its compiled program is immutable after construction
// and matching does not mutate it, so sharing across tasks is safe.
public struct PatternRegex: @unchecked Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let engine: Engine

    /// Our own matcher when the pattern is in its subset (what Grafana and dashboards write:
    /// `^host$`, `^(a|b)$`, `^h1[0-9]$`, `.*`; Swift's engine cost ~0.2 µs of retains and releases
    /// per tag value), Swift's regex engine for the rest.
    private enum Engine {
        case program(PatternProgram)
        case swift(Regex<AnyRegexOutput>)
    }

    /// Compiles `pattern`; throws when neither our matcher's subset nor Swift's regex engine
    /// reads it.
    public init(_ pattern: String) throws {
        self.pattern = pattern
        engine = try PatternProgram(pattern).map(Engine.program) ?? .swift(Regex(pattern))
    }

    /// True when the pattern matches anywhere in `text` (InfluxDB/Go `MatchString`).
    public func matches(_ text: String) -> Bool {
        switch engine {
        case .program(let program): program.matches(text)
        case .swift(let regex): (try? regex.firstMatch(in: text)) != nil
        }
    }

    /// `matches` as one function for a loop over many texts: the engine is taken apart once, not
    /// per text (binding the program per call retained and released each of its arrays, a
    /// quarter of a regex template variable over 2 000 hosts).
    public var matcher: (String) -> Bool {
        switch engine {
        case .program(let program): { program.matches($0) }
        case .swift(let regex): { (try? regex.firstMatch(in: $0)) != nil }
        }
    }

    public var description: String { "/\(pattern)/" }

    public static func == (lhs: PatternRegex, rhs: PatternRegex) -> Bool { lhs.pattern == rhs.pattern }
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }
}

/// Which measurements a statement reads.
public enum MeasurementFilter: Sendable, Hashable {
    case all
    case names([String])
    case regex(PatternRegex)

    public func matches(_ name: String) -> Bool {
        switch self {
        case .all: true
        case .names(let names): names.contains(name)
        case .regex(let re): re.matches(name)
        }
    }
}

/// A boolean condition over a series' tags, as InfluxQL's WHERE on tags.
///
/// A missing tag compares as the empty string, as InfluxDB does: `"host" = ''` selects series
/// without a host tag and `"host" != 'a'` selects series without one too.
public indirect enum TagPredicate: Sendable, Hashable {
    case always
    case never
    case equal(key: String, value: String)
    case notEqual(key: String, value: String)
    case matches(key: String, PatternRegex)
    case notMatches(key: String, PatternRegex)
    case and(TagPredicate, TagPredicate)
    case or(TagPredicate, TagPredicate)

    /// Only equalities and inequalities of tag values (no regex): cheap to `evaluate` per series.
    public var comparesValuesOnly: Bool {
        switch self {
        case .always, .never, .equal, .notEqual: return true
        case .matches, .notMatches: return false
        case .and(let a, let b), .or(let a, let b): return a.comparesValuesOnly && b.comparesValuesOnly
        }
    }

    public func evaluate(_ key: SeriesKey) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .equal(let k, let v): return (key[tag: k] ?? "") == v
        case .notEqual(let k, let v): return (key[tag: k] ?? "") != v
        case .matches(let k, let re): return re.matches(key[tag: k] ?? "")
        case .notMatches(let k, let re): return !re.matches(key[tag: k] ?? "")
        case .and(let a, let b): return a.evaluate(key) && b.evaluate(key)
        case .or(let a, let b): return a.evaluate(key) || b.evaluate(key)
        }
    }
}
