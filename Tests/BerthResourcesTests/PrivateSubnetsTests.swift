import BerthTemplate
import Testing

@testable import BerthResources

/// A new VPC with private subnets (`network.privateSubnets`, the default under
/// `controls: control-tower`): the tasks run in two private subnets without public IPs and reach
/// AWS through VPC endpoints, the load balancer stays in the public subnets.
@Suite struct PrivateSubnetsTests {
    private func environment(_ configure: (inout FargateService.Settings) -> Void = { _ in }) -> EnvironmentSettings {
        var environment = EnvironmentSettings(name: "dev", region: "eu-west-1")
        environment.network = .newVPC(cidr: "10.20.0.0/16", privateSubnets: true)
        var settings = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512))
        configure(&settings)
        environment.services = [.init("api", settings)]
        return environment
    }

    private func shared(_ environment: EnvironmentSettings) -> Stack {
        var stack = Stack(name: "shop-dev", phase: .ecs, environment: "dev", region: "eu-west-1", description: "test")
        SharedEnvironment(environment: environment, qualifiedName: "shop-dev").add(to: &stack)
        return stack
    }

    private func endpointServices(_ template: Template) -> [JSONValue] {
        template.resources.filter { $0.value.type == "AWS::EC2::VPCEndpoint" }.compactMap { $0.value.properties["ServiceName"]?["Fn::Sub"] }
    }

    @Test func tasksRunInTwoPrivateSubnetsWithTheirOwnRouteTablesAndNoWayOut() throws {
        let stack = shared(environment())
        #expect(stack.validate().isEmpty)
        let template = stack.template
        #expect(template.resources.filter { $0.value.type == "AWS::EC2::Subnet" }.count == 4)
        #expect(template.resources.allSatisfy { $0.value.type != "AWS::EC2::NatGateway" })
        #expect(template.resource("PublicSubnetA")?.properties["CidrBlock"] == "10.20.0.0/18")
        #expect(template.resource("PublicSubnetB")?.properties["CidrBlock"] == "10.20.64.0/18")
        #expect(template.resource("PrivateSubnetA")?.properties["CidrBlock"] == "10.20.128.0/18")
        #expect(template.resource("PrivateSubnetB")?.properties["CidrBlock"] == "10.20.192.0/18")
        for (index, letter) in ["A", "B"].enumerated() {
            let subnet = try #require(template.resource("PrivateSubnet\(letter)"))
            #expect(subnet.properties["MapPublicIpOnLaunch"] == false)
            #expect(subnet.properties["AvailabilityZone"] == ["Fn::Select": [.int(index), ["Fn::GetAZs": ""]]])
            let association = try #require(template.resource("PrivateSubnet\(letter)RouteTableAssociation"))
            #expect(association.properties["RouteTableId"] == ["Ref": .string("PrivateRouteTable\(letter)")])
            #expect(association.properties["SubnetId"] == ["Ref": .string("PrivateSubnet\(letter)")])
        }
        // The only route is the public route table's; the private ones have none out of the VPC.
        let routes = template.resources.filter { $0.value.type == "AWS::EC2::Route" }
        #expect(routes.map { $0.value.properties["RouteTableId"] } == [["Ref": "PublicRouteTable"]])
        let outputs = Dictionary(template.outputs.map { ($0.name, $0.value.value) }, uniquingKeysWith: { first, _ in first })
        #expect(outputs["TaskSubnetIds"] == ["Fn::Join": [",", [["Ref": "PrivateSubnetA"], ["Ref": "PrivateSubnetB"]]]])
        #expect(outputs["LoadBalancerSubnetIds"] == ["Fn::Join": [",", [["Ref": "PublicSubnetA"], ["Ref": "PublicSubnetB"]]]])
        #expect(template.resource("LoadBalancer")?.properties["Subnets"] == [["Ref": "PublicSubnetA"], ["Ref": "PublicSubnetB"]])
    }

    @Test func imagesAndLogsGoThroughEndpointsThatOnlyTheVPCReaches() throws {
        let template = shared(environment()).template
        #expect(endpointServices(template) == [
            "com.amazonaws.${AWS::Region}.s3", "com.amazonaws.${AWS::Region}.ecr.api", "com.amazonaws.${AWS::Region}.ecr.dkr",
            "com.amazonaws.${AWS::Region}.logs",
        ])
        let s3 = try #require(template.resource("S3Endpoint"))
        #expect(s3.properties["VpcEndpointType"] == "Gateway")
        #expect(s3.properties["RouteTableIds"] == [["Ref": "PrivateRouteTableA"], ["Ref": "PrivateRouteTableB"]])
        for id in ["EcrApiEndpoint", "EcrDkrEndpoint", "LogsEndpoint"] {
            let endpoint = try #require(template.resource(id))
            #expect(endpoint.properties["VpcEndpointType"] == "Interface")
            #expect(endpoint.properties["PrivateDnsEnabled"] == true)
            #expect(endpoint.properties["SubnetIds"] == [["Ref": "PrivateSubnetA"], ["Ref": "PrivateSubnetB"]])
            #expect(endpoint.properties["SecurityGroupIds"] == [["Fn::GetAtt": ["EndpointSecurityGroup", "GroupId"]]])
            #expect(endpoint.properties["VpcId"] == ["Ref": "Vpc"])
        }
        let group = try #require(template.resource("EndpointSecurityGroup"))
        let ingress = group.properties["SecurityGroupIngress"]?.elements ?? []
        #expect(ingress.count == 1)
        #expect(ingress.first?["CidrIp"] == "10.20.0.0/16")
        #expect(ingress.first?["IpProtocol"] == "tcp" && ingress.first?["FromPort"] == 443 && ingress.first?["ToPort"] == 443)
        // Nothing else lets anything in to the endpoints.
        #expect(!template.resources.contains { $0.value.type == "AWS::EC2::SecurityGroupIngress" })
        #expect(group.properties["SecurityGroupEgress"]?.elements?.allSatisfy { $0["CidrIp"] == "255.255.255.255/32" } == true)
    }

    @Test func secretsAndExecAddTheirEndpointsOnlyWhenUsed() {
        let plain = endpointServices(shared(environment()).template)
        #expect(!plain.contains("com.amazonaws.${AWS::Region}.secretsmanager"))
        #expect(!plain.contains("com.amazonaws.${AWS::Region}.ssm"))
        #expect(!plain.contains("com.amazonaws.${AWS::Region}.ssmmessages"))

        let withSecret = endpointServices(
            shared(environment { $0.secrets = ["DB": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"] }).template)
        #expect(withSecret.contains("com.amazonaws.${AWS::Region}.secretsmanager"))
        #expect(!withSecret.contains("com.amazonaws.${AWS::Region}.ssm"))

        let withParameter = endpointServices(
            shared(environment { $0.secrets = ["TOKEN": "arn:aws:ssm:eu-west-1:123456789012:parameter/shop/token"] }).template)
        #expect(withParameter.contains("com.amazonaws.${AWS::Region}.ssm"))
        #expect(!withParameter.contains("com.amazonaws.${AWS::Region}.secretsmanager"))

        let withExec = shared(environment { $0.enableExecuteCommand = true }).template
        #expect(endpointServices(withExec).contains("com.amazonaws.${AWS::Region}.ssmmessages"))
        #expect(withExec.resource("SsmMessagesEndpoint")?.properties["PrivateDnsEnabled"] == true)
    }

    @Test func servicesAndJobsRunWithoutPublicIPs() throws {
        let settings = environment()
        #expect(!settings.tasksNeedPublicIP)
        var stack = Stack(name: "shop-api-dev", phase: .ecs, environment: "dev", region: "eu-west-1", description: "test")
        FargateService(
            name: "api", qualifiedName: "shop-dev-api", environment: settings, settings: settings.services[0].value,
            repositoryStack: "shop-api-ecr", repositoryName: "shop/api", sharedStack: "shop-dev", rulePriority: 10
        ).add(to: &stack)
        let service = try #require(stack.template.resources.first { $0.value.type == "AWS::ECS::Service" }?.value)
        #expect(service.properties["NetworkConfiguration"]?["AwsvpcConfiguration"]?["AssignPublicIp"] == "DISABLED")
        #expect(service.metadata?["guard"] == nil)

        var job = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512), kind: .job)
        job.job.command = ["bin/migrate"]
        var jobStack = Stack(name: "shop-migrate-dev", phase: .ecs, environment: "dev", region: "eu-west-1", description: "test")
        FargateService(
            name: "migrate", qualifiedName: "shop-dev-migrate", environment: settings, settings: job,
            repositoryStack: "shop-migrate-ecr", repositoryName: "shop/migrate", sharedStack: "shop-dev", rulePriority: 10
        ).add(to: &jobStack)
        let outputs = Dictionary(jobStack.template.outputs.map { ($0.name, $0.value.value) }, uniquingKeysWith: { first, _ in first })
        #expect(outputs["AssignPublicIp"] == "DISABLED")
        #expect(outputs["TaskSubnetIds"] == ["Ref": "TaskSubnetIds"])
    }

    @Test func theProfileChoosesPrivateSubnetsUnlessTheFileRefusesThem() {
        var settings = EnvironmentSettings(name: "dev", region: "eu-west-1")
        #expect(settings.tasksNeedPublicIP && !settings.makesPrivateSubnets)
        settings.controls = .controlTower
        #expect(!settings.tasksNeedPublicIP && settings.makesPrivateSubnets)
        settings.network = .newVPC(cidr: "10.0.0.0/16", privateSubnets: false)
        #expect(settings.tasksNeedPublicIP)
        let problems = SharedEnvironment(environment: settings, qualifiedName: "shop-dev").validate()
        #expect(problems.map(\.location) == ["network.privateSubnets"])
        #expect(problems.first?.message.contains("CT.ECS.PR.9 refuses this under controls: control-tower") == true)
    }

    @Test func fourSubnetsNeedAtLeastASlash26() {
        var settings = environment()
        settings.network = .newVPC(cidr: "10.20.0.0/27", privateSubnets: true)
        let problems = SharedEnvironment(environment: settings, qualifiedName: "shop-dev").validate()
        #expect(problems.map(\.location) == ["network.cidr"])
        #expect(problems.first?.message.contains("/16 to /26") == true)
        settings.network = .newVPC(cidr: "10.20.0.0/26", privateSubnets: true)
        #expect(SharedEnvironment(environment: settings, qualifiedName: "shop-dev").validate().isEmpty)
        #expect(shared(settings).template.resource("PrivateSubnetB")?.properties["CidrBlock"] == "10.20.0.48/28")
    }

    @Test func repositoriesInAnotherRegionAreRefused() {
        var settings = environment()
        settings.repositories = .init(account: nil, region: "us-east-1")
        let problems = SharedEnvironment(environment: settings, qualifiedName: "shop-dev").validate()
        #expect(problems.map(\.location) == ["repositories.region"])
        #expect(problems.first?.message.contains("cannot pull from us-east-1") == true)
        settings.repositories = .init(account: "210987654321", region: "eu-west-1")
        #expect(SharedEnvironment(environment: settings, qualifiedName: "shop-dev").validate().isEmpty)
    }

    @Test func sidecarsFromOutsideTheRegionsECRAreRefused() {
        let settings = environment()
        func problems(_ image: String) -> [(location: String, message: String)] {
            var service = FargateService(
                name: "api", qualifiedName: "shop-dev-api", environment: settings, settings: settings.services[0].value,
                repositoryStack: "shop-api-ecr", repositoryName: "shop/api", sharedStack: "shop-dev", rulePriority: 10)
            service.sidecars = [.init(name: "collector", image: image)]
            return service.validate().filter { $0.location == "sidecars.collector.image" }
        }
        #expect(problems("public.ecr.aws/aws-observability/aws-otel-collector:v0.43.1").first?.message.contains("cannot be pulled") == true)
        #expect(problems("123456789012.dkr.ecr.us-east-1.amazonaws.com/otel:v1").count == 1)
        #expect(problems("docker.io/library/nginx:1.27").count == 1)
        #expect(problems("123456789012.dkr.ecr.eu-west-1.amazonaws.com/otel:v1").isEmpty)
    }
}
