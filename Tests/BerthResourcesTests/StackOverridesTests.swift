import BerthTemplate
import Testing

@testable import BerthResources

@Suite struct StackOverridesTests {
    private func stack() -> Stack {
        var stack = Stack(name: "shop-api-dev", phase: .ecs, environment: "dev", region: "eu-west-1", description: "test")
        stack.template.addResource(
            "Task", Resource(type: "AWS::ECS::TaskDefinition", properties: ["ContainerDefinitions": [["Name": "api", "Cpu": 128]]]))
        return stack
    }

    @Test func overridesSetAndRemovePropertiesByPath() {
        var stack = stack()
        stack.override("Task", "ContainerDefinitions.0.Cpu", with: 256)
        stack.override("Task", "ContainerDefinitions.0.LinuxParameters.InitProcessEnabled", with: true)
        stack.override("Task", "PidMode", with: "task")
        stack.removeProperty("Task", "ContainerDefinitions.0.Name")
        #expect(stack.validate().isEmpty)
        #expect(stack.template.resource("Task")?.properties == [
            "ContainerDefinitions": [["Cpu": 256, "LinuxParameters": ["InitProcessEnabled": true]]], "PidMode": "task",
        ])
    }

    @Test func overridesThatMissAreProblemsNotNoOps() {
        var stack = stack()
        stack.override("Taks", "Cpu", with: 1)
        stack.override("Task", "ContainerDefinitions.3.Cpu", with: 1)
        stack.override("Task", "ContainerDefinitions.0.Name.First", with: 1)
        stack.removeProperty("Task", "Memory")
        stack.override("Task", "", with: 1)
        #expect(stack.validate().map(\.location) == [
            "Resources.Taks.Properties.Cpu", "Resources.Task.Properties.ContainerDefinitions.3.Cpu",
            "Resources.Task.Properties.ContainerDefinitions.0.Name.First", "Resources.Task.Properties.Memory", "Resources.Task.Properties.",
        ])
        #expect(stack.validate().first?.message == "no resource Taks to override; the stack has Task")
        #expect(stack.template.resource("Task")?.properties == ["ContainerDefinitions": [["Name": "api", "Cpu": 128]]])
    }

    /// JSON has no NaN or infinity: such a number would be written as null.
    @Test func aNumberThatIsNotFiniteIsAProblem() {
        var stack = stack()
        stack.override("Task", "ContainerDefinitions.0.Cpu", with: Double.nan)
        stack.override("Task", "Tags", with: JSONValue.array([["Value": .double(.infinity)]]))
        #expect(stack.validate().map(\.message) == Array(repeating: "a number that is not finite (NaN or infinity), which a template cannot hold", count: 2))
        #expect(stack.template.resource("Task")?.properties == ["ContainerDefinitions": [["Name": "api", "Cpu": 128]]])
    }
}
