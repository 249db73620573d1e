import BerthModel
import BerthTemplate
import BerthTestSupport
import Foundation
import Testing

@testable import BerthAWS
@testable import BerthDeploy

/// What `berth status` says of a service's deployments, from DescribeServices answers scripted
/// from the ECS API reference.
@Suite struct ServiceStatusRolloutTests {
    /// The status of app `app`'s dev service `api`, read from a server that answers each JSON
    /// operation (ECS, ECR) as `answers` gives it (`{}` when it gives none), and DescribeStacks with
    /// the stack in `stackStatus`, with `parameters` and its ServiceName output.
    private func status(
        _ answers: [String: (status: Int, body: String)], otherwise: (status: Int, body: String) = (200, "{}"), stackStatus: String = "UPDATE_COMPLETE",
        parameters: [String: String] = ["ClusterName": "app-dev"], outputs: Bool = true,
        repositoryCredentials: (any CredentialProvider)? = nil
    ) async throws -> ServiceStatus {
        let server = try TestHTTPServer { request in
            let json = [("Content-Type", "application/x-amz-json-1.1")]
            if let operation = request.headers["x-amz-target"]?.split(separator: ".").last.map(String.init) {
                let answer = answers[operation] ?? otherwise
                return .respond(status: answer.status, headers: json, body: answer.body)
            }
            let members = parameters.sorted { $0.key < $1.key }
                .map { "<member><ParameterKey>\($0.key)</ParameterKey><ParameterValue>\($0.value)</ParameterValue></member>" }.joined()
            return .queryResult(
                "DescribeStacks",
                "<Stacks><member><StackName>app-api-dev</StackName><StackId>arn:stack/1</StackId><StackStatus>\(stackStatus)</StackStatus>"
                    + "<CreationTime>2026-12-06T10:00:00Z</CreationTime><Parameters>\(members)</Parameters>"
                    + (outputs ? "<Outputs><member><OutputKey>ServiceName</OutputKey><OutputValue>api</OutputValue></member></Outputs>" : "")
                    + "\(TestHTTPServer.Reply.stackTags([StackTags.appKey: "app"]))</member></Stacks>")
        }
        defer { server.stop() }
        let stack = try #require(try samplePlan(app: "app").selecting(.init(phases: [.ecs], environment: "dev")).stacks.first { $0.service == "api" })
        let configuration = try ForeignStackTests.configuration(server)
        var repositories = configuration
        if let repositoryCredentials { repositories.credentials = repositoryCredentials }
        return try await ServiceStatus.read(
            stack, sharedStack: nil, clients: ForeignStackTests.clients(configuration), repositories: ECRClient(configuration: repositories))
    }

    /// While the circuit breaker rolls a failed deployment back, ECS lists its rollback
    /// (IN_PROGRESS, the newest) and the deployment that failed (FAILED): status says both.
    @Test func aDeploymentTheCircuitBreakerRollsBackIsSaidToHaveFailed() async throws {
        let status = try await status([
            "DescribeServices": (200, """
                {"services":[{"serviceName":"api","desiredCount":2,"runningCount":2,"pendingCount":0,
                "taskDefinition":"arn:aws:ecs:eu-west-1:123456789012:task-definition/app-api-dev:7",
                "deployments":[
                  {"id":"ecs-svc/2","status":"PRIMARY","rolloutState":"IN_PROGRESS","rolloutStateReason":"ECS deployment ecs-svc/2\\r\\n in progress.",
                   "taskDefinition":"arn:aws:ecs:eu-west-1:123456789012:task-definition/app-api-dev:7","createdAt":1764950500},
                  {"id":"ecs-svc/1","status":"ACTIVE","rolloutState":"FAILED","rolloutStateReason":"ECS deployment circuit breaker: tasks failed to start.",
                   "taskDefinition":"arn:aws:ecs:eu-west-1:123456789012:task-definition/app-api-dev:8","createdAt":1764950400}]}],"failures":[]}
                """),
            "ListTasks": (200, #"{"taskArns":[]}"#),
        ])
        #expect(status.rolloutState == "IN_PROGRESS")
        // ECS's free text, on one line as every other server text.
        #expect(status.rolloutReason == "ECS deployment ecs-svc/2 in progress.", "\(status.rolloutReason ?? "")")
        #expect(status.notes.contains("a deployment is still rolling out"), "\(status.notes)")
        #expect(
            status.notes.contains("an earlier deployment (app-api-dev:8) failed: ECS deployment circuit breaker: tasks failed to start."),
            "\(status.notes)")
    }

