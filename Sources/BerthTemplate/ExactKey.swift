/// A text compared and hashed by its code points, as JSON, YAML and CloudFormation compare keys
/// and values: Swift's `String` equality takes `é` written as one code point and `e` with a
/// combining accent as the same text, so a parser would refuse two keys a template may hold,
/// and a diff would miss a key or a value that changed.
public struct ExactKey: Hashable, Sendable {
    /// The text itself.
    public let text: String

    public init(_ text: String) { self.text = text }

    public static func == (lhs: ExactKey, rhs: ExactKey) -> Bool { lhs.text.utf8.elementsEqual(rhs.text.utf8) }

    public func hash(into hasher: inout Hasher) {
        for byte in text.utf8 { hasher.combine(byte) }
    }

    /// Whether two optional texts are the same code points (both `nil` is the same).
    public static func same(_ lhs: String?, _ rhs: String?) -> Bool {
        switch (lhs, rhs) {
        case (nil, nil): true
        case (let left?, let right?): ExactKey(left) == ExactKey(right)
        default: false
        }
    }
}
