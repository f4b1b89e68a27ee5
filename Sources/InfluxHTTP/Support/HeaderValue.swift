import HTTPTypes

extension HTTPFields {
    /// `self[name]` (every value of `name`, in order, joined by ", ", or by "; " for Cookie; nil
    /// when there is none) by one walk over the fields. The library's subscript builds an index of
    /// every name on its first lookup (hashing each) and joins through a generic lazy sequence
    /// (metadata lookups at run time): together about 3 000 instructions for the four or five
    /// fields a request's answer reads, where a request has a handful of fields.
    func value(_ name: HTTPField.Name) -> String? {
        var found: String?
        for field in self where field.name == name {
            if let earlier = found {
                found = earlier + (name == .cookie ? "; " : ", ") + field.value
            } else {
                found = field.value
            }
        }
        return found
    }
}
