/// A property value: a literal of type `Literal`, or an intrinsic that CloudFormation resolves.
///
/// Literals are written as Swift literals (`"web"`, `8080`, `true`); intrinsics with the static
/// helpers: `.ref("Vpc")`, `.getAtt("Alb", "DNSName")`, `.sub("${AWS::StackName}-api")`.
public enum Value<Literal: TemplateValueConvertible>: Sendable, TemplateValueConvertible {
    case literal(Literal)
    case intrinsic(Intrinsic)

    // Inlinable, as ListValue's below and the literals' (TemplateValueConvertible.swift):
    // generated property types call these for every property, and across the module boundary an
    // unspecialized generic getter costs metadata lookups and value-witness copies per call.
    @inlinable
    public var templateValue: JSONValue {
        switch self {
        case .literal(let literal): literal.templateValue
        case .intrinsic(let intrinsic): intrinsic.templateValue
        }
    }

    /// `Ref` to a resource or parameter.
    public static func ref(_ logicalID: String) -> Value { .intrinsic(.ref(logicalID)) }
    /// `Ref` to a pseudo parameter.
    public static func ref(_ pseudo: PseudoParameter) -> Value { .intrinsic(.ref(pseudo)) }
    /// `Fn::GetAtt`.
    public static func getAtt(_ logicalID: String, _ attribute: String) -> Value {
        .intrinsic(.getAtt(logicalID, attribute))
    }
    /// `Fn::Sub`.
    public static func sub(_ text: String, _ variables: [JSONValue.Member] = []) -> Value {
        .intrinsic(.sub(text, variables: variables))
    }
    /// `Fn::Join`.
    public static func join(_ delimiter: String, _ values: [any TemplateValueConvertible]) -> Value {
        .intrinsic(.join(delimiter, values))
    }
    /// `Fn::Select` of one element of a list.
    public static func select(_ index: Int, _ list: any TemplateValueConvertible) -> Value {
        .intrinsic(.select(index, list.templateValue))
    }
    /// `Fn::If`.
    public static func `if`(
        _ condition: String, _ then: any TemplateValueConvertible, _ otherwise: any TemplateValueConvertible
    ) -> Value {
        .intrinsic(.if(condition, then, otherwise))
    }
    /// `Fn::ImportValue`.
    public static func importValue(_ name: any TemplateValueConvertible) -> Value {
        .intrinsic(.importValue(name.templateValue))
    }
}

extension Value: ExpressibleByUnicodeScalarLiteral where Literal == String {
    public init(unicodeScalarLiteral value: String) { self = .literal(value) }
}

extension Value: ExpressibleByExtendedGraphemeClusterLiteral where Literal == String {
    public init(extendedGraphemeClusterLiteral value: String) { self = .literal(value) }
}

extension Value: ExpressibleByStringLiteral where Literal == String {
    public init(stringLiteral value: String) { self = .literal(value) }
}

extension Value: ExpressibleByStringInterpolation where Literal == String {}

extension Value: ExpressibleByIntegerLiteral where Literal == Int {
    public init(integerLiteral value: Int) { self = .literal(value) }
}

extension Value: ExpressibleByFloatLiteral where Literal == Double {
    public init(floatLiteral value: Double) { self = .literal(value) }
}

extension Value: ExpressibleByBooleanLiteral where Literal == Bool {
    public init(booleanLiteral value: Bool) { self = .literal(value) }
}

/// A list property: literal elements, or one intrinsic that yields the whole list
/// (a `List<…>` parameter's `Ref`, `Fn::GetAZs`, `Fn::Split`, …).
public enum ListValue<Element: TemplateValueConvertible>: Sendable, TemplateValueConvertible, ExpressibleByArrayLiteral {
    case items([Element])
    case intrinsic(Intrinsic)

    public init(arrayLiteral elements: Element...) { self = .items(elements) }

    @inlinable
    public var templateValue: JSONValue {
        switch self {
        case .items(let items): .array(items.map { $0.templateValue })
        case .intrinsic(let intrinsic): intrinsic.templateValue
        }
    }
}
