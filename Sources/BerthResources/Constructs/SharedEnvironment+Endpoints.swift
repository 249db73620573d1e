import BerthTemplate

extension SharedEnvironment {
    /// The interface VPC endpoints a new VPC's private subnets get, as the last part of the
    /// service name (`com.amazonaws.<region>.<service>`) with the endpoint's logical ID:
    /// - `ecr.api` and `ecr.dkr`: ECS pulls the images (the layers come from S3, through the
    ///   gateway endpoint);
    /// - `logs`: the containers' `awslogs` driver and the Service Connect proxy write to
    ///   CloudWatch Logs;
    /// - `secretsmanager`: when a service's `secrets:` names a Secrets Manager secret, which ECS
    ///   reads when it starts the task;
    /// - `ssm`: when a service's `secrets:` names an SSM parameter, likewise;
    /// - `ssmmessages`: when a service has `execCommand: true`, for ECS exec's channels.
    ///
    /// Nothing else: the tasks' role credentials come from Fargate's own credential endpoint,
    /// not STS, and Fargate's agent reaches ECS without the tasks' network.
    var interfaceEndpoints: [(service: String, logicalID: String)] {
        let services = environment.services.map(\.value)
        let secretArns = services.flatMap(\.secrets.values)
        var endpoints = [("ecr.api", "EcrApiEndpoint"), ("ecr.dkr", "EcrDkrEndpoint"), ("logs", "LogsEndpoint")]
        if secretArns.contains(where: { $0.contains(":secretsmanager:") }) { endpoints.append(("secretsmanager", "SecretsManagerEndpoint")) }
        if secretArns.contains(where: { $0.contains(":ssm:") }) { endpoints.append(("ssm", "SsmEndpoint")) }
        if services.contains(where: \.enableExecuteCommand) { endpoints.append(("ssmmessages", "SsmMessagesEndpoint")) }
        return endpoints
    }

    /// Adds the endpoints the tasks in the private subnets reach AWS through: S3 as a gateway
    /// endpoint on the private route tables, and `interfaceEndpoints` in the private subnets
    /// with private DNS, behind one security group that lets in HTTPS from the VPC's block only.
    func addEndpoints(
        vpc: ResourceReference, cidr: String, subnets: [Value<String>], routeTables: [Value<String>], to stack: inout Stack
    ) {
        stack.template.add(
            "S3Endpoint",
            EC2.VPCEndpoint(
                routeTableIds: .items(routeTables), serviceName: .sub("com.amazonaws.${AWS::Region}.s3"), vpcEndpointType: "Gateway",
                vpcId: vpc.ref))
        let group = stack.template.add(
            "EndpointSecurityGroup",
            EC2.SecurityGroup(
                groupDescription: .sub("${AWS::StackName} VPC endpoints: HTTPS from the VPC"),
                // Endpoints start no connection: this rule, to no address, replaces the default
                // that lets everything out (as CDK's allowAllOutbound: false writes it).
                securityGroupEgress: [
                    .init(
                        cidrIp: "255.255.255.255/32", description: "Disallow all traffic", fromPort: 252, ipProtocol: "icmp", toPort: 86)
                ],
                securityGroupIngress: [
                    .init(cidrIp: .literal(cidr), description: "HTTPS from the VPC", fromPort: 443, ipProtocol: "tcp", toPort: 443)
                ],
                tags: [.init(key: "Name", value: .sub("${AWS::StackName}-endpoints"))],
                vpcId: vpc.ref))
        for endpoint in interfaceEndpoints {
            stack.template.add(
                endpoint.logicalID,
                EC2.VPCEndpoint(
                    privateDnsEnabled: true, securityGroupIds: [group.getAtt("GroupId")],
                    serviceName: .sub("com.amazonaws.${AWS::Region}.\(endpoint.service)"), subnetIds: .items(subnets),
                    vpcEndpointType: "Interface", vpcId: vpc.ref))
        }
    }
}
