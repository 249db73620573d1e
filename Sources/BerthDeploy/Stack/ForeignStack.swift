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

    /// What to do about `stacks`, foreign stacks with `app`'s names: a sentence or two.
    public static func guidance(_ stacks: [ForeignStack], app: String) -> String {
        var ways: [String] = []
        if stacks.contains(where: { $0.owner != nil }) {
            ways.append(
                "Two apps make the same stack name when one app's name and a service or environment name spell the other's "
                    + "(app shop's service admin and app shop-admin both make shop-admin-dev): rename a service, an environment or app \(app)")
        }
        if stacks.contains(where: { $0.owner == nil }) {
            ways.append("A stack made by hand or by another tool needs another name (or deleting, if nothing uses it), or rename the service or environment")
        }
        return ways.joined(separator: ". ")
    }
}
