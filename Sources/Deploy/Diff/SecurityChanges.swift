import CloudFormation

/// One IAM statement as people review it: who may do what on which resource.
public struct IAMStatement: Sendable, Hashable {
    /// The logical ID of the role, policy or repository that holds the statement.
    public var owner: String
    public var effect: String
    public var actions: [String]
    public var resources: [String]
    public var principals: [String]
    public var condition: String?
}

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

/// One security-group rule: direction, protocol and ports, and the peer.
public struct SecurityGroupRule: Sendable, Hashable {
    public enum Direction: String, Sendable, Hashable {
        case ingress, egress
    }

    /// The security group's logical ID (or its ID as written).
    public var group: String
    public var direction: Direction
    /// `tcp 443`, `tcp 1024-65535`, `all`.
    public var protocolAndPorts: String
    /// A CIDR block, a security group or a prefix list.
    public var peer: String

    /// Whether the peer is the whole internet.
    public var isOpenToTheInternet: Bool { ["0.0.0.0/0", "::/0"].contains(peer) }
}

/// A security-group rule that a deploy adds or removes.
public struct SecurityGroupRuleChange: Sendable, Hashable {
    public var action: ChangeAction
    public var rule: SecurityGroupRule
    /// An added rule lets more traffic through.
    public var broadening: Bool { action == .add }

    static func between(old: JSONValue?, new: JSONValue?) -> [SecurityGroupRuleChange] {
        setChanges(old: rules(in: old), new: rules(in: new)).map { SecurityGroupRuleChange(action: $0, rule: $1) }
    }

    /// The rules of the security groups and rule resources in `resources`.
    static func rules(in resources: JSONValue?) -> [SecurityGroupRule] {
        var rules: [SecurityGroupRule] = []
        for resource in resources?.members ?? [] {
            let properties = resource.value["Properties"]
            switch resource.value["Type"]?.stringValue ?? "" {
            case "AWS::EC2::SecurityGroup":
                for rule in properties?["SecurityGroupIngress"]?.elements ?? [] {
                    rules.append(self.rule(rule, group: resource.key, direction: .ingress))
                }
                for rule in properties?["SecurityGroupEgress"]?.elements ?? [] {
                    rules.append(self.rule(rule, group: resource.key, direction: .egress))
                }
            case "AWS::EC2::SecurityGroupIngress":
                if let properties {
                    rules.append(rule(properties, group: groupName(properties["GroupId"] ?? properties["GroupName"]), direction: .ingress))
                }
            case "AWS::EC2::SecurityGroupEgress":
                if let properties {
                    rules.append(rule(properties, group: groupName(properties["GroupId"]), direction: .egress))
                }
            default:
                continue
            }
        }
        return rules
    }

    private static func rule(_ properties: JSONValue, group: String, direction: SecurityGroupRule.Direction) -> SecurityGroupRule {
        let protocolName = properties["IpProtocol"]?.displayText ?? "-1"
        var protocolAndPorts = protocolName == "-1" ? "all" : protocolName
        if protocolName != "-1", let from = properties["FromPort"]?.displayText {
            let to = properties["ToPort"]?.displayText ?? from
            protocolAndPorts += from == "-1" ? " all" : from == to ? " \(from)" : " \(from)-\(to)"
        }
        let peerKeys = [
            "CidrIp", "CidrIpv6", "SourceSecurityGroupId", "SourceSecurityGroupName", "SourcePrefixListId",
            "DestinationSecurityGroupId", "DestinationPrefixListId",
        ]
        let peer = peerKeys.lazy.compactMap { key in properties[key].map { groupName($0) } }.first ?? "?"
        return SecurityGroupRule(group: group, direction: direction, protocolAndPorts: protocolAndPorts, peer: peer)
    }

    /// A security group as people name it: `LoadBalancerSecurityGroup` for `{"Fn::GetAtt": ["LoadBalancerSecurityGroup", "GroupId"]}`.
    private static func groupName(_ value: JSONValue?) -> String {
        guard let value else { return "?" }
        if let reference = value["Ref"]?.stringValue { return reference }
        if let target = value["Fn::GetAtt"]?.elements?.first?.stringValue, value["Fn::GetAtt"]?.elements?.last == "GroupId" {
            return target
        }
        if let text = value["Fn::GetAtt"]?.stringValue, text.hasSuffix(".GroupId") { return String(text.dropLast(8)) }
        return value.displayText
    }
}

/// What `new` has that `old` has not (added) and the reverse (removed), counting repeats;
/// added ones in `new`'s order first, then removed ones in `old`'s order.
func setChanges<Element: Hashable>(old: [Element], new: [Element]) -> [(ChangeAction, Element)] {
    var remaining: [Element: Int] = [:]
    for element in old { remaining[element, default: 0] += 1 }
    var added: [(ChangeAction, Element)] = []
    for element in new {
        if let count = remaining[element], count > 0 {
            remaining[element] = count - 1
        } else {
            added.append((.add, element))
        }
    }
    var removed: [(ChangeAction, Element)] = []
    for element in old {
        if let count = remaining[element], count > 0 {
            remaining[element] = count - 1
            removed.append((.remove, element))
        }
    }
    return added + removed
}

extension JSONValue {
    /// A value as one line of text: strings as they are, `${Name}` for a `Ref`, `${Name.Attribute}`
    /// for an `Fn::GetAtt`, the text of an `Fn::Sub`, and compact JSON for anything else.
    public var displayText: String {
        if let text = scalarText { return text }
        if let name = self["Ref"]?.stringValue, isIntrinsic { return "${\(name)}" }
        if let parts = self["Fn::GetAtt"]?.elements?.compactMap(\.stringValue), parts.count == 2 { return "${\(parts[0]).\(parts[1])}" }
        if let text = self["Fn::GetAtt"]?.stringValue { return "${\(text)}" }
        if let text = self["Fn::Sub"]?.subArguments.text, self["Fn::Sub"]?.subArguments.variables == nil { return text }
        if let parts = self["Fn::Join"]?.elements, parts.count == 2, let separator = parts[0].stringValue, let list = parts[1].elements {
            return list.map(\.displayText).joined(separator: separator)
        }
        return jsonText(pretty: false)
    }
}
