import BerthModel
import BerthTestSupport
import Foundation
import Testing

@testable import BerthAWS
@testable import BerthDeploy

/// What `berth status` says of a service's deployments, from DescribeServices answers scripted
/// from the ECS API reference.
@Suite struct ServiceStatusRolloutTests {
    /// While the circuit breaker rolls a failed deployment back, ECS lists its rollback
    /// (IN_PROGRESS, the newest) and the deployment that failed (FAILED): status says both.
    @Test func aDeploymentTheCircuitBreakerRollsBackIsSaidToHaveFailed() async throws {
        let server = try TestHTTPServer { request in
            let json = [("Content-Type", "application/x-amz-json-1.1")]
            switch request.headers["x-amz-target"]?.split(separator: ".").last {
            case "DescribeServices":
                return .respond(status: 200, headers: json, body: """
                    {"services":[{"serviceName":"api","desiredCount":2,"runningCount":2,"pendingCount":0,
                    "taskDefinition":"arn:aws:ecs:eu-west-1:123456789012:task-definition/app-api-dev:7",
                    "deployments":[
                      {"id":"ecs-svc/2","status":"PRIMARY","rolloutState":"IN_PROGRESS","rolloutStateReason":"ECS deployment ecs-svc/2 in progress.",
                       "taskDefinition":"arn:aws:ecs:eu-west-1:123456789012:task-definition/app-api-dev:7","createdAt":1764950500},
                      {"id":"ecs-svc/1","status":"ACTIVE","rolloutState":"FAILED","rolloutStateReason":"ECS deployment circuit breaker: tasks failed to start.",
                       "taskDefinition":"arn:aws:ecs:eu-west-1:123456789012:task-definition/app-api-dev:8","createdAt":1764950400}]}],"failures":[]}
                    """)
            case "ListTasks":
                return .respond(status: 200, headers: json, body: #"{"taskArns":[]}"#)
            case .some:
                return .respond(status: 200, headers: json, body: "{}")
            case nil:
                return .queryResult(
                    "DescribeStacks",
                    "<Stacks><member><StackName>app-api-dev</StackName><StackId>arn:stack/1</StackId><StackStatus>UPDATE_COMPLETE</StackStatus>"
                        + "<Parameters><member><ParameterKey>ClusterName</ParameterKey><ParameterValue>app-dev</ParameterValue></member></Parameters>"
                        + "<Outputs><member><OutputKey>ServiceName</OutputKey><OutputValue>api</OutputValue></member></Outputs>"
                        + "\(TestHTTPServer.Reply.stackTags([StackTags.appKey: "app"]))</member></Stacks>")
            }
        }
        defer { server.stop() }
        let stack = try #require(try samplePlan(app: "app").selecting(.init(phases: [.ecs], environment: "dev")).stacks.first { $0.service == "api" })
        let status = try await ServiceStatus.read(stack, sharedStack: nil, clients: ForeignStackTests.clients(try ForeignStackTests.configuration(server)))
        #expect(status.rolloutState == "IN_PROGRESS")
        #expect(status.notes.contains("a deployment is still rolling out"), "\(status.notes)")
        #expect(
            status.notes.contains("an earlier deployment (app-api-dev:8) failed: ECS deployment circuit breaker: tasks failed to start."),
            "\(status.notes)")
    }
}
