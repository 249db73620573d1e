import BerthTemplate
import Testing

@testable import BerthResources

@Suite struct RolloutTests {
    private func service(
        _ strategy: FargateService.Rollout.Strategy, loadBalancer: FargateService.LoadBalancerChoice = .shared,
        kind: FargateService.Kind = .web, configure: (inout FargateService.Rollout) -> Void = { _ in }
    ) -> FargateService {
        var settings = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512), kind: kind)
        settings.loadBalancer = loadBalancer
        settings.rollout.strategy = strategy
        configure(&settings.rollout)
        return FargateService(
            name: "api", qualifiedName: "shop-dev-api", environment: EnvironmentSettings(name: "dev", region: "eu-west-1"),
            settings: settings, repositoryStack: "shop-api-ecr", repositoryName: "shop/api", sharedStack: "shop-dev",
            rulePriority: kind == .web && loadBalancer == .shared ? 20 : nil)
    }

    private func build(_ service: FargateService) -> Stack {
        var stack = Stack(name: "shop-api-dev", phase: .ecs, environment: "dev", region: "eu-west-1", description: "test")
        service.add(to: &stack)
        return stack
    }

    @Test func rollingKeepsOneTargetGroupAndNoStrategyKey() throws {
        let template = build(service(.rolling)).template
        let configuration = try #require(template.resource("Service")?.properties["DeploymentConfiguration"])
        #expect(configuration["Strategy"] == nil)
        #expect(configuration["BakeTimeInMinutes"] == nil)
        #expect(template.resource("AlternateTargetGroup") == nil)
        #expect(template.resource("LoadBalancerRole") == nil)
        #expect(template.resource("ListenerRule")?.properties["Actions"] == [["TargetGroupArn": ["Ref": "TargetGroup"], "Type": "forward"]])
    }

    @Test func blueGreenOnTheSharedLoadBalancerShiftsTheRuleBetweenTwoTargetGroups() throws {
        let stack = build(service(.blueGreen) { $0.bakeTimeMinutes = 15 })
        #expect(stack.validate().isEmpty)
        let template = stack.template
        let configuration = try #require(template.resource("Service")?.properties["DeploymentConfiguration"])
        #expect(configuration["Strategy"] == "BLUE_GREEN")
        #expect(configuration["BakeTimeInMinutes"] == 15)
        #expect(configuration["DeploymentCircuitBreaker"] == ["Enable": true, "Rollback": true])
        #expect(template.resource("AlternateTargetGroup")?.properties == template.resource("TargetGroup")?.properties)
        let rule = try #require(template.resource("ListenerRule"))
        #expect(rule.properties["Actions"] == [
            [
                "ForwardConfig": ["TargetGroups": [
                    ["TargetGroupArn": ["Ref": "TargetGroup"], "Weight": 100],
                    ["TargetGroupArn": ["Ref": "AlternateTargetGroup"], "Weight": 0],
                ]],
                "Type": "forward",
            ]
        ])
        let loadBalancer = try #require(template.resource("Service")?.properties["LoadBalancers"]?.elements?.first)
        #expect(loadBalancer["AdvancedConfiguration"] == [
            "AlternateTargetGroupArn": ["Ref": "AlternateTargetGroup"], "ProductionListenerRule": ["Ref": "ListenerRule"],
            "RoleArn": ["Fn::GetAtt": ["LoadBalancerRole", "Arn"]],
        ])
        #expect(template.resource("Service")?.dependsOn.isEmpty == true)
        let role = try #require(template.resource("LoadBalancerRole"))
        #expect(role.properties["ManagedPolicyArns"] == [
            ["Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers"]
        ])
        let trust = role.properties["AssumeRolePolicyDocument"]?["Statement"]?.elements?.first
        #expect(trust?["Principal"] == ["Service": "ecs.amazonaws.com"])
        #expect(trust?["Condition"] == ["StringEquals": ["aws:SourceAccount": ["Ref": "AWS::AccountId"]]])
    }

    @Test func canaryAndLinearCarryTheirSteps() throws {
        let canary = build(service(.canary) { $0.canaryPercent = 5; $0.canaryBakeTimeMinutes = 10 }).template
        let canaryConfiguration = try #require(canary.resource("Service")?.properties["DeploymentConfiguration"])
        #expect(canaryConfiguration["Strategy"] == "CANARY")
        #expect(canaryConfiguration["CanaryConfiguration"] == ["CanaryBakeTimeInMinutes": 10, "CanaryPercent": .double(5)])
        #expect(canaryConfiguration["LinearConfiguration"] == nil)
        let linear = build(service(.linear) { $0.linearStepPercent = 20; $0.linearStepBakeTimeMinutes = 3 }).template
        let linearConfiguration = try #require(linear.resource("Service")?.properties["DeploymentConfiguration"])
        #expect(linearConfiguration["Strategy"] == "LINEAR")
        #expect(linearConfiguration["LinearConfiguration"] == ["StepBakeTimeInMinutes": 3, "StepPercent": .double(20)])
        #expect(linearConfiguration["CanaryConfiguration"] == nil)
    }

    @Test func alarmsRollTheDeploymentBack() throws {
        let template = build(service(.canary) { $0.alarms = ["api-5xx", "api-latency"] }).template
        #expect(template.resource("Service")?.properties["DeploymentConfiguration"]?["Alarms"] == [
            "AlarmNames": ["api-5xx", "api-latency"], "Enable": true, "Rollback": true,
        ])
    }

    @Test func blueGreenWithItsOwnLoadBalancerGetsProductionAndTestRules() throws {
        let stack = build(service(.blueGreen, loadBalancer: .dedicated) { $0.testPort = 8443 })
        #expect(stack.validate().isEmpty)
        let template = stack.template
        let test = try #require(template.resource("TestListener"))
        #expect(test.properties["Port"] == 8443)
        #expect(template.resource("ListenerRule")?.properties["ListenerArn"] == ["Ref": "HttpListener"])
        #expect(template.resource("TestListenerRule")?.properties["ListenerArn"] == ["Ref": "TestListener"])
        let advanced = template.resource("Service")?.properties["LoadBalancers"]?.elements?.first?["AdvancedConfiguration"]
        #expect(advanced?["ProductionListenerRule"] == ["Ref": "ListenerRule"])
        #expect(advanced?["TestListenerRule"] == ["Ref": "TestListenerRule"])
        #expect(template.resource("Service")?.dependsOn == ["HttpListener"])
        let ports = template.resource("LoadBalancerSecurityGroup")?.properties["SecurityGroupIngress"]?.elements?.map { $0["FromPort"] }
        #expect(ports == [80, 8443])
    }

    @Test func rolloutMistakesAreAllReported() {
        let worker = service(.blueGreen, kind: .worker)
        #expect(worker.validate().map(\.location) == ["deployment.strategy"])
        let rollingBake = service(.rolling) { $0.bakeTimeMinutes = 5 }
        #expect(rollingBake.validate().map(\.message) == ["applies to blue-green, canary and linear, not rolling"])
        let badCanary = service(.canary) { $0.canaryPercent = 0; $0.canaryBakeTimeMinutes = 2000; $0.alarms = ["a", "a", ""] }
        #expect(badCanary.validate().map(\.location) == [
            "deployment.canary.percent", "deployment.canary.bakeTimeMinutes", "deployment", "deployment.alarms", "deployment.alarms",
        ])
        let badLinear = service(.linear) { $0.linearStepPercent = 1 }
        #expect(badLinear.validate().map(\.location) == ["deployment.linear.stepPercent"])
        let sharedTestPort = service(.blueGreen) { $0.testPort = 80 }
        #expect(sharedTestPort.validate().map(\.message) == [
            "a test listener needs the service's own load balancer (loadBalancer: dedicated)",
            "must be a port from 1 to 65535 other than the load balancer's 80 and 443, got 80",
        ])
        let canaryTestPort = service(.canary, loadBalancer: .dedicated) { $0.testPort = 9000 }
        #expect(canaryTestPort.validate().map(\.message) == ["a test listener is for blue-green deployments"])
    }

    @Test func theTotalWaitStaysWithinWhatCloudFormationWaits() {
        var rollout = FargateService.Rollout()
        rollout.strategy = .linear
        rollout.linearStepPercent = 30
        rollout.linearStepBakeTimeMinutes = 10
        rollout.bakeTimeMinutes = 20
        #expect(rollout.totalWaitMinutes == 4 * 10 + 20)
        let tooLong = service(.linear) { $0.linearStepPercent = 3; $0.linearStepBakeTimeMinutes = 60 }
        #expect(tooLong.validate().map(\.location) == ["deployment"])
    }

    /// Settings far out of their ranges (set in code, or a step percent of 1e-300 in a file) make
    /// the total wait saturate, so that validation reports them instead of trapping.
    @Test func theTotalWaitOfSettingsOutOfRangeSaturates() {
        var rollout = FargateService.Rollout()
        rollout.strategy = .linear
        rollout.linearStepPercent = 1e-300
        #expect(rollout.totalWaitMinutes == Int.max)
        rollout.linearStepPercent = 2e-17
        rollout.linearStepBakeTimeMinutes = 10
        #expect(rollout.totalWaitMinutes == Int.max)
        rollout.linearStepPercent = -5
        #expect(rollout.totalWaitMinutes == 0)
        rollout.strategy = .canary
        rollout.canaryBakeTimeMinutes = Int.max
        rollout.bakeTimeMinutes = Int.max
        #expect(rollout.totalWaitMinutes == Int.max)
        rollout.canaryBakeTimeMinutes = Int.min
        rollout.bakeTimeMinutes = -1
        #expect(rollout.totalWaitMinutes == Int.min)
        let tiny = service(.linear) { $0.linearStepPercent = 1e-300 }
        #expect(tiny.validate().map(\.location) == ["deployment.linear.stepPercent", "deployment"])
    }
}
