/// What CloudFormation does with a resource's physical object when the resource leaves the
/// stack (`DeletionPolicy`) or is replaced (`UpdateReplacePolicy`).
public enum RetentionPolicy: String, Sendable, Hashable {
    case delete = "Delete"
    case retain = "Retain"
    case snapshot = "Snapshot"
    case retainExceptOnCreate = "RetainExceptOnCreate"
}

/// A resource in a template: its type, its properties and its attributes.
///
/// Properties are kept as a `JSONValue`, so a resource read from a deployed template and one
/// built from typed properties are the same kind of value.
public struct Resource: Sendable, Hashable {
    public var type: String
    public var properties: JSONValue
    public var dependsOn: [String]
    public var condition: String?
    public var deletionPolicy: RetentionPolicy?
    public var updateReplacePolicy: RetentionPolicy?
    public var metadata: JSONValue?

    public init(
        type: String, properties: JSONValue = .object([]), dependsOn: [String] = [], condition: String? = nil,
        deletionPolicy: RetentionPolicy? = nil, updateReplacePolicy: RetentionPolicy? = nil, metadata: JSONValue? = nil
    ) {
        self.type = type
        self.properties = properties
        self.dependsOn = dependsOn
        self.condition = condition
        self.deletionPolicy = deletionPolicy
        self.updateReplacePolicy = updateReplacePolicy
        self.metadata = metadata
    }

    /// The resource as it appears under `Resources`, attributes in CloudFormation's usual order.
    /// `Properties` is always written, even when empty.
    public var templateValue: JSONValue {
        .object([
            "Type": .string(type),
            "Condition": condition.map(JSONValue.string),
            "DependsOn": dependsOn.isEmpty
                ? nil : dependsOn.count == 1 ? .string(dependsOn[0]) : .array(dependsOn.map(JSONValue.string)),
            "Metadata": metadata,
            "DeletionPolicy": deletionPolicy.map { .string($0.rawValue) },
            "UpdateReplacePolicy": updateReplacePolicy.map { .string($0.rawValue) },
            "Properties": properties,
        ])
    }
}
