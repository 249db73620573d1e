import BerthModel

/// A stack with one of an app's names that is not that part of the app's: its `berth:app` tag
/// names another app, or it has none, or it is the app's stack of another environment or service
/// (environment `dev`'s service `web` and environment `web-dev`'s shared stack are both
/// `shop-web-dev`).
public struct ForeignStack: Sendable, Hashable, CustomStringConvertible {
    public let stack: String
    /// The app its `berth:app` tag names; `nil` when it has no such tag (or an empty one).
    public let owner: String?
    /// For a stack of the app itself that another part of it made: which part its tags name and
    /// which part was at hand. `nil` for another app's stack or an untagged one.
    public let otherPart: OtherPart?

    /// Two parts of one app, in words (`StackTags.part`): the one a stack's tags name, and the
    /// one that wanted the stack's name.
    public struct OtherPart: Sendable, Hashable {
        public let found: String
        public let wanted: String

        public init(found: String, wanted: String) {
            self.found = found
            self.wanted = wanted
        }
    }

    public init(stack: String, owner: String?, otherPart: OtherPart? = nil) {
        self.stack = stack
        self.owner = owner
        self.otherPart = otherPart
    }

    /// Whether the stack is another app's or untagged, rather than another part of the app's own.
    public var isOtherApps: Bool { otherPart == nil }

    public var description: String {
        if let otherPart, let owner {
            return "\(stack) is app \(owner)'s stack of \(otherPart.found), not \(otherPart.wanted) (its berth: tags)"
        }
        return owner.map { "\(stack) belongs to app \($0) (its \(StackTags.appKey) tag)" } ?? "\(stack) has no \(StackTags.appKey) tag"
    }

    /// What to do about `stacks`, foreign stacks with `app`'s names: a sentence or two.
    public static func guidance(_ stacks: [ForeignStack], app: String) -> String {
        var ways: [String] = []
        if stacks.contains(where: { $0.owner != nil && $0.isOtherApps }) {
            ways.append(
                "Two apps make the same stack name when one app's name and a service or environment name spell the other's "
                    + "(app shop's service admin and app shop-admin both make shop-admin-dev): rename a service, an environment or app \(app)")
        }
        if stacks.contains(where: { $0.owner == nil }) {
            ways.append("A stack made by hand or by another tool needs another name (or deleting, if nothing uses it), or rename the service or environment")
        }
        if let clash = stacks.first(where: { $0.otherPart != nil }), let parts = clash.otherPart {
            ways.append(
                "Two parts of one app make the same stack name when an environment's name and a service's spell another's "
                    + "(\(parts.found) and \(parts.wanted) are both \(clash.stack)): rename the preview, the environment or the service")
        }
        return ways.joined(separator: ". ")
    }
}
