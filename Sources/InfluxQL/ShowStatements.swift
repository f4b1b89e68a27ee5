/// `SHOW MEASUREMENTS [ON db] [WITH MEASUREMENT =~ /re/ | = name] [WHERE …] [LIMIT n] [OFFSET n]`
public struct ShowMeasurementsStatement: Sendable, Hashable {
    /// The database after `ON`.
    public var database: String?
    /// The `WITH MEASUREMENT` operand (a name or a regex, possibly qualified).
    public var source: Measurement?
    /// The `WHERE` condition (on tags).
    public var condition: Expr?
    /// `LIMIT n` (0 = none).
    public var limit: Int
    /// `OFFSET n` (0 = none).
    public var offset: Int

    public init(
        database: String? = nil, source: Measurement? = nil, condition: Expr? = nil,
        limit: Int = 0, offset: Int = 0
    ) {
        self.database = database
        self.source = source
        self.condition = condition
        self.limit = limit
        self.offset = offset
    }
}

/// `SHOW TAG KEYS [ON db] [FROM …] [WHERE …] [LIMIT n] [OFFSET n] [SLIMIT n] [SOFFSET n]`
public struct ShowTagKeysStatement: Sendable, Hashable {
    /// The database after `ON`.
    public var database: String?
    /// The `FROM` measurements (empty: all).
    public var sources: [Source]
    /// The `WHERE` condition.
    public var condition: Expr?
    /// `LIMIT n` (0 = none).
    public var limit: Int
    /// `OFFSET n` (0 = none).
    public var offset: Int
    /// `SLIMIT n` (0 = none).
    public var slimit: Int
    /// `SOFFSET n` (0 = none).
    public var soffset: Int

    public init(
        database: String? = nil, sources: [Source] = [], condition: Expr? = nil,
        limit: Int = 0, offset: Int = 0, slimit: Int = 0, soffset: Int = 0
    ) {
        self.database = database
        self.sources = sources
        self.condition = condition
        self.limit = limit
        self.offset = offset
        self.slimit = slimit
        self.soffset = soffset
    }
}

/// `SHOW TAG VALUES [ON db] [FROM …] WITH KEY (= | != | =~ | !~ | IN) … [WHERE …] [LIMIT n] [OFFSET n]`
public struct ShowTagValuesStatement: Sendable, Hashable {
    /// The database after `ON`.
    public var database: String?
    /// The `FROM` measurements (empty: all).
    public var sources: [Source]
    /// Which tag keys to list values of.
    public var key: TagKeyMatch
    /// The `WHERE` condition.
    public var condition: Expr?
    /// `LIMIT n` (0 = none).
    public var limit: Int
    /// `OFFSET n` (0 = none).
    public var offset: Int

    public init(
        database: String? = nil, sources: [Source] = [], key: TagKeyMatch, condition: Expr? = nil,
        limit: Int = 0, offset: Int = 0
    ) {
        self.database = database
        self.sources = sources
        self.key = key
        self.condition = condition
        self.limit = limit
        self.offset = offset
    }
}

/// The `WITH KEY …` clause of `SHOW TAG VALUES`.
public enum TagKeyMatch: Sendable, Hashable {
    /// `WITH KEY = key`
    case equal(String)
    /// `WITH KEY != key`
    case notEqual(String)
    /// `WITH KEY =~ /re/`
    case matches(regex: String)
    /// `WITH KEY !~ /re/`
    case notMatches(regex: String)
    /// `WITH KEY IN (k1, k2, …)`
    case `in`([String])
}

/// `SHOW FIELD KEYS [ON db] [FROM …] [LIMIT n] [OFFSET n]`
public struct ShowFieldKeysStatement: Sendable, Hashable {
    /// The database after `ON`.
    public var database: String?
    /// The `FROM` measurements (empty: all).
    public var sources: [Source]
    /// `LIMIT n` (0 = none).
    public var limit: Int
    /// `OFFSET n` (0 = none).
    public var offset: Int

    public init(database: String? = nil, sources: [Source] = [], limit: Int = 0, offset: Int = 0) {
        self.database = database
        self.sources = sources
        self.limit = limit
        self.offset = offset
    }
}

/// `SHOW SERIES [ON db] [FROM …] [WHERE …] [LIMIT n] [OFFSET n]`
public struct ShowSeriesStatement: Sendable, Hashable {
    /// The database after `ON`.
    public var database: String?
    /// The `FROM` measurements (empty: all).
    public var sources: [Source]
    /// The `WHERE` condition.
    public var condition: Expr?
    /// `LIMIT n` (0 = none).
    public var limit: Int
    /// `OFFSET n` (0 = none).
    public var offset: Int

    public init(
        database: String? = nil, sources: [Source] = [], condition: Expr? = nil,
        limit: Int = 0, offset: Int = 0
    ) {
        self.database = database
        self.sources = sources
        self.condition = condition
        self.limit = limit
        self.offset = offset
    }
}
