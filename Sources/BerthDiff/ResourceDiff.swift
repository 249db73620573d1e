/// What happens to a resource.
public struct ResourceDiff: Sendable, Hashable {
    /// What becomes of a resource that leaves the template.
    public enum Removal: String, Sendable, Hashable {
        /// Deleted with the stack update.
        case destroy
        /// Left in the account (DeletionPolicy Retain): it stays, unmanaged.
        case orphan
    }

    public var logicalID: String
    public var type: String
    public var action: ChangeAction
    /// For a modified resource: the strongest replacement among its changes.
    public var replacement: Replacement
    /// For a removed resource.
    public var removal: Removal?
    /// For a replaced resource whose UpdateReplacePolicy is Retain: the old one is kept, unmanaged.
    public var keepsReplacedResource: Bool
    /// Paths are relative to the resource (`Properties.Port`, `DeletionPolicy`).
    public var changes: [ValueChange]
    /// What a change set said changes (`Properties`, `Tags`, `Metadata`), when one was read.
    public var changeSetScope: [String]

    public init(
        logicalID: String, type: String, action: ChangeAction, replacement: Replacement = .never, removal: Removal? = nil,
        keepsReplacedResource: Bool = false, changes: [ValueChange] = [], changeSetScope: [String] = []
    ) {
        self.logicalID = logicalID
        self.type = type
        self.action = action
        self.replacement = replacement
        self.removal = removal
        self.keepsReplacedResource = keepsReplacedResource
        self.changes = changes
        self.changeSetScope = changeSetScope
    }
}
