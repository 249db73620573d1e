import BerthModel
import BerthTemplate
import Testing

@testable import BerthResources

/// `permissionsBoundary`: every IAM role of an environment's stacks is bounded by the policy, the
/// roles an app's extension adds too; another environment's roles are not; and the bootstrap's
/// execution role makes and changes `<app>-*` roles only under the boundary its parameter names.
@Suite struct PermissionsBoundaryTests {
    private func app(boundary: String?) -> App {
        var settings = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512))
        settings.containerPort = 8080
        var job = FargateService.Settings(size: FargateSize(cpu: 256, memory: 512))
        job.kind = .job
        job.job.schedule = "cron(0 3 * * ? *)"
        var bounded = EnvironmentSettings(name: "prod", region: "eu-west-1")
        bounded.services = [Named("web", settings), Named("nightly", job)]
        bounded.permissionsBoundary = boundary
        var plain = EnvironmentSettings(name: "dev", region: "eu-west-1")
        plain.services = [Named("web", settings), Named("nightly", job)]
        var blueprint = AppBlueprint(name: "shop", environments: [plain, bounded])
        blueprint.extendServiceStack("web") { stack, _, _ in
            stack.template.add(
                "AuditRole",
                IAM.Role(assumeRolePolicyDocument: ["Version": "2012-10-17", "Statement": [["Effect": "Allow", "Principal": ["Service": "lambda.amazonaws.com"], "Action": "sts:AssumeRole"]]]))
        }
        return blueprint.build()
    }

    /// Each role of the app's stacks, `stack/logicalID`, with its boundary.
    private func boundaries(_ app: App) -> [String: JSONValue?] {
        var found: [String: JSONValue?] = [:]
        for stack in app.stacks {
            for resource in stack.template.resources where resource.value.type == IAM.Role.resourceType {
                found["\(stack.name)/\(resource.name)"] = resource.value.properties["PermissionsBoundary"]
            }
        }
        return found
    }

    @Test func everyRoleOfTheEnvironmentIsBoundedByName() {
        let app = app(boundary: "shop-boundary")
        #expect(app.validate().isEmpty, "\(app.validate())")
        let found = boundaries(app)
        let expected: JSONValue = Intrinsic.sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/shop-boundary").templateValue
        let prod = found.filter { $0.key.contains("-prod/") }
        // The tasks' roles of both, the schedule's, and the role the extension added.
        #expect(Set(prod.keys) == [
            "shop-web-prod/TaskExecutionRole", "shop-web-prod/TaskRole", "shop-web-prod/AuditRole",
            "shop-nightly-prod/TaskExecutionRole", "shop-nightly-prod/TaskRole", "shop-nightly-prod/ScheduleRole",
        ])
        for (role, boundary) in prod { #expect(boundary == expected, "\(role)") }
        let dev = found.filter { $0.key.contains("-dev/") }
        #expect(dev.count == 6)
        for (role, boundary) in dev { #expect(boundary == nil, "\(role)") }
    }

    @Test func aBoundaryNamedByItsARNIsTakenAsGiven() {
        let arn = "arn:aws:iam::123456789012:policy/boundaries/shop"
        let prod = boundaries(app(boundary: arn)).filter { $0.key.contains("-prod/") }
        #expect(!prod.isEmpty && prod.values.allSatisfy { $0 == .string(arn) })
        #expect(boundaries(app(boundary: nil)).values.allSatisfy { $0 == nil })
    }

    /// A statement's actions, written as one or as a list.
    private func actions(_ statement: JSONValue) -> [String] {
        statement["Action"]?.stringValue.map { [$0] } ?? statement["Action"]?.elements?.compactMap(\.stringValue) ?? []
    }

    @Test func theExecutionRoleMakesAndChangesRolesOnlyUnderTheBoundary() throws {
        let template = BootstrapTemplate(app: "shop").template
        #expect(template.parameters.contains { $0.name == "PermissionsBoundary" })
        let statements = try #require(
            template.resource("CloudFormationExecutionRole")?.properties["Policies"]?.elements?.first?["PolicyDocument"]?["Statement"]?.elements)
        func statement(_ sid: String) -> JSONValue? { statements.first { $0["Sid"] == .string(sid) } }
        let bounded = try #require(statement("ChangeTheAppsRolesWithinTheBoundary"))
        #expect(bounded["Action"]?.elements?.compactMap(\.stringValue) == ["iam:CreateRole", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy"])
        let condition = try #require(bounded["Condition"]?["Fn::If"]?.elements)
        #expect(condition.first == "HasPermissionsBoundary")
        #expect(condition[1]["StringEquals"]?["iam:PermissionsBoundary"]?["Fn::Sub"] == "arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/${PermissionsBoundary}")
        #expect(condition[2] == ["Ref": "AWS::NoValue"])
        #expect(statement("AttachTheECSInfrastructurePolicy")?["Condition"]?["Fn::If"]?.elements?[1]["StringEquals"] != nil)
        // No statement adds to a role outside the boundary. What only takes rights away stays
        // allowed on roles made before it, so that their stacks can still be updated and deleted.
        let unconditioned = statements.filter { $0["Condition"] == nil }.flatMap(actions)
        for action in ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary"] {
            #expect(!unconditioned.contains(action), "\(action)")
        }
        #expect(unconditioned.contains("iam:DeleteRolePolicy") && unconditioned.contains("iam:DeleteRole"))
        #expect(statement("DetachTheECSInfrastructurePolicy")?["Condition"]?["Fn::If"] == nil)
        // Removing a boundary: only without the parameter.
        let removal = try #require(statements.first { $0["Fn::If"] != nil }?["Fn::If"]?.elements)
        #expect(removal.first == "HasPermissionsBoundary" && removal[1] == ["Ref": "AWS::NoValue"])
        #expect(actions(removal[2]) == ["iam:DeleteRolePermissionsBoundary"])
        let always = statements.filter { $0["Fn::If"] == nil }.flatMap(actions)
        #expect(!always.contains("iam:DeleteRolePermissionsBoundary"))
    }
}
