import CloudFormation

/// What deploying a template would change in a stack: the semantic difference between the
/// deployed template (and its parameter values) and the new one.
public struct StackDiff: Sendable, Hashable {
    /// Whether the stack exists; when it does not, everything is added.
    public var deployed: Bool
    /// How the resource changes were classified.
    public var method: DiffMethod
    public var parameters: [EntryDiff] = []
    /// Parameter values that change between the deployed stack and this deploy.
    public var parameterValues: [ParameterValueChange] = []
    public var conditions: [EntryDiff] = []
    public var resources: [ResourceDiff] = []
    public var outputs: [EntryDiff] = []
    /// Other top-level sections: Description, Mappings, Metadata, Transform.
    public var otherChanges: [ValueChange] = []
    /// The containers whose image changes.
    public var images: [ImageChange] = []
    public var iamStatements: [IAMStatementChange] = []
    public var securityGroupRules: [SecurityGroupRuleChange] = []

    public init(deployed: Bool, method: DiffMethod) {
        self.deployed = deployed
        self.method = method
    }

    public var hasDifferences: Bool {
        !parameters.isEmpty || !parameterValues.isEmpty || !conditions.isEmpty || !resources.isEmpty || !outputs.isEmpty
            || !otherChanges.isEmpty
    }

    /// Whether IAM statements or security-group rules change.
    public var hasSecurityChanges: Bool { !iamStatements.isEmpty || !securityGroupRules.isEmpty }
}

/// Where the classification of changes came from.
public enum DiffMethod: String, Sendable, Hashable {
    /// Berth's own comparison of the templates, with replacement from AWS's provider schemas.
    case template
    /// The comparison merged with a change set that CloudFormation computed (and that was deleted).
    case changeSet = "change-set"
}

/// Whether a change replaces the resource: a new physical resource, then the old one deleted.
public enum Replacement: String, Sendable, Hashable, Comparable {
    case never, conditional, always

    public static func < (lhs: Self, rhs: Self) -> Bool {
        let order: [Self] = [.never, .conditional, .always]
        return (order.firstIndex(of: lhs) ?? 0) < (order.firstIndex(of: rhs) ?? 0)
    }
}

/// Added, removed or modified.
public enum ChangeAction: String, Sendable, Hashable {
    case add, remove, modify
}

/// One changed value inside a resource, parameter, condition or output.
public struct ValueChange: Sendable, Hashable {
    public var path: ValuePath
    /// `nil` when the value is added.
    public var old: JSONValue?
    /// `nil` when the value is removed.
    public var new: JSONValue?
    public var replacement: Replacement
    /// Set when the text is the same but the value changes through a reference:
    /// "ImageTag changes", "TaskDefinition is replaced".
    public var cause: String?

    public init(path: ValuePath, old: JSONValue?, new: JSONValue?, replacement: Replacement = .never, cause: String? = nil) {
        self.path = path
        self.old = old
        self.new = new
        self.replacement = replacement
        self.cause = cause
    }
}

/// A named template entry (parameter, condition, output) that is added, removed or modified.
public struct EntryDiff: Sendable, Hashable {
    public var name: String
    public var action: ChangeAction
    public var changes: [ValueChange]
}

/// A parameter whose value changes; `nil` when it has none on that side.
public struct ParameterValueChange: Sendable, Hashable {
    public var name: String
    public var old: String?
    public var new: String?
}

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

    init(
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

/// A container whose image changes.
public struct ImageChange: Sendable, Hashable {
    /// The task definition's logical ID.
    public var taskDefinition: String
    public var container: String
    /// `nil` when the stack is not deployed.
    public var old: String?
    public var new: String

    /// `repo:old → new` when only the tag (or only the digest) changes, `old → new` otherwise.
    public var summary: String {
        guard let old else { return new }
        let (oldRepository, oldReference) = Self.split(old)
        let (newRepository, newReference) = Self.split(new)
        if oldRepository == newRepository, let oldReference, let newReference, oldReference.first == newReference.first {
            return "\(oldRepository)\(oldReference) → \(newReference.dropFirst())"
        }
        return "\(old) → \(new)"
    }

    /// The repository and the `:tag` or `@digest` after it.
    static func split(_ image: String) -> (String, String?) {
        if let at = image.lastIndex(of: "@") { return (String(image[..<at]), String(image[at...])) }
        let lastSlash = image.lastIndex(of: "/") ?? image.startIndex
        if let colon = image[lastSlash...].lastIndex(of: ":") { return (String(image[..<colon]), String(image[colon...])) }
        return (image, nil)
    }
}
