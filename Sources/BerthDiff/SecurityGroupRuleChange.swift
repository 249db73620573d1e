import BerthTemplate

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
