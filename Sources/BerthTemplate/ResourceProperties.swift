/// The typed properties of one CloudFormation resource type.
///
/// The conforming types for the resource types Berth emits are generated from AWS's resource
/// provider schemas (see `scripts/generate-resources.py`).
public protocol ResourceProperties: TemplateValueConvertible {
    /// The CloudFormation type name, such as `AWS::ECR::Repository`.
    static var resourceType: String { get }
    /// JSON pointers (`/properties/RepositoryName`) of the properties whose change replaces
    /// the resource, from the schema's `createOnlyProperties`.
    static var createOnlyProperties: [String] { get }
}

/// A resource added to a template, for referring to it from other resources.
public struct ResourceReference: Sendable, Hashable {
    public let logicalID: String

    public init(_ logicalID: String) { self.logicalID = logicalID }

    /// `Ref` to the resource.
    public var ref: Value<String> { .ref(logicalID) }

    /// `Fn::GetAtt` of one of the resource's attributes.
    public func getAtt(_ attribute: String) -> Value<String> { .getAtt(logicalID, attribute) }
}
