import BerthTemplate

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

extension SecurityGroupRule {
    // Rules are the same when their texts are the same code points (`ExactText`).
    public static func == (lhs: SecurityGroupRule, rhs: SecurityGroupRule) -> Bool {
        lhs.direction == rhs.direction && lhs.exactTexts == rhs.exactTexts
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(direction)
        hasher.combine(exactTexts)
    }

    private var exactTexts: [ExactText] { [ExactText(group), ExactText(protocolAndPorts), ExactText(peer)] }
}
