/// A named entry of a template section, kept in the order it was added.
///
/// Equatable and Hashable when its element is. The element is not required to be: a
/// requirement on the parameter makes the runtime look the conformance up (a scan of every
/// conformance record in the binary) the first time each `Named<…>` is made.
public struct Named<Element: Sendable>: Sendable {
    public var name: String
    public var value: Element

    public init(_ name: String, _ value: Element) {
        self.name = name
        self.value = value
    }
}

extension Named: Equatable where Element: Equatable {}
extension Named: Hashable where Element: Hashable {}

/// A CloudFormation template. Sections keep insertion order, so rendering is deterministic.
public struct Template: Sendable, Hashable {
    public static let formatVersion = "2010-09-09"

    public var description: String?
    public var metadata: JSONValue?
    public var parameters: [Named<Parameter>] = []
    public var mappings: [Named<JSONValue>] = []
    public var conditions: [Named<JSONValue>] = []
    public var resources: [Named<Resource>] = []
    public var outputs: [Named<Output>] = []

    public init(description: String? = nil) {
        self.description = description
    }

    /// Adds a parameter and returns a `Ref` to it.
    @discardableResult
    public mutating func addParameter(_ name: String, _ parameter: Parameter) -> Intrinsic {
        parameters.append(Named(name, parameter))
        return .ref(name)
    }

    /// Adds a condition (an `Fn::Equals`, `Fn::Not`, … value) and returns its name.
    @discardableResult
    public mutating func addCondition(_ name: String, _ condition: Intrinsic) -> String {
        conditions.append(Named(name, condition.templateValue))
        return name
    }

    /// Adds a resource built from raw properties.
    @discardableResult
    public mutating func addResource(_ logicalID: String, _ resource: Resource) -> ResourceReference {
        resources.append(Named(logicalID, resource))
        return ResourceReference(logicalID)
    }

    /// Adds a resource built from typed properties, with its attributes.
    @discardableResult
    public mutating func add<Properties: ResourceProperties>(
        _ logicalID: String, _ properties: Properties, dependsOn: [String] = [], condition: String? = nil,
        deletionPolicy: RetentionPolicy? = nil, updateReplacePolicy: RetentionPolicy? = nil, metadata: JSONValue? = nil
    ) -> ResourceReference {
        addResource(
            logicalID,
            Resource(
                type: Properties.resourceType, properties: properties.templateValue, dependsOn: dependsOn,
                condition: condition, deletionPolicy: deletionPolicy, updateReplacePolicy: updateReplacePolicy,
                metadata: metadata))
    }

    /// Adds an output.
    public mutating func addOutput(_ name: String, _ output: Output) {
        outputs.append(Named(name, output))
    }

    /// The resource with this logical ID, if any.
    public func resource(_ logicalID: String) -> Resource? {
        resources.first { $0.name == logicalID }?.value
    }

    /// The template as JSON, top-level keys in CloudFormation's conventional order; empty
    /// sections are left out.
    public var templateValue: JSONValue {
        func section<T>(_ entries: [Named<T>], _ render: (T) -> JSONValue) -> JSONValue? {
            entries.isEmpty ? nil : .object(entries.map { JSONValue.Member($0.name, render($0.value)) })
        }
        return .object([
            "AWSTemplateFormatVersion": .string(Template.formatVersion),
            "Description": description.map(JSONValue.string),
            "Metadata": metadata,
            "Parameters": section(parameters, \.templateValue),
            "Mappings": section(mappings) { $0 },
            "Conditions": section(conditions) { $0 },
            "Resources": .object(resources.map { JSONValue.Member($0.name, $0.value.templateValue) }),
            "Outputs": section(outputs, \.templateValue),
        ])
    }
}
