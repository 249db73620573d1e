/// A CloudFormation intrinsic function, condition function or reference.
///
/// Arguments are `JSONValue`s, so intrinsics nest freely and literals mix with them.
/// Build them with the static helpers (`.ref`, `.getAtt`, `.sub`, …) and render them with
/// `templateValue`, which gives the long form CloudFormation's JSON uses.
public indirect enum Intrinsic: Sendable, Hashable, TemplateValueConvertible {
    case ref(String)
    case getAtt(String, String)
    case sub(String, variables: [JSONValue.Member])
    case join(String, [JSONValue])
    case select(Int, JSONValue)
    case split(String, JSONValue)
    case getAZs(JSONValue)
    case `if`(condition: String, then: JSONValue, else: JSONValue)
    case equals(JSONValue, JSONValue)
    case not(JSONValue)
    case and([JSONValue])
    case or([JSONValue])
    case importValue(JSONValue)
    case condition(String)
    case base64(JSONValue)
    case findInMap(String, JSONValue, JSONValue)

    public var templateValue: JSONValue {
        switch self {
        case .ref(let name): ["Ref": .string(name)]
        case .getAtt(let resource, let attribute): ["Fn::GetAtt": [.string(resource), .string(attribute)]]
        case .sub(let text, let variables):
            variables.isEmpty
                ? ["Fn::Sub": .string(text)]
                : ["Fn::Sub": [.string(text), .object(variables)]]
        case .join(let delimiter, let values): ["Fn::Join": [.string(delimiter), .array(values)]]
        case .select(let index, let list): ["Fn::Select": [.int(index), list]]
        case .split(let delimiter, let text): ["Fn::Split": [.string(delimiter), text]]
        case .getAZs(let region): ["Fn::GetAZs": region]
        case .if(let condition, let then, let otherwise): ["Fn::If": [.string(condition), then, otherwise]]
        case .equals(let lhs, let rhs): ["Fn::Equals": [lhs, rhs]]
        case .not(let condition): ["Fn::Not": [condition]]
        case .and(let conditions): ["Fn::And": .array(conditions)]
        case .or(let conditions): ["Fn::Or": .array(conditions)]
        case .importValue(let name): ["Fn::ImportValue": name]
        case .condition(let name): ["Condition": .string(name)]
        case .base64(let value): ["Fn::Base64": value]
        case .findInMap(let map, let topKey, let secondKey): ["Fn::FindInMap": [.string(map), topKey, secondKey]]
        }
    }
}

extension Intrinsic {
    /// `Ref` to a pseudo parameter such as `AWS::Region`.
    public static func ref(_ pseudo: PseudoParameter) -> Intrinsic { .ref(pseudo.rawValue) }

    /// `Fn::Sub` with no variables other than the template's own names.
    public static func sub(_ text: String) -> Intrinsic { .sub(text, variables: []) }

    /// `Fn::Join` over values of any kind.
    public static func join(_ delimiter: String, _ values: [any TemplateValueConvertible]) -> Intrinsic {
        .join(delimiter, values.map { $0.templateValue })
    }

    /// `Fn::GetAZs ""`: the availability zones of the stack's region.
    public static var availabilityZones: Intrinsic { .getAZs("") }

    /// `Fn::If` over values of any kind.
    public static func `if`(
        _ condition: String, _ then: any TemplateValueConvertible, _ otherwise: any TemplateValueConvertible
    ) -> Intrinsic {
        .if(condition: condition, then: then.templateValue, else: otherwise.templateValue)
    }
}

/// CloudFormation's pseudo parameters, used with `Ref`.
public enum PseudoParameter: String, Sendable, CaseIterable {
    case accountId = "AWS::AccountId"
    case notificationARNs = "AWS::NotificationARNs"
    case noValue = "AWS::NoValue"
    case partition = "AWS::Partition"
    case region = "AWS::Region"
    case stackId = "AWS::StackId"
    case stackName = "AWS::StackName"
    case urlSuffix = "AWS::URLSuffix"
}
