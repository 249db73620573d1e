/// A template parameter.
public struct Parameter: Sendable, Hashable {
    /// The parameter's CloudFormation type: `String`, `Number`, `List<AWS::EC2::Subnet::Id>`, …
    public var type: String
    public var description: String?
    public var defaultValue: JSONValue?
    public var allowedValues: [String]
    public var allowedPattern: String?
    public var constraintDescription: String?
    public var minLength: Int?
    public var maxLength: Int?
    /// Hides the value in the console and in DescribeStacks.
    public var noEcho: Bool

    public init(
        type: String = "String", description: String? = nil, defaultValue: JSONValue? = nil,
        allowedValues: [String] = [], allowedPattern: String? = nil, constraintDescription: String? = nil,
        minLength: Int? = nil, maxLength: Int? = nil, noEcho: Bool = false
    ) {
        self.type = type
        self.description = description
        self.defaultValue = defaultValue
        self.allowedValues = allowedValues
        self.allowedPattern = allowedPattern
        self.constraintDescription = constraintDescription
        self.minLength = minLength
        self.maxLength = maxLength
        self.noEcho = noEcho
    }

    public var templateValue: JSONValue {
        .object([
            "Type": .string(type),
            "Description": description.map(JSONValue.string),
            "Default": defaultValue,
            "AllowedValues": allowedValues.isEmpty ? nil : .array(allowedValues.map(JSONValue.string)),
            "AllowedPattern": allowedPattern.map(JSONValue.string),
            "ConstraintDescription": constraintDescription.map(JSONValue.string),
            "MinLength": minLength.map(JSONValue.int),
            "MaxLength": maxLength.map(JSONValue.int),
            "NoEcho": noEcho ? .bool(true) : nil,
        ])
    }
}

/// A template output, optionally exported.
public struct Output: Sendable, Hashable {
    public var value: JSONValue
    public var description: String?
    /// The export name. Berth never imports across its own phases (see DESIGN.md), but a
    /// stack may still export values for other teams.
    public var exportName: JSONValue?
    public var condition: String?

    public init(
        _ value: any TemplateValueConvertible, description: String? = nil,
        exportName: (any TemplateValueConvertible)? = nil, condition: String? = nil
    ) {
        self.value = value.templateValue
        self.description = description
        self.exportName = exportName?.templateValue
        self.condition = condition
    }

    public var templateValue: JSONValue {
        .object([
            "Description": description.map(JSONValue.string),
            "Condition": condition.map(JSONValue.string),
            "Value": value,
            "Export": exportName.map { ["Name": $0] },
        ])
    }
}
