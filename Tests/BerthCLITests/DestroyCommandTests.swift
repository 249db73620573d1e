import Foundation
import BerthTemplate
import BerthTestSupport
import Testing

@testable import BerthCLI

/// What `berth destroy` refuses, before anything is deleted.
@Suite struct DestroyCommandTests {
    private let credentials = [
        "AWS_ACCESS_KEY_ID": "AKIDDESTROY", "AWS_SECRET_ACCESS_KEY": "destroy-secret", "AWS_EC2_METADATA_DISABLED": "true",
        "HOME": "/nonexistent-berth-home",
    ]

    /// A CloudFormation where every stack exists, with termination protection and resources as
    /// given; a nested stack (`AWS::CloudFormation::Stack`, its physical ID the stack's ARN, as
    /// ListStackResources reports it) holds a repository.
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
            case "ListStackResources" where stack.hasPrefix("arn:aws:cloudformation:"):
                body = "<StackResourceSummaries><member><LogicalResourceId>Repo</LogicalResourceId><PhysicalResourceId>shop/api</PhysicalResourceId>"
                    + "<ResourceType>AWS::ECR::Repository</ResourceType><ResourceStatus>CREATE_COMPLETE</ResourceStatus></member></StackResourceSummaries>"
            case "ListStackResources":
                let physical = resourceType == "AWS::CloudFormation::Stack"
                    ? "arn:aws:cloudformation:eu-west-1:123456789012:stack/\(stack)-Thing-1ABC/0f0e0d0c-0000-4000-8000-000000000001" : "x"
                body = "<StackResourceSummaries><member><LogicalResourceId>Thing</LogicalResourceId><PhysicalResourceId>\(physical)</PhysicalResourceId>"
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
            // Deleting a stack deletes its nested stacks, and their repositories with them.
            (false, "AWS::CloudFormation::Stack", "shop-api-dev holds an image repository (Thing/Repo); destroy never deletes one"),
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

