/// A text compared and hashed by its code points, as CloudFormation and JSON compare keys and
/// values: Swift's `String` equality would take `é` written as one code point and `e` with a
/// combining accent as the same key, and a diff would then miss a key that changed.
struct ExactKey: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (lhs: ExactKey, rhs: ExactKey) -> Bool { lhs.text.utf8.elementsEqual(rhs.text.utf8) }

    func hash(into hasher: inout Hasher) {
        for byte in text.utf8 { hasher.combine(byte) }
    }

    /// Whether two optional texts are the same code points (both `nil` is the same).
    static func same(_ lhs: String?, _ rhs: String?) -> Bool {
        switch (lhs, rhs) {
        case (nil, nil): true
        case (let left?, let right?): ExactKey(left) == ExactKey(right)
        default: false
        }
    }
}
