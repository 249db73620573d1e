import BerthTemplate
import Testing

@testable import BerthResources

/// The parts `FargateService` is made of, each used alone: what the next kinds compose.
@Suite struct ServicePartsTests {
    private let environment = EnvironmentSettings(name: "dev", region: "eu-west-1")

    private func stack() -> Stack {
        Stack(name: "shop-report-dev", phase: .ecs, environment: "dev", region: "eu-west-1", description: "test")
    }

    @Test func aTaskDefinitionAndAPlacementMakeATaskWithoutAService() {
        var stack = stack()
        let settings = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512), kind: .worker)
        let task = FargateTaskDefinition(
            name: "report", qualifiedName: "shop-dev-report", settings: settings, containerPort: nil, repositoryStack: "shop-report-ecr")
        let tasks = task.add(to: &stack)
        let placed = TaskPlacement(name: "report", environment: environment, sharedStack: "shop-dev").add(to: &stack)
        task.addOutputs(tasks, to: &stack)
        #expect(stack.template.resources.map(\.name) == [
            "LogGroup", "TaskExecutionRole", "TaskRole", "TaskDefinition", "ServiceSecurityGroup",
        ])
        #expect(stack.template.outputs.map(\.name) == ["LogGroupName"])
        #expect(placed.securityGroup.logicalID == "ServiceSecurityGroup")
        let container = stack.template.resource("TaskDefinition")?.properties["ContainerDefinitions"]?.elements?.first
        #expect(container?["PortMappings"] == nil)
        #expect(stack.validate().isEmpty)
    }

    @Test func anECSServiceWithoutAnAttachmentTakesNoRequestsFromALoadBalancer() {
        var stack = stack()
        let settings = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512), kind: .web)
        let task = FargateTaskDefinition(
            name: "backend", qualifiedName: "shop-dev-backend", settings: settings, containerPort: settings.containerPort,
            repositoryStack: "shop-backend-ecr")
        let tasks = task.add(to: &stack)
        let placed = TaskPlacement(name: "backend", environment: environment, sharedStack: "shop-dev").add(to: &stack)
        let service = ECSService(containerName: "backend", settings: settings, rollout: ServiceRollout(settings))
            .add(taskDefinition: tasks.taskDefinition, placement: placed, loadBalancing: nil, to: &stack)
        #expect(service.logicalID == "Service")
        let properties = stack.template.resource("Service")?.properties
        #expect(properties?["LoadBalancers"] == nil)
        #expect(properties?["HealthCheckGracePeriodSeconds"] == nil)
        #expect(stack.template.parameters.map(\.name).contains("ListenerArn") == false)
        let container = stack.template.resource("TaskDefinition")?.properties["ContainerDefinitions"]?.elements?.first
        #expect(container?["PortMappings"] != nil)
        #expect(stack.validate().isEmpty)
    }
}
