/// The Elastic Load Balancing (v2) calls Berth makes (query protocol): a load balancer's
/// attributes, so that `berth destroy` finds deletion protection before it deletes anything, and
/// a listener's rules, so that a deploy finds a rule priority taken before a stack asks for it.
public struct ElasticLoadBalancingClient: Sendable {
    static let version = "2015-12-01"
    let client: ServiceClient

    /// The region the client calls.
    public var region: String { client.configuration.region }

    public init(configuration: AWSConfiguration) {
        client = ServiceClient(service: .elasticloadbalancing, configuration: configuration)
    }

    /// The attributes of the load balancer `arn`, by key (`deletion_protection.enabled`: `true`).
    public func loadBalancerAttributes(arn: String) async throws -> [String: String] {
        let answer = try await client.query(action: "DescribeLoadBalancerAttributes", version: Self.version, parameters: [.init("LoadBalancerArn", arn)])
        var attributes: [String: String] = [:]
        for member in answer.members("Attributes") {
            if let key = member.string("Key") { attributes[key] = member.string("Value") ?? "" }
        }
        return attributes
    }

    /// A rule of a listener: its ARN and priority (`nil` for the listener's default action).
    public struct Rule: Sendable, Hashable {
        public let arn: String
        public let priority: Int?

        public init(arn: String, priority: Int?) {
            self.arn = arn
            self.priority = priority
        }
    }

    /// Every rule of the listener `listenerArn` (DescribeRules, every page).
    public func rules(listenerArn: String) async throws -> [Rule] {
        try await Paginated<Rule>("DescribeRules") { [client] marker in
            var parameters: [HTTPRequest.QueryItem] = [.init("ListenerArn", listenerArn), .init("PageSize", "400")]
            if let marker { parameters.append(.init("Marker", marker)) }
            let answer = try await client.query(action: "DescribeRules", version: Self.version, parameters: parameters)
            let rules = answer.members("Rules").compactMap { member in
                member.string("RuleArn").map { Rule(arn: $0, priority: member.string("Priority").flatMap { Int($0) }) }
            }
            return (rules, answer.string("NextMarker"))
        }.collect()
    }
}
