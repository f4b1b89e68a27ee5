import CollectdProtocol

/// Everything `CollectdReceiverService` needs to know, resolved from flags, environment and file.
public struct CollectdReceiverConfiguration: Sendable {
    /// UDP address; a multicast group address is joined.
    public var bind: BindAddress
    /// Database the points are written to.
    public var database: String
    /// Retention policy of `database` the points go to (nil: its default policy), as InfluxDB's
    /// `[[collectd]] retention-policy`.
    public var retentionPolicy: String?
    public var securityLevel: SecurityLevel
    /// `user: password` file for signed and encrypted packets.
    public var authFilePath: String?
    public var typesDB: TypesDB
    public var mapping: MappingOptions
    /// SO_RCVBUF requested, in bytes.
    public var readBuffer: Int
    /// Bytes of value rows that may wait for the store writer before new ones are dropped
    /// (24 bytes per value).
    public var queueCapacity: Int
    /// Value-list identities whose refs are cached (the cache starts afresh when full).
    public var identityCacheCapacity: Int
    /// Datagrams read per system call (recvmmsg).
    public var vectorReadCount: Int

    public init(
        bind: BindAddress = BindAddress(host: "0.0.0.0", port: 25826),
        database: String = "collectd",
        retentionPolicy: String? = nil,
        securityLevel: SecurityLevel = .none,
        authFilePath: String? = nil,
        typesDB: TypesDB = .embedded,
        mapping: MappingOptions = MappingOptions(),
        readBuffer: Int = 8 << 20,
        queueCapacity: Int = 128 << 20,
        identityCacheCapacity: Int = 1 << 20,
        vectorReadCount: Int = 16
    ) {
        self.bind = bind
        self.database = database
        self.retentionPolicy = retentionPolicy
        self.securityLevel = securityLevel
        self.authFilePath = authFilePath
        self.typesDB = typesDB
        self.mapping = mapping
        self.readBuffer = readBuffer
        self.queueCapacity = queueCapacity
        self.identityCacheCapacity = identityCacheCapacity
        self.vectorReadCount = vectorReadCount
    }
}
