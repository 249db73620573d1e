import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS
@testable import BerthDeploy

/// Scripted CloudFormation and ECS answers for blue/green rollouts: what deploy shows while
/// CloudFormation waits on the service, and what it says when an alarm rolls one back.
@Suite struct RolloutWatchTests {
    private static let serviceArn = "arn:aws:ecs:eu-west-1:123456789012:service/shop-dev/shop-dev-api"
    /// Far in the future, so that these events are newer than any deploy's start.
    private static let later = 4_102_444_800

    private static func service(running: Int, pending: Int, events: [(String, String)]) -> String {
        let list = events.map { #"{"id":"\#($0.0)","createdAt":\#($0.0 == "old" ? 1000 : later),"message":"\#($0.1)"}"# }
        return #"""
            {"services":[{"serviceArn":"\#(serviceArn)","deploymentConfiguration":{"strategy":"BLUE_GREEN"},\#
            "deployments":[{"id":"ecs-svc/2","status":"PRIMARY","taskDefinition":"arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-dev-api:8",\#
            "desiredCount":2,"runningCount":\#(running),"pendingCount":\#(pending),"rolloutState":"IN_PROGRESS"}],\#
            "events":[\#(list.reversed().joined(separator: ","))]}]}
            """#
    }

    private static func serviceDeployment(_ fields: String) -> String {
        #"{"serviceDeployments":[{"serviceDeploymentArn":"arn:aws:ecs:eu-west-1:123456789012:service-deployment/shop-dev/shop-dev-api/1",\#(fields)}]}"#
    }

    private static let listed = #"{"serviceDeployments":[{"serviceDeploymentArn":"arn:aws:ecs:eu-west-1:123456789012:service-deployment/shop-dev/shop-dev-api/1"}]}"#
    /// An older deployment listed first: the API reference promises no order.
    private static let listedOlderFirst =
        #"{"serviceDeployments":[{"serviceDeploymentArn":"arn:aws:ecs:eu-west-1:123456789012:service-deployment/shop-dev/shop-dev-api/0","createdAt":1764000000.0},"#
        + #"{"serviceDeploymentArn":"arn:aws:ecs:eu-west-1:123456789012:service-deployment/shop-dev/shop-dev-api/1","createdAt":1764003600.5}]}"#
    private static let steady = "(service shop-dev-api) has reached a steady state."
    private static let started = "(service shop-dev-api) has started 2 tasks: (task 0a1b) (task 2c3d)."
    private static let registered = "(service shop-dev-api) registered 2 targets in (target-group shop-api-alt)"

    private let deployment = StackDeployment(stackName: "shop-api-dev", templateBody: "{}", resourceCount: 2)

    @Test func aBlueGreenRolloutShowsItsStagesTasksAndServiceEvents() async throws {
        let fake = FakeCloudFormation(
            stackName: "shop-api-dev",
            statuses: ["UPDATE_COMPLETE", "UPDATE_IN_PROGRESS", "UPDATE_IN_PROGRESS", "UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"],
            eventBatches: [
                [.init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "UPDATE_COMPLETE", reason: nil)],
                [.init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "UPDATE_IN_PROGRESS", reason: "User Initiated"),
                 .init(logicalID: "Service", type: "AWS::ECS::Service", status: "UPDATE_IN_PROGRESS", reason: nil, physicalID: Self.serviceArn)],
                [],
                [],
                [.init(logicalID: "Service", type: "AWS::ECS::Service", status: "UPDATE_COMPLETE", reason: nil, physicalID: Self.serviceArn),
                 .init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "UPDATE_COMPLETE", reason: nil)],
            ],
            ecsAnswers: [
                "DescribeServices": [
                    Self.service(running: 0, pending: 2, events: [("old", Self.steady), ("e1", Self.started)]),
                    Self.service(running: 2, pending: 0, events: [("old", Self.steady), ("e1", Self.started), ("e2", Self.registered)]),
                    Self.service(running: 2, pending: 0, events: [("old", Self.steady), ("e1", Self.started), ("e2", Self.registered)]),
                ],
                "ListServiceDeployments": [Self.listed],
                "DescribeServiceDeployments": [
                    Self.serviceDeployment(#""status":"IN_PROGRESS","lifecycleStage":"SCALE_UP""#),
                    Self.serviceDeployment(#""status":"IN_PROGRESS","lifecycleStage":"PRODUCTION_TRAFFIC_SHIFT""#),
                    Self.serviceDeployment(#""status":"IN_PROGRESS","lifecycleStage":"BAKE_TIME""#),
                ],
            ])
        let report = StackDeployerTests.Report()
        let (deployer, server) = try StackDeployerTests.deployer(fake, report: report, clock: StackDeployerTests.ManualClock())
        #expect(try await deployer.deploy(deployment).result == .updated)
        #expect(report.all.filter { $0.hasPrefix("message: ") } == [
            "message: shop-api-dev: rollout IN_PROGRESS: 0/2 tasks running, 2 pending, shop-dev-api:8; stage SCALE_UP",
            "message: shop-api-dev: service event: \(Self.started)",
            "message: shop-api-dev: rollout IN_PROGRESS: 2/2 tasks running, shop-dev-api:8; stage PRODUCTION_TRAFFIC_SHIFT",
            "message: shop-api-dev: service event: \(Self.registered)",
            "message: shop-api-dev: rollout IN_PROGRESS: 2/2 tasks running, shop-dev-api:8; stage BAKE_TIME",
        ])
        // Once the service is done, ECS is not asked again.
        #expect(fake.calls.filter { $0 == "DescribeServices" }.count == 3)
        _ = server
    }

    @Test func anAlarmThatRollsBackIsNamed() async throws {
        let fake = FakeCloudFormation(
            stackName: "shop-api-dev",
            statuses: ["UPDATE_COMPLETE", "UPDATE_IN_PROGRESS", "UPDATE_ROLLBACK_IN_PROGRESS", "UPDATE_ROLLBACK_COMPLETE"],
            eventBatches: [
                [.init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "UPDATE_COMPLETE", reason: nil)],
                [.init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "UPDATE_IN_PROGRESS", reason: "User Initiated"),
                 .init(logicalID: "Service", type: "AWS::ECS::Service", status: "UPDATE_IN_PROGRESS", reason: nil, physicalID: Self.serviceArn)],
                [.init(
                    logicalID: "Service", type: "AWS::ECS::Service", status: "UPDATE_FAILED",
                    reason: "Resource handler returned message: \"Error occurred during operation 'ECS Deployment Rolled Back'\"",
                    physicalID: Self.serviceArn)],
                [.init(logicalID: "shop-api-dev", type: "AWS::CloudFormation::Stack", status: "UPDATE_ROLLBACK_COMPLETE", reason: nil)],
            ],
            ecsAnswers: [
                "DescribeServices": [Self.service(running: 2, pending: 0, events: [("e1", Self.started)])],
                "ListServiceDeployments": [Self.listedOlderFirst],
                "DescribeServiceDeployments": [
                    Self.serviceDeployment(#""status":"IN_PROGRESS","lifecycleStage":"BAKE_TIME""#),
                    Self.serviceDeployment(
                        #""status":"ROLLBACK_IN_PROGRESS","lifecycleStage":"PRODUCTION_TRAFFIC_SHIFT","rollback":{"reason":"Alarm triggered"},"alarms":{"status":"TRIGGERED","triggeredAlarmNames":["shop-prod-api-5xx"]}"#),
                ],
            ])
        let report = StackDeployerTests.Report()
        let (deployer, server) = try StackDeployerTests.deployer(fake, report: report, clock: StackDeployerTests.ManualClock())
        await #expect {
            _ = try await deployer.deploy(deployment)
        } throws: { error in
            "\(error)".contains("Service (AWS::ECS::Service) UPDATE_FAILED") && "\(error)".contains("Recently stopped tasks")
        }
        let messages = report.all.filter { $0.hasPrefix("message: ") }
        // Deployments older than the service's event (10:00:00, less a minute) are not listed;
        // of those listed, the newest is the one described.
        let listing = try #require(fake.ecsRequests("ListServiceDeployments").first)
        let filter = try #require(try JSONSerialization.jsonObject(with: Data(listing.utf8)) as? [String: Any])
        #expect((filter["createdAt"] as? [String: Any])?["after"] as? Double == 1_795_341_540, "\(listing)")
        let described = fake.ecsRequests("DescribeServiceDeployments").first?.replacingOccurrences(of: #"\/"#, with: "/")
        #expect(described?.contains("shop-dev-api/1") == true && described?.contains("shop-dev-api/0") == false, "\(described ?? "none")")
        #expect(messages.contains("message: shop-api-dev: rolled back: alarm shop-prod-api-5xx went off"))
        #expect(messages.contains(
            "message: shop-api-dev: rollout IN_PROGRESS: 2/2 tasks running, shop-dev-api:8; stage PRODUCTION_TRAFFIC_SHIFT (ROLLBACK_IN_PROGRESS)"))
        #expect(messages.filter { $0.contains("went off") }.count == 1)
        // The stopped tasks are looked up in the cluster named by the service's ARN.
        #expect(fake.calls.contains("ListTasks"))
        _ = server
    }

    @Test func theCircuitBreakerAndAFailedRollingDeploymentAreNamed() {
        let breaker = ECSClient.ServiceDeployment(
            serviceDeploymentArn: nil, status: "ROLLBACK_SUCCESSFUL", statusReason: nil, lifecycleStage: nil, targetServiceRevision: nil,
            rollback: .init(reason: "circuit breaker"), alarms: nil, deploymentCircuitBreaker: .init(status: "TRIGGERED", failureCount: 3, threshold: 3))
        #expect(RolloutWatch.rollbackCause(breaker, service: nil) == "rolled back by the circuit breaker: 3 tasks failed (threshold 3)")
        #expect(StackDeployer.RolloutProgress.cluster(ofServiceArn: "arn:aws:ecs:eu-west-1:123456789012:service/shop-dev/shop-dev-api") == "shop-dev")
        #expect(StackDeployer.RolloutProgress.cluster(ofServiceArn: "arn:aws:ecs:eu-west-1:123456789012:service/shop-dev-api") == nil)
        #expect(StackDeployer.RolloutProgress.cluster(ofServiceArn: "shop-dev-api") == nil)
    }
}
