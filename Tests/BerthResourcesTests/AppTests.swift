import BerthModel
import BerthTemplate
import Testing

@testable import BerthResources

@Suite struct AppTests {
    private func stack(_ name: String) -> Stack {
        var stack = Stack(name: name, phase: .ecr, region: "eu-west-1", description: "test")
        stack.template.addResource("Thing", Resource(type: "AWS::S3::Bucket"))
        return stack
    }

    @Test func stackNamesMustBeValidAndUnique() {
        var app = App(name: "shop")
        app.add(stack("shop-api-ecr"))
        app.add(stack("shop-api-ecr"))
        app.add(stack("shop_api"))
        let found = app.validate().map(\.description)
        #expect(found == [
            "shop-api-ecr: stack name: two stacks have this name",
            "shop_api: stack name: must start with a letter and hold only letters, digits and hyphens, at most 128 characters",
        ])
    }

    @Test func constructProblemsAreReportedWithTheStack() {
        var broken = stack("shop-api-dev")
        broken.report("cpu", "bad")
        var app = App(name: "shop")
        app.add(broken)
        #expect(app.validate().map(\.description) == ["shop-api-dev: cpu: bad"])
    }

    @Test func phasesAreOrderedAndNamed() {
        #expect(Phase.ecr < Phase.ecs)
        #expect(Phase.allCases.map(\.name) == ["ecr", "ecs"])
    }
}
