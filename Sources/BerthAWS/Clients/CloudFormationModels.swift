import Foundation

/// A stack as DescribeStacks reports it.
public struct StackDescription: Sendable, Hashable {
    public let stackID: String
    public let name: String
    public let status: StackStatus
    public let statusReason: String?
    public let parameters: [String: String]
    public let outputs: [String: String]
    public let tags: [String: String]
    public let creationTime: Date?
    public let lastUpdatedTime: Date?
    public let terminationProtection: Bool
    /// The last drift detection's result and time (`nil` when DescribeStacks gives none).
    public var drift: StackDriftInformation? = nil
    /// The role CloudFormation acts with on the stack (`RoleARN`); `nil` when it acts with the
    /// caller's rights.
    public var roleARN: String? = nil
    /// The stack this one is nested in (`ParentId`, its ID); `nil` for a stack of its own. A
    /// nested stack takes its parent's tags, and is deleted with its parent.
    public var parentID: String? = nil
}

/// What to create a change set with.
public struct ChangeSetRequest: Sendable {
    public enum Kind: String, Sendable { case create = "CREATE", update = "UPDATE" }

    public var stackName: String
    public var changeSetName: String
    public var kind: Kind
    public var templateBody: String
    public var parameters: [(key: String, value: String)]
    /// Parameters sent with UsePreviousValue: they keep the stack's current value.
    public var keepPreviousParameters: [String]
    public var capabilities: [String]
    public var tags: [(key: String, value: String)]
    public var description: String?
    /// For a create: whether a failed create deletes the stack (`OnStackFailure=DELETE`) rather
    /// than leaving it `ROLLBACK_COMPLETE`.
    public var deleteOnFailedCreate = true
    /// For a create: whether CloudFormation brings resources of the template that already exist
    /// under the template's names into the stack instead of failing (`ImportExistingResources`).
    /// Only resources with custom names and a `DeletionPolicy` qualify.
    public var importExistingResources = false
    /// `REVERT_DRIFT` for a drift-aware change set that puts drifted resources back to the
    /// template's values; `nil` for a standard change set.
    public var deploymentMode: String?
    /// The role CloudFormation acts with on the stack (`RoleARN`); the caller's rights when `nil`.
    public var roleARN: String?

    public init(
        stackName: String, changeSetName: String, kind: Kind, templateBody: String,
        parameters: [(key: String, value: String)] = [], keepPreviousParameters: [String] = [], capabilities: [String] = [], tags: [(key: String, value: String)] = [],
        description: String? = nil
    ) {
        self.stackName = stackName
        self.changeSetName = changeSetName
        self.kind = kind
        self.templateBody = templateBody
        self.parameters = parameters
        self.keepPreviousParameters = keepPreviousParameters
        self.capabilities = capabilities
        self.tags = tags
        self.description = description
    }
}

/// A change set and its planned changes.
public struct ChangeSetDescription: Sendable {
    public let changeSetID: String
    public let stackID: String
    public let status: String
    public let statusReason: String?
    public let executionStatus: String?
    public let changes: [ResourceChange]
}

/// One planned change of a change set.
public struct ResourceChange: Sendable {
    /// `Add`, `Modify`, `Remove`, `Import`, `Dynamic`.
    public let action: String
    public let logicalID: String
    public let physicalID: String?
    public let resourceType: String
    /// `True`, `False` or `Conditional` for a Modify.
    public let replacement: String?
    /// `Properties`, `Metadata`, `Tags`, …
    public let scope: [String]
    /// For each changed property: its name and whether the change recreates the resource.
    public let details: [(property: String, requiresRecreation: String)]
    /// In a drift-aware change set: the resource's drift (`MODIFIED`, `DELETED`, `IN_SYNC`, …).
    public var driftStatus: String? = nil
    /// In a drift-aware change set: each drifted property the change puts back, with its value
    /// now (`actual`) and after the change (`after`, the template's).
    public var revertedProperties: [(property: String, actual: String?, after: String?)] = []

}

/// One stack event.
public struct StackEvent: Sendable, Hashable {
    public let eventID: String
    public let stackName: String
    public let logicalID: String
    public let physicalID: String?
    public let resourceType: String
    public let timestamp: Date?
    public let status: String
    public let statusReason: String?
}

/// One resource of a stack, as ListStackResources reports it.
public struct StackResourceSummary: Sendable, Hashable {
    public let logicalID: String
    public let physicalID: String?
    public let resourceType: String
    public let status: String
    public let statusReason: String?
}

/// One event of a stack operation or change set, as DescribeEvents reports it: what early
/// validation, a hook or provisioning found.
public struct OperationEvent: Sendable, Hashable {
    /// `VALIDATION_ERROR`, `PROVISIONING_ERROR`, `HOOK_INVOCATION_ERROR`, `STACK_EVENT`, …
    public let eventType: String
    public let logicalID: String?
    public let resourceType: String?
    public let statusReason: String?
    /// The early validation that failed, where in the template, and why.
    public let validationName: String?
    public let validationPath: String?
    public let validationStatusReason: String?
    /// The hook that failed, and why.
    public let hookType: String?
    public let hookStatusReason: String?

    public init(
        eventType: String, logicalID: String? = nil, resourceType: String? = nil, statusReason: String? = nil,
        validationName: String? = nil, validationPath: String? = nil, validationStatusReason: String? = nil,
        hookType: String? = nil, hookStatusReason: String? = nil
    ) {
        self.eventType = eventType
        self.logicalID = logicalID
        self.resourceType = resourceType
        self.statusReason = statusReason
        self.validationName = validationName
        self.validationPath = validationPath
        self.validationStatusReason = validationStatusReason
        self.hookType = hookType
        self.hookStatusReason = hookStatusReason
    }
}
