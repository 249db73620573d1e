/// Whether a change replaces the resource: a new physical resource, then the old one deleted.
public enum Replacement: String, Sendable, Hashable, Comparable {
    case never, conditional, always

    public static func < (lhs: Self, rhs: Self) -> Bool {
        let order: [Self] = [.never, .conditional, .always]
        return (order.firstIndex(of: lhs) ?? 0) < (order.firstIndex(of: rhs) ?? 0)
    }
}
