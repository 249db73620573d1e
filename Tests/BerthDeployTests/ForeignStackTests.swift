import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS
@testable import BerthDeploy

/// `berth run`, `berth exec`, a stack's delete and the deploy history work only on the app's own
/// stacks: a stack of the same name that another app deployed is refused (or, for the history,
/// passed over) after its description, before any other call.
@Suite struct ForeignStackTests {
    /// Calls to `server` on loopback, one attempt each.
    static func configuration(_ server: TestHTTPServer) throws -> AWSConfiguration {
        AWSConfiguration(
            region: "eu-west-1",
            endpoints: EndpointResolver(region: "eu-west-1", override: Endpoint(scheme: "http", host: "127.0.0.1", port: server.port), environment: [:]),
            credentials: StaticCredentialProvider(Credentials(accessKeyID: "AKIDFAKE", secretAccessKey: "fake", source: "test")),
            http: try HTTPClient(), retry: RetryPolicy(maxAttempts: 1))
    }

    static func clients(_ configuration: AWSConfiguration) -> AppDeployer.Clients {
        AppDeployer.Clients(
            cloudFormation: CloudFormationClient(configuration: configuration), ecr: ECRClient(configuration: configuration),
            ecs: ECSClient(configuration: configuration), logs: LogsClient(configuration: configuration), kms: KMSClient(configuration: configuration))
    }

    @Test func runExecAndDeleteRefuseAnotherAppsStackBeforeAnyOtherCall() async throws {
        let fake = FakeCloudFormation(stackName: "app-api-dev", statuses: ["UPDATE_COMPLETE"], tags: ["berth:app": "app-api"])
        let server = try TestHTTPServer { fake.handle($0) }
        defer { server.stop() }
        let configuration = try Self.configuration(server)
        let cloudFormation = CloudFormationClient(configuration: configuration)
        let stack = try #require(samplePlan(app: "app").app["app-api-dev"])
        let refused = [ForeignStack(stack: "app-api-dev", owner: "app-api")]
        do {
            _ = try await JobRun.of(stack, cloudFormation: cloudFormation, command: ["true"], timeout: .seconds(60))
            Issue.record("run was not refused")
        } catch DeployError.foreignStacks(let stacks, let app) {
            #expect(stacks == refused && app == "app")
        }
        do {
            _ = try await ExecSession.open(
                stack, cloudFormation: cloudFormation, ecs: ECSClient(configuration: configuration), task: nil, container: nil,
                command: "sh", profile: "")
            Issue.record("exec was not refused")
        } catch DeployError.foreignStacks(let stacks, _) {
            #expect(stacks == refused)
        }
        // History (and so rollback's choice of a tag) takes nothing from it.
        let history = try await DeployHistory.read(
            stack, limit: nil, clients: Self.clients(configuration))
        #expect(!history.isDeployed && history.deployedTag == nil && history.records.isEmpty)
        #expect(history.foreign == refused.first)
        do {
            _ = try RollbackChoice(history: DeployHistory(services: [history], app: "app"), requested: try ImageSelection([], allowMutable: false))
            Issue.record("the rollback was not refused")
        } catch DeployError.foreignStacks(let stacks, "app") {
            #expect(stacks == refused)
        }
        #expect(fake.calls == ["DescribeStacks", "DescribeStacks", "DescribeStacks"])

        // A delete checks as it finds the stack, whatever destroy checked before its confirmation.
        let deployer = StackDeployer(
            cloudFormation: cloudFormation, ecs: ECSClient(configuration: configuration),
            reporter: DeployReporter(message: { _ in }, plannedChanges: { _, _ in }, event: { _, _, _ in }), timeout: .seconds(60))
        do {
            _ = try await deployer.delete("app-api-dev", tags: stack.tags)
            Issue.record("the delete was not refused")
        } catch DeployError.foreignStacks(let stacks, _) {
            #expect(stacks == refused)
        }
        #expect(!fake.calls.contains("DeleteStack"))
    }

    /// Another app's stack is said to be not the app's; another part's says whose it is, not that.
    @Test func anotherAppsStackAndAnotherPartsAreEachWordedAsWhatTheyAre() {
        let otherPart = ForeignStack.OtherPart(found: "environment dev's service web", wanted: "environment web-dev's shared stack")
        let error = DeployError.foreignStacks(
            [ForeignStack(stack: "app-api-dev", owner: "app-api"), ForeignStack(stack: "app-web-dev", owner: "app", otherPart: otherPart)], app: "app")
        #expect(
            error.description.hasPrefix(
                "app-api-dev belongs to app app-api (its berth:app tag): it is not app app's, and Berth works only with app app's stacks; "
                    + "app-web-dev is app app's stack of environment dev's service web, not environment web-dev's shared stack (its berth: tags); "
                    + "nothing was changed in them. Two apps make the same stack name"), "\(error)")
        #expect(error.description.hasSuffix("(environment dev's service web and environment web-dev's shared stack are both app-web-dev): rename the preview, the environment or the service"))
    }

    @Test func statusSaysWhoseAStackInAFailedFirstCreateIs() async throws {
        let fake = FakeCloudFormation(stackName: "app-api-dev", statuses: ["ROLLBACK_COMPLETE"], tags: ["berth:app": "app-api"])
        let server = try TestHTTPServer { fake.handle($0) }
        defer { server.stop() }
        let configuration = try Self.configuration(server)
        let stack = try #require(samplePlan(app: "app").app["app-api-dev"])
        let status = try await ServiceStatus.read(
            stack, sharedStack: nil, clients: Self.clients(configuration))
        #expect(status.stackStatus == nil)
        #expect(status.notes == ["app-api-dev belongs to app app-api (its berth:app tag), so it is not this service's"])
        #expect(fake.calls == ["DescribeStacks"])
    }
}
