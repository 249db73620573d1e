import Foundation
import BerthTestSupport
import Testing

@testable import BerthCLI

/// What `berth destroy` refuses, before anything is deleted.
@Suite struct DestroyCommandTests {
    private let credentials = [
        "AWS_ACCESS_KEY_ID": "AKIDDESTROY", "AWS_SECRET_ACCESS_KEY": "destroy-secret", "AWS_EC2_METADATA_DISABLED": "true",
        "HOME": "/nonexistent-berth-home",
    ]

    /// A CloudFormation where every stack exists, with termination protection and resources as given.
    private func server(protected: Bool, resourceType: String) throws -> TestHTTPServer {
        try TestHTTPServer { request in
            let form = request.form
            let stack = form["StackName"] ?? ""
            let body: String
            switch form["Action"] {
            case "DescribeStacks":
                body = "<Stacks><member><StackName>\(stack)</StackName><StackId>arn:stack/\(stack)</StackId><StackStatus>UPDATE_COMPLETE</StackStatus>"
                    + "<EnableTerminationProtection>\(protected)</EnableTerminationProtection>"
                    + "\(TestHTTPServer.Reply.stackTags(["berth:app": "shop"]))</member></Stacks>"
            case "ListStackResources":
                body = "<StackResourceSummaries><member><LogicalResourceId>Thing</LogicalResourceId><PhysicalResourceId>x</PhysicalResourceId>"
                    + "<ResourceType>\(resourceType)</ResourceType><ResourceStatus>CREATE_COMPLETE</ResourceStatus></member></StackResourceSummaries>"
            default:
                body = ""
            }
            let action = form["Action"] ?? "Unknown"
            return .queryResult(action, body)
        }
    }

    @Test func stacksWithTerminationProtectionOrARepositoryAreRefused() async throws {
        for (protected, type, message) in [
            (true, "AWS::ECS::Service", "shop-dev has termination protection"),
            (false, "AWS::ECR::Repository", "shop-api-dev holds an image repository (Thing); destroy never deletes one"),
        ] {
            let server = try server(protected: protected, resourceType: type)
            let result = await runBerth(
                ["destroy", "--config", fixtureConfiguration, "--env", "dev", "--yes", "--endpoint-url", server.url], environment: credentials)
            #expect(result.status == 2, "\(result.err)")
            #expect(result.err.contains("nothing was deleted: "))
            #expect(result.err.contains(message), "\(result.err)")
            #expect(!server.requests.contains { $0.form["Action"] == "DeleteStack" })
        }
    }

    @Test func aProtectedEnvironmentIsRefusedBeforeAnyCall() async throws {
        let config = try configuration([
            "prod.yaml": "app: shop\nregion: eu-west-1\nprotected: true\nservices:\n  web: {cpu: 256, memory: 512}\n"
        ])
        let server = try server(protected: false, resourceType: "AWS::ECS::Service")
        let result = await runBerth(["destroy", "--config", config, "--env", "prod", "--yes", "--endpoint-url", server.url], environment: credentials)
        #expect(result.status == 2)
        #expect(result.err.contains("environment prod is protected (protected: true in \(config)/prod.yaml); nothing was deleted"))
        #expect(server.requests.isEmpty)
    }

    @Test func onATerminalTheEnvironmentsNameConfirms() async throws {
        let server = try server(protected: false, resourceType: "AWS::ECS::Service")
        let output = CapturedOutput()
        let console = Console(
            write: output.console.write, writeError: output.console.writeError, isInteractive: true, readLine: { "prod" })
        let status = await Berth.run(
            FixtureApp(), arguments: ["destroy", "--config", fixtureConfiguration, "--env", "dev", "--endpoint-url", server.url],
            console: console, environment: credentials)
        #expect(status == 2)
        #expect(output.out.contains("Delete shop-dev, shop-web-dev, shop-api-dev, shop-worker-dev? Type dev to confirm: "))
        #expect(output.err.contains("not confirmed; nothing was deleted"))
        #expect(!server.requests.contains { $0.form["Action"] == "DeleteStack" })
    }
}
