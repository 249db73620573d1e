import BerthTemplate

extension SharedEnvironment {
    /// The VPC and the subnets the environment's resources are placed in.
    struct PlacedNetwork {
        let vpcID: Value<String>
        let publicSubnets: [Value<String>]
        let taskSubnets: [Value<String>]
        /// The internet gateway's attachment to a new VPC: an internet-facing load balancer waits for it.
        var internetAttachment: String?
    }

    /// Adds the new VPC, when asked for, and says where everything goes.
    func addNetwork(to stack: inout Stack) -> PlacedNetwork {
        switch environment.network {
        case .existing(let vpcID, let publicSubnetIDs, let privateSubnetIDs):
            let publicSubnets = publicSubnetIDs.map(Value<String>.literal)
            return PlacedNetwork(
                vpcID: .literal(vpcID), publicSubnets: publicSubnets,
                taskSubnets: privateSubnetIDs.isEmpty ? publicSubnets : privateSubnetIDs.map(Value.literal))
        case .newVPC(let cidr):
            let halves = IPv4Block(cidr).map { $0.halves() } ?? []
            let vpc = stack.template.add(
                "Vpc",
                EC2.VPC(
                    cidrBlock: .literal(cidr), enableDnsHostnames: true, enableDnsSupport: true,
                    tags: [.init(key: "Name", value: .sub("${AWS::StackName}-vpc"))]))
            let gateway = stack.template.add(
                "InternetGateway",
                EC2.InternetGateway(tags: [.init(key: "Name", value: .sub("${AWS::StackName}-igw"))]))
            let attachment = stack.template.add(
                "GatewayAttachment", EC2.VPCGatewayAttachment(internetGatewayId: gateway.ref, vpcId: vpc.ref))
            let routeTable = stack.template.add("PublicRouteTable", EC2.RouteTable(vpcId: vpc.ref))
            stack.template.add(
                "PublicDefaultRoute",
                EC2.Route(destinationCidrBlock: "0.0.0.0/0", gatewayId: gateway.ref, routeTableId: routeTable.ref),
                dependsOn: [attachment.logicalID])
            var subnets: [Value<String>] = []
            for (index, letter) in ["A", "B"].enumerated() {
                let subnet = stack.template.add(
                    "PublicSubnet\(letter)",
                    EC2.Subnet(
                        availabilityZone: .select(index, Intrinsic.availabilityZones),
                        cidrBlock: .literal(index < halves.count ? halves[index].description : cidr),
                        tags: [.init(key: "Name", value: .sub("${AWS::StackName}-public-\(letter.lowercased())"))],
                        vpcId: vpc.ref))
                stack.template.add(
                    "PublicSubnet\(letter)RouteTableAssociation",
                    EC2.SubnetRouteTableAssociation(routeTableId: routeTable.ref, subnetId: subnet.ref))
                subnets.append(subnet.ref)
            }
            return PlacedNetwork(
                vpcID: vpc.ref, publicSubnets: subnets, taskSubnets: subnets, internetAttachment: attachment.logicalID)
        }
    }
}
