import CloudFormation
import Testing

@testable import Resources

/// Every occurrence of `key` anywhere in `value`.
private func occurrences(of key: String, in value: JSONValue) -> [JSONValue] {
    switch value {
    case .object(let members):
        return members.flatMap { member in (member.key == key ? [member.value] : []) + occurrences(of: key, in: member.value) }
    case .array(let elements):
        return elements.flatMap { occurrences(of: key, in: $0) }
    default:
        return []
    }
}

@Suite struct FargateServiceTests {
    private func service() -> FargateService {
        var settings = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512))
        settings.environment = ["LOG_LEVEL": "debug", "A_FIRST": "1"]
        settings.secrets = ["DB": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"]
        return FargateService(name: "api", qualifiedName: "shop-dev-api", repositoryStack: "shop-api-ecr", settings: settings)
    }

    private func build(_ service: FargateService) -> Stack {
        var stack = Stack(name: "shop-api-dev", phase: .ecs, environment: "dev", region: "eu-west-1", description: "test")
        service.add(to: &stack)
        return stack
    }

    @Test func theStackIsValidAndUsesNoImports() {
        let stack = build(service())
        #expect(stack.validate().isEmpty)
        #expect(occurrences(of: "Fn::ImportValue", in: stack.template.templateValue).isEmpty)
    }

    @Test func repositoryAndImageComeFromParametersFilledAtDeployTime() {
        let stack = build(service())
        #expect(stack.template.parameters.map(\.name) == ["RepositoryUri", "RepositoryName", "ImageTag", "ImageDigest", "CommitSha", "BuildTime"])
        #expect(stack.parameterSources.map(\.value) == [
            .stackOutput(stack: "shop-api-ecr", output: "RepositoryUri"),
            .stackOutput(stack: "shop-api-ecr", output: "RepositoryName"),
            .imageGate(.tag), .imageGate(.digest), .buildMetadata("commit-sha"), .buildMetadata("build-time"),
        ])
        let container = stack.template.resource("TaskDefinition")?.properties["ContainerDefinitions"]?.elements?.first
        #expect(container?["Image"] == [
            "Fn::If": ["UseImageDigest", ["Fn::Sub": "${RepositoryUri}@${ImageDigest}"], ["Fn::Sub": "${RepositoryUri}:${ImageTag}"]]
        ])
        #expect(stack.template.conditions.first?.value == ["Fn::Not": [["Fn::Equals": [["Ref": "ImageDigest"], ""]]]])
    }

    @Test func environmentCarriesBuildMetadataSortedByName() {
        let container = build(service()).template.resource("TaskDefinition")?.properties["ContainerDefinitions"]?.elements?.first
        let names = container?["Environment"]?.elements?.compactMap { $0["Name"]?.stringValue }
        #expect(names == ["A_FIRST", "BUILD_TIME", "COMMIT_SHA", "IMAGE_TAG", "LOG_LEVEL"])
        #expect(container?["Environment"]?.elements?[3]["Value"] == ["Ref": "ImageTag"])
        #expect(container?["Secrets"] == [["Name": "DB", "ValueFrom": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"]])
    }

    @Test func executionRoleIsScopedToThisRepositoryLogGroupAndSecrets() throws {
        let role = try #require(build(service()).template.resource("TaskExecutionRole"))
        let statements = role.properties["Policies"]?.elements?.first?["PolicyDocument"]?["Statement"]?.elements ?? []
        let pull = try #require(statements.first { $0["Sid"] == "PullFromThisRepository" })
        #expect(pull["Resource"] == ["Fn::Sub": "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/${RepositoryName}"])
        let logs = try #require(statements.first { $0["Sid"] == "WriteToThisLogGroup" })
        #expect(logs["Resource"] == ["Fn::GetAtt": ["LogGroup", "Arn"]])
        let secrets = try #require(statements.first { $0["Sid"] == "ReadTheContainerSecrets" })
        #expect(secrets["Resource"] == ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"])
        // Only GetAuthorizationToken, which ECR cannot scope, is granted on every resource.
        let wildcard = statements.filter { $0["Resource"] == "*" }.map { $0["Action"] }
        #expect(wildcard == ["ecr:GetAuthorizationToken"])
    }

    @Test func tasksTakeTrafficFromTheLoadBalancerOnly() throws {
        let template = build(service()).template
        let ingress = try #require(template.resource("ServiceIngressFromLoadBalancer"))
        #expect(ingress.properties["SourceSecurityGroupId"] == ["Fn::GetAtt": ["LoadBalancerSecurityGroup", "GroupId"]])
        #expect(ingress.properties["FromPort"] == 8080)
        #expect(template.resource("ServiceSecurityGroup")?.properties["SecurityGroupIngress"] == nil)
        let albIngress = template.resource("LoadBalancerSecurityGroup")?.properties["SecurityGroupIngress"]?.elements ?? []
        #expect(albIngress.map { $0["FromPort"] } == [80])
    }

    @Test func serviceRollsBackOnFailedDeployments() throws {
        let service = try #require(build(service()).template.resource("Service"))
        #expect(service.properties["DeploymentConfiguration"]?["DeploymentCircuitBreaker"] == ["Enable": true, "Rollback": true])
        #expect(service.properties["DesiredCount"] == 1)
        #expect(service.dependsOn == ["HttpListener"])
    }

    @Test func httpsAddsAListenerAndRedirectsHTTP() throws {
        var settings = service()
        settings.settings.https = .init(certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc")
        let template = build(settings).template
        let http = try #require(template.resource("HttpListener"))
        #expect(http.properties["DefaultActions"]?.elements?.first?["Type"] == "redirect")
        let https = try #require(template.resource("HttpsListener"))
        #expect(https.properties["Certificates"] == [["CertificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/abc"]])
        #expect(template.resource("Service")?.dependsOn == ["HttpListener", "HttpsListener"])
        let ports = template.resource("LoadBalancerSecurityGroup")?.properties["SecurityGroupIngress"]?.elements?.map { $0["FromPort"] }
        #expect(ports == [80, 443])
    }

    @Test func autoscalingLeavesDesiredCountToTheScalableTarget() throws {
        var settings = service()
        settings.settings.autoscaling = .init(minCount: 2, maxCount: 6, cpuTargetPercent: 55)
        let template = build(settings).template
        #expect(template.resource("Service")?.properties["DesiredCount"] == nil)
        let target = try #require(template.resource("ScalableTarget"))
        #expect(target.properties["MinCapacity"] == 2)
        #expect(target.properties["ResourceId"] == ["Fn::Sub": "service/${Cluster}/${Service.Name}"])
        let policy = try #require(template.resource("CpuScalingPolicy"))
        #expect(policy.properties["TargetTrackingScalingPolicyConfiguration"]?["TargetValue"] == .double(55))
    }

    @Test func newVPCHasTwoPublicSubnetsInTwoZonesAndNoNAT() throws {
        var settings = service()
        settings.settings.network = .newVPC(cidr: "10.20.0.0/16")
        let stack = build(settings)
        let template = stack.template
        #expect(template.resources.filter { $0.value.type == "AWS::EC2::Subnet" }.count == 2)
        #expect(template.resources.allSatisfy { $0.value.type != "AWS::EC2::NatGateway" })
        let subnetA = try #require(template.resource("PublicSubnetA"))
        let subnetB = try #require(template.resource("PublicSubnetB"))
        #expect(subnetA.properties["CidrBlock"] == "10.20.0.0/17")
        #expect(subnetB.properties["CidrBlock"] == "10.20.128.0/17")
        #expect(subnetB.properties["AvailabilityZone"] == ["Fn::Select": [1, ["Fn::GetAZs": ""]]])
        #expect(template.resource("PublicDefaultRoute")?.dependsOn == ["GatewayAttachment"])
        let awsvpc = template.resource("Service")?.properties["NetworkConfiguration"]?["AwsvpcConfiguration"]
        #expect(awsvpc?["AssignPublicIp"] == "ENABLED")
    }

    @Test func existingVPCPutsTasksInPrivateSubnets() {
        var settings = service()
        settings.settings.network = .existing(vpcID: "vpc-1", publicSubnetIDs: ["subnet-a", "subnet-b"], privateSubnetIDs: ["subnet-c"])
        let template = build(settings).template
        #expect(template.resource("Vpc") == nil)
        #expect(template.resource("LoadBalancer")?.properties["Subnets"] == ["subnet-a", "subnet-b"])
        let awsvpc = template.resource("Service")?.properties["NetworkConfiguration"]?["AwsvpcConfiguration"]
        #expect(awsvpc?["Subnets"] == ["subnet-c"])
        #expect(awsvpc?["AssignPublicIp"] == "DISABLED")
    }

    @Test func invalidSettingsAreAllReported() {
        var settings = service()
        settings.settings.size = FargateSize(cpu: 256, memory: 4096)
        settings.settings.environment["IMAGE_TAG"] = "mine"
        settings.settings.environment["1BAD"] = "x"
        settings.settings.secrets["TOKEN"] = "plain-text-secret"
        settings.settings.healthCheck.timeoutSeconds = 20
        settings.settings.healthCheck.matcher = "200-100"
        settings.settings.network = .existing(vpcID: "vpc-1", publicSubnetIDs: ["subnet-a"], privateSubnetIDs: [])
        settings.settings.autoscaling = .init(minCount: 5, maxCount: 2, cpuTargetPercent: 60)
        settings.settings.https = .init(certificateArn: "not-an-arn")
        settings.settings.logRetentionDays = 10
        let locations = settings.validate().map(\.location)
        #expect(locations == [
            "cpu", "healthCheck.matcher", "healthCheck.timeoutSeconds", "environment.1BAD", "environment.IMAGE_TAG",
            "secrets.TOKEN", "logs.retentionDays", "network.publicSubnetIds", "autoscaling.maxCount", "https.certificateArn",
        ])
        let secretMessage = settings.validate().first { $0.location == "secrets.TOKEN" }?.message
        #expect(secretMessage == "must be the ARN of a Secrets Manager secret or an SSM parameter, got \"plain-text-secret\"")
    }

    @Test func cidrBlocksSplitInHalves() {
        #expect(IPv4Block("10.0.0.0/16")?.halves().map(\.description) == ["10.0.0.0/17", "10.0.128.0/17"])
        #expect(IPv4Block("192.168.4.0/24")?.halves().map(\.description) == ["192.168.4.0/25", "192.168.4.128/25"])
        #expect(IPv4Block("10.0.0.1/16") == nil)
        #expect(IPv4Block("10.0.0.0/33") == nil)
        #expect(IPv4Block("10.0.0/16") == nil)
        #expect(IPv4Block("300.0.0.0/8") == nil)
    }
}