    /// A load balancer with deletion protection (on under `controls: control-tower`) would stop
    /// the destroy halfway, at the shared stack: refused before anything is deleted, with the
    /// command that turns it off. What counts is the load balancer's own attribute (ELBv2's
    /// DescribeLoadBalancerAttributes, answered as the API reference shows), not the template's:
    /// once turned off, the destroy goes ahead.
    @Test func aLoadBalancerWithDeletionProtectionIsRefusedUntilItIsTurnedOff() async throws {
        let balancer = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop-dev/0123456789abcdef"
        let protected = LoadBalancerProtection()
        let deleted = DeletedStacks()
        let server = try TestHTTPServer { request in
            let form = request.form
            let stack = form["StackName"] ?? ""
            let action = form["Action"] ?? "Unknown"
            switch action {
            case "DescribeLoadBalancerAttributes" where protected.denied:
                return .respond(
                    status: 403,
                    body: "<ErrorResponse><Error><Code>AccessDenied</Code><Message>not authorized to perform: elasticloadbalancing:DescribeLoadBalancerAttributes</Message></Error></ErrorResponse>")
            case "DescribeLoadBalancerAttributes":
                #expect(form["LoadBalancerArn"] == balancer)
                return .queryResult(
                    action,
                    "<Attributes><member><Key>routing.http.drop_invalid_header_fields.enabled</Key><Value>true</Value></member>"
                        + (protected.attributeListed ? "<member><Key>deletion_protection.enabled</Key><Value>\(protected.on)</Value></member>" : "")
                        + "</Attributes>")
            case "DescribeStacks" where form["StackName"] == nil:
                return .queryResult(action, "<Stacks></Stacks>")
            case "DescribeStacks":
                let name = stack.hasPrefix("arn:stack/") ? String(stack.dropFirst("arn:stack/".count)) : stack
                if deleted.contains(name) && !stack.hasPrefix("arn:stack/") {
                    return .respond(status: 400, body: "<ErrorResponse><Error><Code>ValidationError</Code><Message>Stack with id \(name) does not exist</Message></Error></ErrorResponse>")
                }
                return .queryResult(
                    action,
                    "<Stacks><member><StackName>\(name)</StackName><StackId>arn:stack/\(name)</StackId><StackStatus>\(deleted.contains(name) ? "DELETE_COMPLETE" : "UPDATE_COMPLETE")</StackStatus>"
                        + "\(TestHTTPServer.Reply.stackTags(["berth:app": "shop"]))</member></Stacks>")
            case "ListStackResources" where stack == "shop-dev":
                return .queryResult(
                    action,
                    "<StackResourceSummaries><member><LogicalResourceId>LoadBalancer</LogicalResourceId><PhysicalResourceId>\(balancer)</PhysicalResourceId>"
                        + "<ResourceType>AWS::ElasticLoadBalancingV2::LoadBalancer</ResourceType><ResourceStatus>\(protected.resourceStatus)</ResourceStatus></member></StackResourceSummaries>")
            case "DeleteStack":
                deleted.add(stack)
                return .queryResult(action, "")
            default:
                return .queryResult(action, "")
            }
        }
        let destroy = ["destroy", "--config", fixtureConfiguration, "--env", "dev", "--yes", "--endpoint-url", server.url]
        let refused = await runBerth(destroy, environment: credentials)
        #expect(refused.status == 2, "\(refused.err)")
        #expect(refused.err.contains("nothing was deleted: shop-dev's load balancer LoadBalancer has deletion protection, which CloudFormation cannot delete"), "\(refused.err)")
        #expect(refused.err.contains(
            "aws elbv2 modify-load-balancer-attributes --region eu-west-1 --load-balancer-arn \(balancer) --attributes Key=deletion_protection.enabled,Value=false"))
        #expect(!server.requests.contains { $0.form["Action"] == "DeleteStack" })
        // What a destroy that stopped there left (the load balancer DELETE_FAILED) is checked too.
        protected.failDelete()
        let again = await runBerth(destroy, environment: credentials)
        #expect(again.status == 2 && again.err.contains("has deletion protection"), "\(again.err)")
        // A role bootstrapped before this check cannot read it: refused, saying what to redeploy.
        protected.deny()
        let denied = await runBerth(destroy, environment: credentials)
        #expect(denied.status == 2, "\(denied.err)")
        #expect(denied.err.contains("need elasticloadbalancing:DescribeLoadBalancerAttributes (with the bootstrap's deploy role, deploy the bootstrap template again"), "\(denied.err)")
        #expect(!server.requests.contains { $0.form["Action"] == "DeleteStack" })
        // An answer that does not list the attribute says nothing about it: refused too.
        protected.leaveTheAttributeOut()
        let unlisted = await runBerth(destroy, environment: credentials)
        #expect(unlisted.status == 2, "\(unlisted.err)")
        #expect(
            unlisted.err.contains(
                "shop-dev's load balancer LoadBalancer could not be checked for deletion protection: DescribeLoadBalancerAttributes did not list deletion_protection.enabled"),
            "\(unlisted.err)")
        #expect(!server.requests.contains { $0.form["Action"] == "DeleteStack" })
        protected.turnOff()
        // The outputs deploys wrote: the deleted stacks' are taken out, the others' kept.
        let out = try temporaryDirectory()
        try #"{"shop-api-ecr":{"RepositoryName":"shop/api"},"shop-dev":{"LoadBalancerUrl":"http://x"}}"#
            .write(toFile: out + "/outputs.json", atomically: true, encoding: .utf8)
        let destroyed = await runBerth(destroy + ["--out", out], environment: credentials)
        #expect(destroyed.status == 0, "\(destroyed.err)")
        #expect(server.requests.contains { $0.form["Action"] == "DeleteStack" && $0.form["StackName"] == "shop-dev" })
        #expect(try JSONValue.parseJSON(try readFile(out + "/outputs.json"), file: "outputs.json") == ["shop-api-ecr": ["RepositoryName": "shop/api"]])
    }

    /// A load balancer in a nested stack is deleted with the stack that holds it: one with
    /// deletion protection refuses the destroy too, named by its path.
    @Test func aProtectedLoadBalancerInANestedStackIsRefused() async throws {
        let balancer = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop-dev/0123456789abcdef"
        let nested = "arn:aws:cloudformation:eu-west-1:123456789012:stack/shop-dev-Balancing-1ABC/0f0e0d0c-0000-4000-8000-000000000002"
        let server = try TestHTTPServer { request in
            let form = request.form
            let action = form["Action"] ?? "Unknown"
            func resource(_ logicalID: String, _ physicalID: String, _ type: String) -> String {
                "<StackResourceSummaries><member><LogicalResourceId>\(logicalID)</LogicalResourceId><PhysicalResourceId>\(physicalID)</PhysicalResourceId>"
                    + "<ResourceType>\(type)</ResourceType><ResourceStatus>CREATE_COMPLETE</ResourceStatus></member></StackResourceSummaries>"
            }
            switch action {
            case "DescribeLoadBalancerAttributes":
                return .queryResult(action, "<Attributes><member><Key>deletion_protection.enabled</Key><Value>true</Value></member></Attributes>")
            case "DescribeStacks" where form["StackName"] == nil:
                return .queryResult(action, "<Stacks></Stacks>")
            case "DescribeStacks":
                let name = form["StackName"] ?? ""
                return .queryResult(
                    action,
                    "<Stacks><member><StackName>\(name)</StackName><StackId>arn:stack/\(name)</StackId><StackStatus>UPDATE_COMPLETE</StackStatus>"
                        + "\(TestHTTPServer.Reply.stackTags(["berth:app": "shop"]))</member></Stacks>")
            case "ListStackResources" where form["StackName"] == "shop-dev":
                return .queryResult(action, resource("Balancing", nested, "AWS::CloudFormation::Stack"))
            case "ListStackResources" where form["StackName"] == nested:
                return .queryResult(action, resource("LoadBalancer", balancer, "AWS::ElasticLoadBalancingV2::LoadBalancer"))
            default:
                return .queryResult(action, "")
            }
        }
        let refused = await runBerth(
            ["destroy", "--config", fixtureConfiguration, "--env", "dev", "--yes", "--endpoint-url", server.url], environment: credentials)
        #expect(refused.status == 2, "\(refused.err)")
        #expect(
            refused.err.contains("shop-dev's load balancer Balancing/LoadBalancer has deletion protection, which CloudFormation cannot delete"),
            "\(refused.err)")
        #expect(!server.requests.contains { $0.form["Action"] == "DeleteStack" })
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
        #expect(output.out.contains("Delete shop-dev, shop-web-dev, shop-api-dev, shop-worker-dev, and the services' logs with them? Type dev to confirm: "))
        #expect(output.err.contains("not confirmed; nothing was deleted"))
        #expect(!server.requests.contains { $0.form["Action"] == "DeleteStack" })
    }
    /// A stack of a service no longer in the files (`mailer`), found by its tags, is deleted
    /// with the environment before its shared stack; another environment's and another app's
    /// stacks of the same tags' shape are not touched.
    @Test func aServiceRemovedFromTheFilesIsDeletedWithItsEnvironment() async throws {
        let deleted = DeletedStacks()
        let tagged = [
            "shop-dev": ["berth:app": "shop", "berth:phase": "ecs", "berth:environment": "dev"],
            "shop-mailer-dev": ["berth:app": "shop", "berth:phase": "ecs", "berth:environment": "dev", "berth:service": "mailer"],
            "shop-mailer-prod": ["berth:app": "shop", "berth:phase": "ecs", "berth:environment": "prod", "berth:service": "mailer"],
            "shop-mailer-ecr": ["berth:app": "shop", "berth:phase": "ecr", "berth:service": "mailer"],
            "other-mailer-dev": ["berth:app": "other", "berth:phase": "ecs", "berth:environment": "dev", "berth:service": "mailer"],
        ]
        let server = try TestHTTPServer { request in
            let form = request.form
            let action = form["Action"] ?? "Unknown"
            func member(_ name: String) -> String {
                let tags = tagged[name] ?? ["berth:app": "shop"]
                let status = deleted.contains(name) ? "DELETE_COMPLETE" : "UPDATE_COMPLETE"
                return "<member><StackName>\(name)</StackName><StackId>arn:stack/\(name)</StackId><StackStatus>\(status)</StackStatus>"
                    + "<EnableTerminationProtection>false</EnableTerminationProtection>\(TestHTTPServer.Reply.stackTags(tags))</member>"
            }
            switch action {
            case "DescribeStacks":
                guard let name = form["StackName"] else {
                    let all = (["shop-web-dev", "shop-api-dev", "shop-worker-dev"] + tagged.keys.sorted()).filter { !deleted.contains($0) }
                    return .queryResult(action, "<Stacks>\(all.map(member).joined())</Stacks>")
                }
                // A deleted stack is described by its ID only, as DELETE_COMPLETE.
                if name.hasPrefix("arn:stack/") { return .queryResult(action, "<Stacks>\(member(String(name.dropFirst("arn:stack/".count))))</Stacks>") }
                guard !deleted.contains(name) else {
                    return .respond(status: 400, body: "<ErrorResponse><Error><Code>ValidationError</Code><Message>Stack with id \(name) does not exist</Message></Error></ErrorResponse>")
                }
                return .queryResult(action, "<Stacks>\(member(name))</Stacks>")
            case "DeleteStack":
                deleted.add(form["StackName"] ?? "")
                return .queryResult(action, "")
            default:
                return .queryResult(action, "")
            }
        }
        let destroy = ["destroy", "--config", fixtureConfiguration, "--env", "dev", "--endpoint-url", server.url]
        let unconfirmed = await runBerth(destroy, environment: credentials)
        #expect(unconfirmed.status == 2)
        #expect(unconfirmed.err.contains("destroy deletes shop-dev, shop-web-dev, shop-api-dev, shop-worker-dev, shop-mailer-dev and needs --yes"), "\(unconfirmed.err)")
        let destroyed = await runBerth(destroy + ["--yes"], environment: credentials)
        #expect(destroyed.status == 0, "\(destroyed.out)\n\(destroyed.err)")
        #expect(destroyed.out.contains("shop-mailer-dev: deleted"), "\(destroyed.out)")
        let deletes = server.requests.compactMap { $0.form["Action"] == "DeleteStack" ? $0.form["StackName"] : nil }
        #expect(Set(deletes) == ["shop-dev", "shop-web-dev", "shop-api-dev", "shop-worker-dev", "shop-mailer-dev"])
        #expect(deletes.last == "shop-dev", "the shared stack goes last: \(deletes)")
    }
}

/// The stacks a scripted CloudFormation has deleted.
private final class DeletedStacks: @unchecked Sendable {
    private let lock = NSLock()
    private var names: Set<String> = []
    func add(_ name: String) { _ = lock.withLock { names.insert(name) } }
    func contains(_ name: String) -> Bool { lock.withLock { names.contains(name) } }
}

/// A scripted load balancer: its deletion protection, its resource status, and whether reading
/// its attributes is denied.
private final class LoadBalancerProtection: @unchecked Sendable {
    private let lock = NSLock()
    private var enabled = true
    private var status = "CREATE_COMPLETE"
    private var refused = false
    private var listed = true
    var on: Bool { lock.withLock { enabled } }
    /// Whether the answer lists deletion_protection.enabled at all.
    var attributeListed: Bool { lock.withLock { listed } }
    func leaveTheAttributeOut() { lock.withLock { (listed, refused) = (false, false) } }
    var resourceStatus: String { lock.withLock { status } }
    var denied: Bool { lock.withLock { refused } }
    func turnOff() { lock.withLock { (enabled, refused, listed) = (false, false, true) } }
    func failDelete() { lock.withLock { status = "DELETE_FAILED" } }
    func deny() { lock.withLock { refused = true } }
}
