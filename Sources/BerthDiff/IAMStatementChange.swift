import BerthTemplate

/// An IAM statement that a deploy adds or removes.
public struct IAMStatementChange: Sendable, Hashable {
    public var action: ChangeAction
    public var statement: IAMStatement
    /// An added Allow or a removed Deny: someone may do more than before.
    public var broadening: Bool

    static func between(old: JSONValue?, new: JSONValue?) -> [IAMStatementChange] {
        setChanges(old: statements(in: old), new: statements(in: new)).map { action, statement in
            IAMStatementChange(
                action: action, statement: statement,
                broadening: (action == .add) == (statement.effect.lowercased() != "deny"))
        }
    }

    /// The statements of the IAM roles, IAM policies and ECR repository policies in `resources`.
    static func statements(in resources: JSONValue?) -> [IAMStatement] {
        var statements: [IAMStatement] = []
        for resource in resources?.members ?? [] {
            let properties = resource.value["Properties"]
            let id = resource.key
            switch resource.value["Type"]?.stringValue ?? "" {
            case "AWS::IAM::Role":
                // Trust: who may assume the role.
                statements += documentStatements(properties?["AssumeRolePolicyDocument"], owner: id, resources: ["${\(id).Arn}"])
                for policy in properties?["Policies"]?.elements ?? [] {
                    statements += documentStatements(policy["PolicyDocument"], owner: id, principals: ["AWS:${\(id)}"])
                }
                for arn in properties?["ManagedPolicyArns"]?.elements ?? [] {
                    statements.append(
                        IAMStatement(
                            owner: id, effect: "Allow", actions: ["(managed policy)"], resources: [arn.displayText],
                            principals: ["AWS:${\(id)}"], condition: nil))
                }
            case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy":
                var attached = (properties?["Roles"]?.elements ?? []).map { "AWS:" + $0.displayText }
                if let role = properties?["RoleName"] { attached.append("AWS:" + role.displayText) }
                statements += documentStatements(properties?["PolicyDocument"], owner: id, principals: attached)
            case "AWS::ECR::Repository":
                statements += documentStatements(properties?["RepositoryPolicyText"], owner: id, resources: ["${\(id).Arn}"])
            default:
                continue
            }
        }
        return statements
    }

    /// The statements of a policy document; `principals` or `resources` stand in for what an
    /// identity policy or a resource policy leaves out.
    private static func documentStatements(
        _ document: JSONValue?, owner: String, principals: [String] = [], resources: [String] = []
    ) -> [IAMStatement] {
        guard let document else { return [] }
        let list = document["Statement"].map { $0.elements ?? [$0] } ?? []
        return list.map { statement in
            IAMStatement(
                owner: owner, effect: statement["Effect"]?.displayText ?? "Allow",
                actions: strings(statement["Action"]) + strings(statement["NotAction"]).map { "NOT " + $0 },
                resources: statement["Resource"] == nil && statement["NotResource"] == nil
                    ? resources : strings(statement["Resource"]) + strings(statement["NotResource"]).map { "NOT " + $0 },
                principals: statement["Principal"] == nil && statement["NotPrincipal"] == nil
                    ? principals : principalNames(statement["Principal"]) + principalNames(statement["NotPrincipal"]).map { "NOT " + $0 },
                condition: statement["Condition"]?.jsonText(pretty: false))
        }
    }

    private static func strings(_ value: JSONValue?) -> [String] {
        guard let value else { return [] }
        return (value.elements ?? [value]).map(\.displayText).sorted()
    }

    private static func principalNames(_ value: JSONValue?) -> [String] {
        guard let value else { return [] }
        guard let members = value.members, !value.isIntrinsic else { return [value.displayText] }
        return members.flatMap { member in strings(member.value).map { "\(member.key):\($0)" } }.sorted()
    }
}