    /// A stack whose first create failed holds no deployment, but is there: status shows its
    /// status and what the next deploy does, not "not deployed".
    @Test func aStackWhoseFirstCreateFailedIsShownWithItsStatus() async throws {
        for (stackStatus, remains) in [("ROLLBACK_COMPLETE", false), ("ROLLBACK_FAILED", true), ("CREATE_FAILED", false)] {
            // No ECS or ECR call is made for it: every one would fail.
            let status = try await status([:], otherwise: (400, #"{"__type":"UnexpectedCall"}"#), stackStatus: stackStatus, parameters: [:], outputs: false)
            #expect(status.stackStatus == stackStatus)
            #expect(status.notes.first?.hasPrefix("the stack's first create failed (\(stackStatus)), so it runs no deployment") == true, "\(status.notes)")
            #expect(status.notes.first?.contains("resources its rollback could not delete may remain") == remains, "\(status.notes)")
            #expect(status.notes.first?.hasSuffix("the next deploy deletes the stack and creates it again") == true, "\(status.notes)")
        }
    }

    /// A repository that cannot be read (deleted, or no ECR rights in its account) leaves a note,
    /// not a failed command: the service's status is shown all the same.
    @Test func aRepositoryThatCannotBeReadLeavesANote() async throws {
        let digest = "sha256:" + String(repeating: "a", count: 64)
        let status = try await status(
            [
                "DescribeServices": (200, #"{"services":[{"serviceName":"api","desiredCount":1,"runningCount":1,"pendingCount":0,"deployments":[]}],"failures":[]}"#),
                "ListTasks": (200, #"{"taskArns":["arn:aws:ecs:eu-west-1:123456789012:task/app-dev/0a1b"]}"#),
                "DescribeTasks": (200, #"{"tasks":[{"taskArn":"arn:aws:ecs:eu-west-1:123456789012:task/app-dev/0a1b","containers":[{"name":"api","imageDigest":"\#(digest)"}]}],"failures":[]}"#),
                "DescribeImages": (400, #"{"__type":"RepositoryNotFoundException","message":"The repository with name 'app/api' does not exist"}"#),
            ], parameters: ["ClusterName": "app-dev", "ImageTag": "dev-1"])
        #expect(status.runningCount == 1 && status.imageDigest == digest && status.imageTag == "dev-1")
        #expect(
            status.notes == ["what dev-1 points to now in app/api could not be read: RepositoryNotFoundException: The repository with name 'app/api' does not exist"],
            "\(status.notes)")

        // Credentials not in the repositories' account (checked at this first call there).
        let elsewhere = try await self.status(
            [
                "DescribeServices": (200, #"{"services":[{"serviceName":"api","desiredCount":1,"runningCount":1,"pendingCount":0,"deployments":[]}],"failures":[]}"#),
                "ListTasks": (200, #"{"taskArns":["arn:aws:ecs:eu-west-1:123456789012:task/app-dev/0a1b"]}"#),
                "DescribeTasks": (200, #"{"tasks":[{"taskArn":"arn:aws:ecs:eu-west-1:123456789012:task/app-dev/0a1b","containers":[{"name":"api","imageDigest":"\#(digest)"}]}],"failures":[]}"#),
            ], parameters: ["ClusterName": "app-dev", "ImageTag": "dev-1"], repositoryCredentials: RefusedCredentials())
        #expect(elsewhere.runningCount == 1 && elsewhere.imageDigest == digest)
        #expect(elsewhere.notes == ["what dev-1 points to now in app/api could not be read: \(RefusedCredentials.refusal)"], "\(elsewhere.notes)")
    }

    /// A web service with a rule on the shared listener (its stack takes the shared stack's
    /// ListenerArn, and has no URL output of its own) answers at the shared load balancer's
    /// URL; a worker answers at none.
    @Test func onlyAServiceThatAnswersTakesTheSharedLoadBalancersURL() async throws {
        let server = try TestHTTPServer { request in
            let json = [("Content-Type", "application/x-amz-json-1.1")]
            if request.headers["x-amz-target"] != nil { return .respond(status: 200, headers: json, body: #"{"taskArns":[],"services":[],"failures":[]}"#) }
            let name = request.form["StackName"] ?? ""
            let outputs = name == "app-dev"
                ? "<Outputs><member><OutputKey>LoadBalancerUrl</OutputKey><OutputValue>http://shared.example</OutputValue></member></Outputs>"
                : "<Outputs><member><OutputKey>ServiceName</OutputKey><OutputValue>api</OutputValue></member></Outputs>"
            let tags = name == "app-dev"
                ? [StackTags.appKey: "app", StackTags.phaseKey: "ecs", StackTags.environmentKey: "dev"] : [StackTags.appKey: "app"]
            return .queryResult(
                "DescribeStacks",
                "<Stacks><member><StackName>\(name)</StackName><StackId>arn:stack/\(name)</StackId><StackStatus>UPDATE_COMPLETE</StackStatus>"
                    + "<CreationTime>2026-12-06T10:00:00Z</CreationTime><Parameters><member><ParameterKey>ClusterName</ParameterKey>"
                    + "<ParameterValue>app-dev</ParameterValue></member></Parameters>\(outputs)\(TestHTTPServer.Reply.stackTags(tags))</member></Stacks>")
        }
        defer { server.stop() }
        var stack = try #require(try samplePlan(app: "app").selecting(.init(phases: [.ecs], environment: "dev")).stacks.first { $0.service == "api" })
        let clients = ForeignStackTests.clients(try ForeignStackTests.configuration(server))
        let worker = try await ServiceStatus.read(stack, sharedStack: "app-dev", clients: clients)
        #expect(worker.url == nil)
        stack.parameters.append(Named(ParameterName.listenerArn, .stackOutput(stack: "app-dev", output: OutputName.listenerArn)))
        let web = try await ServiceStatus.read(stack, sharedStack: "app-dev", clients: clients)
        #expect(web.url == "http://shared.example")
    }

    /// Credentials refused as another account's, as `AccountCheckedCredentialProvider` refuses them.
    private struct RefusedCredentials: CredentialProvider {
        static let refusal = "dev.yaml:3:25: repositories.account: the repositories are in account 210987654321"
        func credentials() async throws -> Credentials { throw CredentialsError(Self.refusal) }
    }
}
