import Foundation

/// A stack as DescribeStacks reports it.
public struct StackDescription: Sendable, Hashable {
    public let stackID: String
    public let name: String
    public let status: String
    public let statusReason: String?
    public let parameters: [String: String]
    public let outputs: [String: String]
    public let tags: [String: String]
    public let creationTime: Date?
    public let lastUpdatedTime: Date?
    public let terminationProtection: Bool
}

/// What to create a change set with.
public struct ChangeSetRequest: Sendable, Hashable {
    public enum Kind: String, Sendable { case create = "CREATE", update = "UPDATE" }

    public var stackName: String
    public var changeSetName: String
    public var kind: Kind
    public var templateBody: String
    public var parameters: [(key: String, value: String)]
    public var capabilities: [String]
    public var tags: [(key: String, value: String)]
    public var description: String?

    public init(
        stackName: String, changeSetName: String, kind: Kind, templateBody: String,
        parameters: [(key: String, value: String)] = [], capabilities: [String] = [], tags: [(key: String, value: String)] = [],
        description: String? = nil
    ) {
        self.stackName = stackName
        self.changeSetName = changeSetName
        self.kind = kind
        self.templateBody = templateBody
        self.parameters = parameters
        self.capabilities = capabilities
        self.tags = tags
        self.description = description
    }

    public static func == (lhs: ChangeSetRequest, rhs: ChangeSetRequest) -> Bool {
        lhs.stackName == rhs.stackName && lhs.changeSetName == rhs.changeSetName && lhs.kind == rhs.kind
            && lhs.templateBody == rhs.templateBody && lhs.parameters.map(\.key) == rhs.parameters.map(\.key)
            && lhs.parameters.map(\.value) == rhs.parameters.map(\.value) && lhs.capabilities == rhs.capabilities
            && lhs.tags.map(\.key) == rhs.tags.map(\.key) && lhs.tags.map(\.value) == rhs.tags.map(\.value)
            && lhs.description == rhs.description
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(stackName)
        hasher.combine(changeSetName)
    }
}

/// A change set and its planned changes.
public struct ChangeSetDescription: Sendable, Hashable {
    public let changeSetID: String
    public let stackID: String
    public let status: String
    public let statusReason: String?
    public let executionStatus: String?
    public let changes: [ResourceChange]
}

/// One planned change of a change set.
public struct ResourceChange: Sendable, Hashable {
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

    public static func == (lhs: ResourceChange, rhs: ResourceChange) -> Bool {
        lhs.action == rhs.action && lhs.logicalID == rhs.logicalID && lhs.physicalID == rhs.physicalID
            && lhs.resourceType == rhs.resourceType && lhs.replacement == rhs.replacement && lhs.scope == rhs.scope
            && lhs.details.map(\.property) == rhs.details.map(\.property)
            && lhs.details.map(\.requiresRecreation) == rhs.details.map(\.requiresRecreation)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(logicalID)
        hasher.combine(action)
    }
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
