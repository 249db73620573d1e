import BerthModel

/// A stack with one of an app's names that is not the app's: its `berth:app` tag names another
/// app, or it has none.
public struct ForeignStack: Sendable, Hashable, CustomStringConvertible {
    public let stack: String
    /// The app its `berth:app` tag names; `nil` when it has no such tag (or an empty one).
    public let owner: String?

    public var description: String {
        owner.map { "\(stack) belongs to app \($0) (its \(StackTags.appKey) tag)" } ?? "\(stack) has no \(StackTags.appKey) tag"
    }
}
