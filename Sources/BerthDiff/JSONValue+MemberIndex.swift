import BerthTemplate

extension JSONValue {
    /// An object's members by key, compared by code points (the first of a repeated key); empty
    /// for anything else. For code that looks up many keys: `self[key]` searches the members
    /// one by one, so a lookup per member of a large object would take quadratic time.
    var memberIndex: [ExactText: JSONValue] {
        Dictionary((members ?? []).map { (ExactText($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}
