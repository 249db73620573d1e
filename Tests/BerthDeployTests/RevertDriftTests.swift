import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS
@testable import BerthDeploy

/// `deploy --revert-drift` against a scripted CloudFormation: moto has no drift-aware change
/// sets, so CreateChangeSet takes `DeploymentMode=REVERT_DRIFT` and DescribeChangeSet answers
/// with `ResourceDriftStatus` and each target's `Drift` (`ActualValue`, `PreviousValue`) and
/// `AfterValue`, as the CloudFormation API reference documents them.
@Suite struct RevertDriftTests {
    private static let driftedService = """
        <member><ResourceChange><Action>Modify</Action><LogicalResourceId>Service</LogicalResourceId>\
        <PhysicalResourceId>arn:aws:ecs:eu-west-1:123456789012:service/cluster-1/api</PhysicalResourceId>\
        <ResourceType>AWS::ECS::Service</ResourceType><Replacement>False</Replacement>\
        <ResourceDriftStatus>MODIFIED</ResourceDriftStatus><Details><member><Target><Attribute>Properties</Attribute>\
        <Name>DesiredCount</Name><Path>/Properties/DesiredCount</Path><RequiresRecreation>Never</RequiresRecreation>\
        <BeforeValue>5</BeforeValue><AfterValue>2</AfterValue><AttributeChangeType>Modify</AttributeChangeType>\
        <Drift><PreviousValue>2</PreviousValue><ActualValue>5</ActualValue></Drift></Target></member></Details>\
        </ResourceChange></member>
        """

    @Test func theDriftAwareChangeSetIsShownThenExecuted() async throws {
        let fake = FakeCloudFormation(
            stackName: "shop-api-dev", statuses: ["UPDATE_COMPLETE"],
            eventBatches: [
                [.init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "UPDATE_COMPLETE", reason: nil)],
                [.init(logicalID: "Service", type: "AWS::ECS::Service", status: "UPDATE_COMPLETE", reason: nil),
                 .init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "UPDATE_COMPLETE", reason: nil)],
            ],
            changes: Self.driftedService)
        let report = StackDeployerTests.Report(), clock = StackDeployerTests.ManualClock()
        let (deployer, server) = try StackDeployerTests.deployer(fake, report: report, clock: clock)
        var deployment = StackDeployment(stackName: "shop-api-dev", templateBody: "{}", resourceCount: 2)
        deployment.revertsDrift = true
        let (result, _) = try await deployer.deploy(deployment)
        #expect(result == .updated)
        let create = try #require(server.requests.first { $0.form["Action"] == "CreateChangeSet" })
        #expect(create.form["DeploymentMode"] == "REVERT_DRIFT")
        #expect(create.form["ChangeSetType"] == "UPDATE")
        // The values come only when asked for (the fake leaves them out otherwise, as CloudFormation does).
        let described = server.requests.filter { $0.form["Action"] == "DescribeChangeSet" }
        #expect(!described.isEmpty && described.allSatisfy { $0.form["IncludePropertyValues"] == "true" })
        // What it reverts comes before the execution's events.
        #expect(Array(report.all.prefix(4)) == [
            "planned: [\"Service\"]",
            "message: shop-api-dev: reverts drift in 1 resource:",
            "message:   AWS::ECS::Service Service",
            "message:     /Properties/DesiredCount: 5 → 2",
        ])
        #expect(report.all.dropFirst(4).first == "changing: shop-api-dev")
        #expect(report.all.dropFirst(5).allSatisfy { $0.hasPrefix("event: ") })
        // Drift is not in the template: the unchanged-template shortcut does not apply.
        #expect(!fake.calls.contains("GetTemplate"))
        #expect(fake.calls.filter { $0 == "ExecuteChangeSet" }.count == 1)
    }

    @Test func aPlainDeploySendsNoDeploymentMode() async throws {
        let fake = FakeCloudFormation(
            stackName: "shop-api-dev", statuses: [nil, "CREATE_COMPLETE"],
            eventBatches: [[], [.init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "CREATE_COMPLETE", reason: nil)]])
        let report = StackDeployerTests.Report(), clock = StackDeployerTests.ManualClock()
        let (deployer, server) = try StackDeployerTests.deployer(fake, report: report, clock: clock)
        var deployment = StackDeployment(stackName: "shop-api-dev", templateBody: "{}", resourceCount: 1)
        // A stack that does not exist yet has no drift: a create is a plain change set.
        deployment.revertsDrift = true
        _ = try await deployer.deploy(deployment)
        let create = try #require(server.requests.first { $0.form["Action"] == "CreateChangeSet" })
        #expect(create.form["ChangeSetType"] == "CREATE")
        #expect(create.form["DeploymentMode"] == nil)
        #expect(server.requests.filter { $0.form["Action"] == "DescribeChangeSet" }.allSatisfy { $0.form["IncludePropertyValues"] == nil })
    }

    @Test func thePreviewNamesDeletedResourcesAndSaysWhenNothingDrifted() {
        var deleted = ResourceChange(
            action: "Modify", logicalID: "Rule", physicalID: nil, resourceType: "AWS::EC2::SecurityGroupIngress", replacement: "True",
            scope: [], details: [])
        deleted.driftStatus = "DELETED"
        let inSync = ResourceChange(
            action: "Modify", logicalID: "Service", physicalID: nil, resourceType: "AWS::ECS::Service", replacement: "False", scope: [],
            details: [])
        #expect(DriftRevertPreview.lines(stack: "s", changes: [inSync, deleted]) == [
            "s: reverts drift in 1 resource:", "  AWS::EC2::SecurityGroupIngress Rule (deleted outside CloudFormation: created again)",
        ])
        #expect(DriftRevertPreview.lines(stack: "s", changes: [inSync]) == ["s: no drifted resource to revert"])
        // A task definition's environment, set by hand, may hold a secret: its values are not shown.
        var task = ResourceChange(
            action: "Modify", logicalID: "TaskDefinition", physicalID: nil, resourceType: "AWS::ECS::TaskDefinition", replacement: "True",
            scope: [], details: [])
        task.driftStatus = "MODIFIED"
        task.revertedProperties = [
            ("/Properties/ContainerDefinitions/0/Environment/1/Value", "hunter2", "changeme"), ("/Properties/ContainerDefinitions/0/Memory", "1024", "512"),
            ("/Properties/ContainerDefinitions/0/Environment/3", #"{"Name":"ADDED","Value":"x"}"#, nil),
        ]
        #expect(DriftRevertPreview.lines(stack: "s", changes: [task]) == [
            "s: reverts drift in 1 resource:", "  AWS::ECS::TaskDefinition TaskDefinition",
            "    /Properties/ContainerDefinitions/0/Environment/1/Value: (environment values, not shown) → (the template's)",
            "    /Properties/ContainerDefinitions/0/Memory: 1024 → 512",
            "    /Properties/ContainerDefinitions/0/Environment/3: (environment values, not shown) → (not set)",
        ])
    }
}
