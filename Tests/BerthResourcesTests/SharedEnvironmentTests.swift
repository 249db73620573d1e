import BerthTemplate
import Testing

@testable import BerthResources

@Suite struct SharedEnvironmentTests {
    private func environment(_ kinds: [FargateService.Kind] = [.web]) -> EnvironmentSettings {
        var environment = EnvironmentSettings(name: "dev", region: "eu-west-1")
        for (index, kind) in kinds.enumerated() {
            environment.services.append(Named("s\(index)", FargateService.Settings(size: FargateSize(cpu: 256, memory: 512), kind: kind)))
        }
        return environment
    }

    private func build(_ environment: EnvironmentSettings) -> Stack {
        var stack = Stack(name: "shop-dev", phase: .ecs, environment: "dev", region: "eu-west-1", description: "test")
        SharedEnvironment(environment: environment, qualifiedName: "shop-dev").add(to: &stack)
        return stack
    }

    @Test func newVPCHasTwoPublicSubnetsInTwoZonesAndNoNAT() throws {
        var settings = environment()
        settings.network = .newVPC(cidr: "10.20.0.0/16")
        let stack = build(settings)
        #expect(stack.validate().isEmpty)
        let template = stack.template
        #expect(template.resources.filter { $0.value.type == "AWS::EC2::Subnet" }.count == 2)
        #expect(template.resources.allSatisfy { $0.value.type != "AWS::EC2::NatGateway" })
        #expect(template.resource("PublicSubnetA")?.properties["CidrBlock"] == "10.20.0.0/17")
        #expect(template.resource("PublicSubnetB")?.properties["CidrBlock"] == "10.20.128.0/17")
        #expect(template.resource("PublicSubnetB")?.properties["AvailabilityZone"] == ["Fn::Select": [1, ["Fn::GetAZs": ""]]])
        #expect(template.resource("PublicDefaultRoute")?.dependsOn == ["GatewayAttachment"])
        #expect(template.resource("LoadBalancer")?.dependsOn == ["GatewayAttachment"])
        let outputs = Dictionary(template.outputs.map { ($0.name, $0.value.value) }, uniquingKeysWith: { first, _ in first })
        #expect(outputs["TaskSubnetIds"] == ["Fn::Join": [",", [["Ref": "PublicSubnetA"], ["Ref": "PublicSubnetB"]]]])
        #expect(outputs["ClusterName"] == ["Ref": "Cluster"])
        #expect(outputs["ListenerArn"] == ["Ref": "HttpListener"])
    }

    @Test func theServicesMeetInAnHTTPNamespaceAndAGroupThatLetsNothingIn() throws {
        let stack = build(environment([.backend, .worker]))
        #expect(stack.validate().isEmpty)
        let template = stack.template
        let namespace = try #require(template.resource("ServiceConnectNamespace"))
        #expect(namespace.type == "AWS::ServiceDiscovery::HttpNamespace")
        #expect(namespace.properties["Name"] == "shop-dev")
        let group = try #require(template.resource("ServicesSecurityGroup"))
        #expect(group.properties["SecurityGroupIngress"] == nil)
        #expect(group.properties["VpcId"] == ["Ref": "Vpc"])
        #expect(!template.resources.contains { $0.value.type == "AWS::EC2::SecurityGroupIngress" })
        let outputs = Dictionary(template.outputs.map { ($0.name, $0.value.value) }, uniquingKeysWith: { first, _ in first })
        #expect(outputs["ServiceConnectNamespace"] == "shop-dev")
        #expect(outputs["ServicesSecurityGroupId"] == ["Ref": "ServicesSecurityGroup"])
        // No web service behind the shared load balancer: no load balancer.
        #expect(template.resource("LoadBalancer") == nil)
    }

    @Test func theListenerAnswers404ToWhatNoServiceTakes() throws {
        let listener = try #require(build(environment()).template.resource("HttpListener"))
        let action = listener.properties["DefaultActions"]?.elements?.first
        #expect(action?["Type"] == "fixed-response")
        #expect(action?["FixedResponseConfig"]?["StatusCode"] == "404")
    }

    @Test func httpsServesOnTheHTTPSListenerAndRedirectsHTTP() throws {
        var settings = environment()
        settings.https = .init(certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc")
        let template = build(settings).template
        #expect(template.resource("HttpListener")?.properties["DefaultActions"]?.elements?.first?["Type"] == "redirect")
        #expect(template.outputs.first { $0.name == "ListenerArn" }?.value.value == ["Ref": "HttpsListener"])
    }

    @Test func workersAloneNeedNoLoadBalancer() {
        let template = build(environment([.worker, .worker])).template
        #expect(template.resource("LoadBalancer") == nil)
        #expect(!template.outputs.map(\.name).contains("ListenerArn"))
        #expect(template.resource("Cluster") != nil)
    }

    @Test func existingVPCSubnetsAreOutputsAsGiven() {
        var settings = environment()
        settings.network = .existing(vpcID: "vpc-1", publicSubnetIDs: ["subnet-a", "subnet-b"], privateSubnetIDs: ["subnet-c"])
        let template = build(settings).template
        #expect(template.resource("Vpc") == nil)
        #expect(template.resource("LoadBalancer")?.properties["Subnets"] == ["subnet-a", "subnet-b"])
        let outputs = Dictionary(template.outputs.map { ($0.name, $0.value.value) }, uniquingKeysWith: { first, _ in first })
        #expect(outputs["VpcId"] == "vpc-1")
        #expect(outputs["TaskSubnetIds"] == ["Fn::Join": [",", ["subnet-c"]]])
        #expect(outputs["LoadBalancerSubnetIds"] == ["Fn::Join": [",", ["subnet-a", "subnet-b"]]])
    }

    @Test func invalidSharedSettingsAreAllReported() {
        var settings = environment()
        settings.network = .existing(
            vpcID: "vpc-1", publicSubnetIDs: ["subnet-0a1b2c3d", "subnet-0a1b2c3d"], privateSubnetIDs: ["sub-x", "subnet-0a1b2c3d"])
        settings.https = .init(certificateArn: "arn:aws:acm:eu-west-1:123:certificate/x")
        let problems = SharedEnvironment(environment: settings, qualifiedName: "shop-dev").validate()
        #expect(problems.map(\.location) == [
            "network.vpcId", "network.privateSubnetIds[0]", "network.publicSubnetIds[1]", "network.privateSubnetIds", "https.certificateArn",
        ])
        #expect(problems.map(\.message).contains("subnet-0a1b2c3d is listed twice"))
        #expect(problems.map(\.message).contains(
            "subnet-0a1b2c3d is also a public subnet; tasks go in private subnets, load balancers in public ones"))
    }
}
