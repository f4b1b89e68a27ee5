/// What a receiver accepts, as collectd's `SecurityLevel` option.
///
/// - `none`: every part; signed and encrypted parts are verified when an auth file is set.
/// - `sign`: only signed or encrypted content.
/// - `encrypt`: only encrypted content.
///
/// For a sender, the level says how packets are protected.
public enum SecurityLevel: String, Sendable, CaseIterable {
    case none, sign, encrypt
}
