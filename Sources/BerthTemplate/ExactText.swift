/// A text compared and hashed by its code points, as JSON, YAML and CloudFormation compare keys
/// and values: Swift's `String` equality takes `é` written as one code point and `e` with a
/// combining accent as the same text, so a parser would refuse two keys a template may hold,
/// and a diff would miss a key or a value that changed.
public struct ExactText: Hashable, Sendable {
    /// The text itself.
    public let text: String

    /// `text`, to be compared by its code points.
    public init(_ text: String) { self.text = text }

    public static func == (lhs: ExactText, rhs: ExactText) -> Bool { lhs.text.utf8.elementsEqual(rhs.text.utf8) }

    public func hash(into hasher: inout Hasher) {
        for byte in text.utf8 { hasher.combine(byte) }
        // A byte no UTF-8 text holds ends the text, so that a list of texts hashes apart from the
        // same bytes split otherwise (`["ab", "c"]`, `["a", "bc"]`).
        hasher.combine(UInt8(0xFF))
    }

    /// Whether two optional texts are the same code points (both `nil` is the same).
    public static func same(_ lhs: String?, _ rhs: String?) -> Bool {
        switch (lhs, rhs) {
        case (nil, nil): true
        case (let left?, let right?): ExactText(left) == ExactText(right)
        default: false
        }
    }
}
