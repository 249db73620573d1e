/// The Elastic Load Balancing (v2) call Berth makes (query protocol): a load balancer's
/// attributes, so that `berth destroy` finds deletion protection before it deletes anything.
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
}
