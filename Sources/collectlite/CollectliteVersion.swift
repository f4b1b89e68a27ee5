/// This build's version, and the git commit the `VersionStamp` plugin stamped into it
/// (`unknown` when built without git).
enum CollectliteVersion {
    static let number = "0.9.0"
    static var commit: String { BuildCommit.hash }
    /// What `collectlite --version` prints and `X-Collectlite-Version` carries.
    static var description: String { "\(number) (commit \(commit))" }
}
