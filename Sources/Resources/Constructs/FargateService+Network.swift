import CloudFormation

extension FargateService {
    /// The VPC and subnets the service's resources are placed in.
    struct PlacedNetwork {
        let vpcID: Value<String>
        let loadBalancerSubnets: ListValue<Value<String>>
        let taskSubnets: ListValue<Value<String>>
        let assignPublicIP: Bool
    }

    /// Adds the new VPC, when asked for, and says where everything goes.
    func addNetwork(to stack: inout Stack) -> PlacedNetwork {
        switch settings.network {
        case .existing(let vpcID, let publicSubnetIDs, let privateSubnetIDs):
            let publicSubnets = ListValue.items(publicSubnetIDs.map(Value<String>.literal))
            return PlacedNetwork(
                vpcID: .literal(vpcID), loadBalancerSubnets: publicSubnets,
                taskSubnets: privateSubnetIDs.isEmpty ? publicSubnets : .items(privateSubnetIDs.map(Value.literal)),
                assignPublicIP: privateSubnetIDs.isEmpty)
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
            var subnets: [ResourceReference] = []
            for (index, letter) in ["A", "B"].enumerated() {
                let subnet = stack.template.add(
                    "PublicSubnet\(letter)",
                    EC2.Subnet(
                        availabilityZone: .select(index, Intrinsic.availabilityZones),
                        cidrBlock: .literal(index < halves.count ? halves[index].description : cidr),
                        mapPublicIpOnLaunch: true,
                        tags: [.init(key: "Name", value: .sub("${AWS::StackName}-public-\(letter.lowercased())"))],
                        vpcId: vpc.ref))
                stack.template.add(
                    "PublicSubnet\(letter)RouteTableAssociation",
                    EC2.SubnetRouteTableAssociation(routeTableId: routeTable.ref, subnetId: subnet.ref))
                subnets.append(subnet)
            }
            let subnetRefs = ListValue.items(subnets.map(\.ref))
            return PlacedNetwork(
                vpcID: vpc.ref, loadBalancerSubnets: subnetRefs, taskSubnets: subnetRefs, assignPublicIP: true)
        }
    }

    /// The load balancer's and the tasks' security groups.
    struct SecurityGroups {
        let loadBalancer: ResourceReference
        let service: ResourceReference
    }

    /// The load balancer takes HTTP (and HTTPS) from anywhere; the tasks take the container port
    /// from the load balancer's group only.
    func addSecurityGroups(network: PlacedNetwork, to stack: inout Stack) -> SecurityGroups {
        var ingress: [EC2.SecurityGroup.Ingress] = [
            .init(cidrIp: "0.0.0.0/0", description: "HTTP from the internet", fromPort: 80, ipProtocol: "tcp", toPort: 80)
        ]
        if settings.https != nil {
            ingress.append(
                .init(cidrIp: "0.0.0.0/0", description: "HTTPS from the internet", fromPort: 443, ipProtocol: "tcp", toPort: 443))
        }
        let loadBalancerGroup = stack.template.add(
            "LoadBalancerSecurityGroup",
            EC2.SecurityGroup(
                groupDescription: .sub("${AWS::StackName} load balancer"), securityGroupIngress: .items(ingress),
                vpcId: network.vpcID))
        let serviceGroup = stack.template.add(
            "ServiceSecurityGroup",
            EC2.SecurityGroup(groupDescription: .sub("${AWS::StackName} \(name) tasks"), vpcId: network.vpcID))
        stack.template.add(
            "ServiceIngressFromLoadBalancer",
            EC2.SecurityGroupIngress(
                description: "container port from the load balancer only", fromPort: .literal(settings.containerPort),
                groupId: serviceGroup.getAtt("GroupId"), ipProtocol: "tcp",
                sourceSecurityGroupId: loadBalancerGroup.getAtt("GroupId"), toPort: .literal(settings.containerPort)))
        return SecurityGroups(loadBalancer: loadBalancerGroup, service: serviceGroup)
    }
}

/// An IPv4 CIDR block, for splitting a new VPC into subnets.
struct IPv4Block: CustomStringConvertible {
    let address: UInt32
    let prefixLength: Int

    /// Parses `10.0.0.0/16`; `nil` when it is not a CIDR block or has host bits set.
    init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = Int(parts[1]), (0...32).contains(prefix) else { return nil }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var address: UInt32 = 0
        for octet in octets {
            guard octet.count <= 3, let value = UInt8(octet) else { return nil }
            address = address << 8 | UInt32(value)
        }
        let hostMask: UInt32 = prefix == 32 ? 0 : UInt32.max >> UInt32(prefix)
        guard address & hostMask == 0 else { return nil }
        self.address = address
        self.prefixLength = prefix
    }

    private init(address: UInt32, prefixLength: Int) {
        self.address = address
        self.prefixLength = prefixLength
    }

    /// The two halves of the block, one prefix bit longer each.
    func halves() -> [IPv4Block] {
        guard prefixLength < 32 else { return [] }
        let half = UInt32(1) << UInt32(31 - prefixLength)
        return [
            IPv4Block(address: address, prefixLength: prefixLength + 1),
            IPv4Block(address: address + half, prefixLength: prefixLength + 1),
        ]
    }

    var description: String {
        let octets = [24, 16, 8, 0].map { String((address >> UInt32($0)) & 0xFF) }
        return octets.joined(separator: ".") + "/\(prefixLength)"
    }
}
