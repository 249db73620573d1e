import Foundation

/// The EC2 call Berth makes (query protocol): which VPC a service's subnets are in, and which
/// subnets of that VPC give public IPs, for `berth init --from-service`.
public struct EC2Client: Sendable {
    static let version = "2016-11-15"
    let client: ServiceClient

    public init(configuration: AWSConfiguration) {
        client = ServiceClient(service: .ec2, configuration: configuration)
    }

    /// A subnet: its VPC, zone, and whether instances launched in it get a public IP.
    public struct Subnet: Sendable, Hashable {
        public let id: String
        public let vpcID: String
        public let availabilityZone: String?
        public let mapPublicIPOnLaunch: Bool

        public init(id: String, vpcID: String, availabilityZone: String?, mapPublicIPOnLaunch: Bool) {
            self.id = id
            self.vpcID = vpcID
            self.availabilityZone = availabilityZone
            self.mapPublicIPOnLaunch = mapPublicIPOnLaunch
        }
    }

    /// The subnets with these IDs.
    public func describeSubnets(ids: [String]) async throws -> [Subnet] {
        guard !ids.isEmpty else { return [] }
        let parameters = ids.enumerated().map { HTTPRequest.QueryItem("SubnetId.\($0.offset + 1)", $0.element) }
        return try await subnets(parameters)
    }

    /// Every subnet of the VPC `vpcID`.
    public func describeSubnets(vpcID: String) async throws -> [Subnet] {
        try await subnets([.init("Filter.1.Name", "vpc-id"), .init("Filter.1.Value.1", vpcID)])
    }

    /// DescribeSubnets, every page.
    private func subnets(_ filter: [HTTPRequest.QueryItem]) async throws -> [Subnet] {
        try await Paginated("DescribeSubnets") { token in
            let page = filter + (token.map { [HTTPRequest.QueryItem("NextToken", $0)] } ?? [])
            let answer = try await client.query(action: "DescribeSubnets", version: Self.version, parameters: page)
            let subnets = (answer.child("subnetSet")?.children("item") ?? []).compactMap { item -> Subnet? in
                guard let id = item.string("subnetId"), let vpc = item.string("vpcId") else { return nil }
                return Subnet(
                    id: id, vpcID: vpc, availabilityZone: item.string("availabilityZone"),
                    mapPublicIPOnLaunch: item.string("mapPublicIpOnLaunch") == "true")
            }
            return (subnets, answer.string("nextToken").flatMap { $0.isEmpty ? nil : $0 })
        }.collect()
    }
}
