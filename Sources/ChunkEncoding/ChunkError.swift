/// Why a chunk could not be read. Decoding never traps on bad input; it throws one of these.
public enum ChunkError: Error, Sendable, Hashable {
    /// The bytes end before the header or the samples it announces are complete.
    case truncated
    /// The bytes are inconsistent (bad flags, impossible counts, out-of-range fields, trailing bytes).
    case corrupt(reason: String)
    /// The chunk was written by a newer format version.
    case unsupportedVersion
    /// The chunk holds a different value kind than the caller expected.
    case kindMismatch
    /// The chunk's timestamps are coded against a time reference (version 3) and the caller
    /// gave none: read `ChunkHeader.timeReference` and pass that sequence's times.
    case missingReference
}
