import BerthModel
import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS
@testable import BerthDeploy

/// Which log groups the logs action reads, against CloudFormation and CloudWatch Logs answers
/// scripted from the API reference (DescribeStacks' XML with a stack's tags and outputs,
/// FilterLogEvents' JSON). moto serves both too; what it cannot give at will is a stack that
/// appears between two polls.
@Suite struct LogTailTests {
    /// The stacks the script knows, by name: (the app its berth:app tag names, outputs).
    final class Script: @unchecked Sendable {
        private let lock = NSLock()
        private var stacks: [String: (app: String, outputs: [String: String])]
        private var read: [String] = []

        init(_ stacks: [String: (app: String, outputs: [String: String])]) { self.stacks = stacks }

        /// The log groups FilterLogEvents was asked for, in order.
        var groupsRead: [String] { lock.withLock { read } }
        func deploy(_ name: String, app: String, outputs: [String: String]) { lock.withLock { stacks[name] = (app, outputs) } }

        func answer(_ request: TestHTTPServer.Request) -> TestHTTPServer.Reply {
            lock.withLock {
                if request.headers["x-amz-target"] == "Logs_20140328.FilterLogEvents" {
                    let body = try? JSONSerialization.jsonObject(with: Data(request.text.utf8)) as? [String: Any]
                    let group = body?["logGroupName"] as? String ?? ""
                    read.append(group)
                    let service = group.split(separator: "-").last.map(String.init) ?? ""
                    return .respond(
                        status: 200, headers: [("Content-Type", "application/x-amz-json-1.1")],
                        body: #"{"events":[{"eventId":"\#(group)","timestamp":1764950400000,"message":"hello from \#(service)","logStreamName":"\#(service)/app/0123"}],"searchedLogStreams":[]}"#)
                }
                let name = request.form["StackName"] ?? ""
                guard request.form["Action"] == "DescribeStacks", let stack = stacks[name] else {
                    return .respond(
                        status: 400, body: "<ErrorResponse><Error><Code>ValidationError</Code><Message>Stack with id \(name) does not exist</Message></Error></ErrorResponse>")
                }
                let outputs = stack.outputs.sorted { $0.key < $1.key }.map { "<member><OutputKey>\($0.key)</OutputKey><OutputValue>\($0.value)</OutputValue></member>" }
                return .respond(
                    status: 200, headers: [("Content-Type", "text/xml")],
                    body: """
                        <DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>\(name)</StackName>\
                        <StackId>arn:aws:cloudformation:eu-west-1:123456789012:stack/\(name)/1</StackId><StackStatus>UPDATE_COMPLETE</StackStatus>\
                        <Outputs>\(outputs.joined())</Outputs>\(TestHTTPServer.Reply.stackTags([StackTags.appKey: stack.app]))</member></Stacks>\
                        </DescribeStacksResult></DescribeStacksResponse>
                        """)
            }
        }
    }

    final class Shown: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        var all: [String] { lock.withLock { lines } }
        func add(_ line: String) { lock.withLock { lines.append(line) } }
    }

    /// The sample plan's dev service stacks, each with the log group the blueprint gives it.
    private func plan() throws -> DeployPlan {
        let dev = try samplePlan(app: "app").selecting(.init(phases: [.ecs], environment: "dev"))
        return DeployPlan(
            stacks: dev.stacks.map { stack in
                var stack = stack
                stack.logGroup = stack.service.map { "/berth/app-dev-\($0)" }
                return stack
            })
    }

    private func tail(_ plan: DeployPlan, _ server: TestHTTPServer, pause: @escaping @Sendable () async throws -> Void = {}) throws -> LogTail {
        let configuration = AWSConfiguration(
            region: "eu-west-1",
            endpoints: EndpointResolver(region: "eu-west-1", override: Endpoint(scheme: "http", host: "127.0.0.1", port: server.port), environment: [:]),
            credentials: StaticCredentialProvider(Credentials(accessKeyID: "AKIDFAKE", secretAccessKey: "fake", source: "test")),
            http: try HTTPClient(), retry: RetryPolicy(maxAttempts: 1))
        let clients = AppDeployer.Clients(
            cloudFormation: CloudFormationClient(configuration: configuration), ecr: ECRClient(configuration: configuration),
            ecs: ECSClient(configuration: configuration), logs: LogsClient(configuration: configuration), kms: KMSClient(configuration: configuration))
        return LogTail(plan: plan, clients: { _ in clients }, pause: pause)
    }

    @Test func onlyTheLogGroupsOfTheAppsOwnDeployedServiceStacksAreRead() async throws {
        // web is the app's, and its output names its group; api's stack name is another app's stack.
        let script = Script([
            "app-web-dev": ("app", [OutputName.logGroupName: "/berth/app-dev-web"]),
            "app-api-dev": ("app-api", [OutputName.logGroupName: "/berth/app-api-dev-web"]),
        ])
        let server = try TestHTTPServer { script.answer($0) }
        defer { server.stop() }
        let (shown, passed) = (Shown(), Shown())
        try await tail(try plan(), server).run(
            since: 0, follow: false, passedOver: { passed.add("\($0): \($1)") }, show: { shown.add("\($0.service): \($0.event.message ?? "")") })
        #expect(shown.all == ["web: hello from web"])
        #expect(passed.all == ["api: app-api-dev belongs to app app-api (its berth:app tag)"])
        #expect(script.groupsRead == ["/berth/app-dev-web"])
    }

    @Test func aServiceNotDeployedHasNoGroupReadUntilItsStackAppears() async throws {
        // Neither is deployed at first: a group named /berth/app-dev-web now would not be the app's.
        let script = Script([:])
        let server = try TestHTTPServer { script.answer($0) }
        defer { server.stop() }
        let polls = Shown()
        let pause: @Sendable () async throws -> Void = {
            polls.add("poll")
            if polls.all.count == 1 { script.deploy("app-web-dev", app: "app", outputs: [OutputName.logGroupName: "/berth/app-dev-web"]) }
            if polls.all.count == 2 { throw CancellationError() }
        }
        let shown = Shown()
        await #expect(throws: CancellationError.self) {
            try await tail(try plan(), server, pause: pause).run(since: 0, follow: true, show: { shown.add("\($0.service): \($0.event.message ?? "")") })
        }
        #expect(script.groupsRead == ["/berth/app-dev-web"])
        #expect(shown.all == ["web: hello from web"])
    }

    @Test func everySelectedServiceBeingAnotherAppsIsRefused() async throws {
        let script = Script(["app-web-dev": ("app-web", [:]), "app-api-dev": ("", [:])])
        let server = try TestHTTPServer { script.answer($0) }
        defer { server.stop() }
        await #expect(throws: DeployError.self) {
            try await tail(try plan(), server).run(since: 0, follow: true, show: { _ in })
        }
        #expect(script.groupsRead.isEmpty)
    }
}
