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
        case .newVPC(let cidr, _):
            let privateSubnets = environment.makesPrivateSubnets
            let block = IPv4Block(cidr)
            // Two halves for the public subnets alone; with private subnets, four quarters:
            // the first two public, the last two private.
            let blocks = (privateSubnets ? block?.halves().flatMap { $0.halves() } : block?.halves()) ?? []
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
            for (index, letter) in Self.zoneLetters.enumerated() {
                let subnet = Self.addSubnet("Public", zone: index, vpc: vpc, cidr: cidr, blocks: blocks, to: &stack)
                stack.template.add(
                    "PublicSubnet\(letter)RouteTableAssociation",
                    EC2.SubnetRouteTableAssociation(routeTableId: routeTable.ref, subnetId: subnet.ref))
                subnets.append(subnet.ref)
            }
            let taskSubnets = privateSubnets
                ? addPrivateSubnets(vpc: vpc, cidr: cidr, blocks: Array(blocks.dropFirst(Self.zoneLetters.count)), to: &stack) : subnets
            return PlacedNetwork(
                vpcID: vpc.ref, publicSubnets: subnets, taskSubnets: taskSubnets, internetAttachment: attachment.logicalID)
        }
    }

    /// The letters of the two availability zones' subnets, in zone order.
    static let zoneLetters = ["A", "B"]

    /// The subnet `<kind>Subnet<letter>` (`PublicSubnetA`) in the `zone`th availability zone, on
    /// that zone's block of `blocks` (the whole `cidr` when there are too few), named after the
    /// stack, the kind and the zone.
    private static func addSubnet(
        _ kind: String, zone: Int, vpc: ResourceReference, cidr: String, blocks: [IPv4Block], mapPublicIpOnLaunch: Value<Bool>? = nil,
        to stack: inout Stack
    ) -> ResourceReference {
        let letter = zoneLetters[zone]
        return stack.template.add(
            "\(kind)Subnet\(letter)",
            EC2.Subnet(
                availabilityZone: .select(zone, Intrinsic.availabilityZones),
                cidrBlock: .literal(zone < blocks.count ? blocks[zone].description : cidr),
                mapPublicIpOnLaunch: mapPublicIpOnLaunch,
                tags: [.init(key: "Name", value: .sub("${AWS::StackName}-\(kind.lowercased())-\(letter.lowercased())"))],
                vpcId: vpc.ref))
    }

    /// Adds the tasks' private subnets, one in each zone with its own route table and no route
    /// out of the VPC, and the VPC endpoints the tasks reach AWS through; returns the subnets.
    private func addPrivateSubnets(vpc: ResourceReference, cidr: String, blocks: [IPv4Block], to stack: inout Stack) -> [Value<String>] {
        var subnets: [Value<String>] = []
        var routeTables: [Value<String>] = []
        for (index, letter) in Self.zoneLetters.enumerated() {
            let subnet = Self.addSubnet("Private", zone: index, vpc: vpc, cidr: cidr, blocks: blocks, mapPublicIpOnLaunch: false, to: &stack)
            let routeTable = stack.template.add(
                "PrivateRouteTable\(letter)",
                EC2.RouteTable(
                    tags: [.init(key: "Name", value: .sub("${AWS::StackName}-private-\(letter.lowercased())"))], vpcId: vpc.ref))
            stack.template.add(
                "PrivateSubnet\(letter)RouteTableAssociation",
                EC2.SubnetRouteTableAssociation(routeTableId: routeTable.ref, subnetId: subnet.ref))
            subnets.append(subnet.ref)
            routeTables.append(routeTable.ref)
        }
        addEndpoints(vpc: vpc, cidr: cidr, subnets: subnets, routeTables: routeTables, to: &stack)
        return subnets
    }
}
