import BerthTemplate

/// One statement of an IAM policy, such as an extra permission for a service's task role.
public struct PolicyStatement: Sendable, Hashable {
    public enum Effect: String, Sendable, Hashable {
        case allow = "Allow"
        case deny = "Deny"
    }

    /// An identifier, unique in the policy (letters and digits).
    public var sid: String?
    public var effect: Effect
    /// Actions such as `s3:GetObject` or `sqs:*`.
    public var actions: [String]
    /// ARNs, or intrinsics that give them (`.sub("arn:${AWS::Partition}:s3:::bucket/*")`).
    public var resources: [JSONValue]
    /// A `Condition` block, as IAM takes it.
    public var condition: JSONValue?

    public init(sid: String? = nil, effect: Effect = .allow, actions: [String], resources: [JSONValue], condition: JSONValue? = nil) {
        self.sid = sid
        self.effect = effect
        self.actions = actions
        self.resources = resources
        self.condition = condition
    }

    /// A statement that allows `actions` on `resources` (ARNs).
    public static func allow(_ actions: [String], on resources: [String], sid: String? = nil) -> PolicyStatement {
        PolicyStatement(sid: sid, actions: actions, resources: resources.map(JSONValue.string))
    }

    /// The statement as IAM's JSON takes it.
    public var jsonValue: JSONValue {
        .object([
            "Sid": sid.map(JSONValue.string),
            "Effect": .string(effect.rawValue),
            "Action": actions.count == 1 ? .string(actions[0]) : .array(actions.map(JSONValue.string)),
            "Resource": resources.count == 1 ? resources[0] : .array(resources),
            "Condition": condition,
        ])
    }

    /// What is wrong with the statement, if anything.
    public func problems() -> [String] {
        var found: [String] = []
        if actions.isEmpty { found.append("names no action") }
        for action in actions where !Self.isAction(action) {
            found.append("action \"\(action)\" is not service:Action (such as s3:GetObject or sqs:*)")
        }
        if resources.isEmpty { found.append("names no resource; use \"*\" to mean every resource") }
        for resource in resources {
            if let text = resource.stringValue, text != "*", !text.hasPrefix("arn:") {
                found.append("resource \"\(text)\" is not an ARN or *")
            }
        }
        if let sid, sid.isEmpty || !sid.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic && $0.isASCII || ("0"..."9").contains($0) }) {
            found.append("sid \"\(sid)\" must be letters and digits")
        }
        return found
    }

    private static func isAction(_ action: String) -> Bool {
        let parts = action.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return false }
        return parts[0].allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
            && parts[1].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "*" || $0 == "?") }
    }
}
