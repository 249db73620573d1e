import Foundation
import BerthTestSupport
import Testing

/// `--method change-set` and `auto` against a scripted CloudFormation, for what moto cannot
/// show: Replacement and RequiresRecreation in a change set, refused change sets, busy stacks,
/// phase-1 outputs naming the image of a service that is not deployed yet.
/// The deployed template is YAML with short-form tags, as GetTemplate returns it for a stack
/// created from YAML.
@Suite struct DiffChangeSetTests {
    private static let credentials = ["AWS_ACCESS_KEY_ID": "AKIDCS", "AWS_SECRET_ACCESS_KEY": "x", "AWS_EC2_METADATA_DISABLED": "true"]

    /// How the scripted CloudFormation answers CreateChangeSet.
    enum ChangeSetAnswer {
        case replaceRepository
        case accessDenied
        /// Makes and describes the change set, then refuses to delete it.
        case keepsIt
        /// Makes the change set, refuses to describe it (AccessDenied) and to delete it.
        case keepsItUnread
    }

    /// FixtureApp's phase-1 template in YAML, as deployed with scan on push off.
    private func deployedYAML() async throws -> String {
        let out = try temporaryDirectory()
        let synth = await runBerth(["synth", "--config", fixtureConfiguration, "--out", out, "--format", "yaml", "--stack", "shop-api-ecr"])
        #expect(synth.status == 0)
        let yaml = try readFile(out + "/shop-api-ecr.template.yaml")
        #expect(yaml.contains("!GetAtt Repository.Arn"))
        return yaml.replacingOccurrences(of: "ScanOnPush: true", with: "ScanOnPush: false")
    }

    private func server(status: String, template: String, answer: ChangeSetAnswer, owner: String = "shop") throws -> TestHTTPServer {
        try TestHTTPServer { request in
            let action = request.form["Action"] ?? ""
            func xml(_ result: String) -> TestHTTPServer.Reply { .queryResult(action, result) }
            switch action {
            case "DescribeStacks":
                return xml("<Stacks><member><StackName>shop-api-ecr</StackName><StackId>arn:stack/1</StackId><StackStatus>\(status)</StackStatus>\(TestHTTPServer.Reply.stackTags(["berth:app": owner]))</member></Stacks>")
            case "GetTemplate":
                return xml("<TemplateBody>\(TestHTTPServer.Reply.xmlEscaped(template))</TemplateBody>")
            case "CreateChangeSet" where answer == .accessDenied:
                return .respond(
                    status: 403,
                    body: "<ErrorResponse><Error><Code>AccessDenied</Code><Message>not allowed to cloudformation:CreateChangeSet</Message></Error></ErrorResponse>")
            case "CreateChangeSet":
                return xml("<Id>arn:changeset/1</Id><StackId>arn:stack/1</StackId>")
            case "DeleteChangeSet" where answer == .keepsIt || answer == .keepsItUnread:
                return .respond(
                    status: 400, body: "<ErrorResponse><Error><Code>InvalidChangeSetStatus</Code><Message>busy</Message></Error></ErrorResponse>")
            case "DescribeChangeSet" where answer == .keepsItUnread:
                return .respond(
                    status: 403,
                    body: "<ErrorResponse><Error><Code>AccessDenied</Code><Message>not allowed to cloudformation:DescribeChangeSet</Message></Error></ErrorResponse>")
            case "DescribeChangeSet":
                return xml("""
                    <Status>CREATE_COMPLETE</Status><Changes><member><ResourceChange><Action>Modify</Action>\
                    <LogicalResourceId>Repository</LogicalResourceId><ResourceType>AWS::ECR::Repository</ResourceType>\
                    <Replacement>True</Replacement><Details><member><Target><Name>ImageScanningConfiguration</Name>\
                    <RequiresRecreation>Always</RequiresRecreation></Target></member></Details></ResourceChange></member></Changes>
                    """)
            default:
                return xml("")
            }
        }
    }

    private func actions(_ server: TestHTTPServer) -> [String] {
        server.requests.compactMap { $0.form["Action"] }
    }

    @Test func theChangeSetsReplacementWinsAndTheChangeSetIsDeleted() async throws {
        let server = try server(status: "UPDATE_COMPLETE", template: try await deployedYAML(), answer: .replaceRepository)
        let result = await runBerth(
            ["diff", "--config", fixtureConfiguration, "--stack", "shop-api-ecr", "--endpoint-url", server.url, "--method", "change-set"],
            environment: Self.credentials)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("[~] AWS::ECR::Repository Repository replace"), "\(result.out)")
        #expect(result.out.contains("ImageScanningConfiguration.ScanOnPush: false → true (requires replacement)"))
        // Nothing else differs: the YAML short forms mean what the synthesized JSON means.
        #expect(result.out.components(separatedBy: "[~]").count == 3)
        #expect(actions(server) == ["DescribeStacks", "GetTemplate", "CreateChangeSet", "DescribeChangeSet", "DeleteChangeSet"])
        let create = try #require(server.requests.first { $0.form["Action"] == "CreateChangeSet" })
        #expect(create.form["ChangeSetType"] == "UPDATE")
        // Named for when it was made, with a random suffix so that two diffs in one second do not collide.
        let name = try #require(create.form["ChangeSetName"])
        #expect(name.wholeMatch(of: /berth-diff-[0-9]{8}-[0-9]{6}-[0-9a-f]{1,8}/) != nil, "\(name)")
        #expect(server.requests.first { $0.form["Action"] == "DeleteChangeSet" }?.form["ChangeSetName"] == name)
    }

    @Test func aChangeSetThatCannotBeDeletedIsReportedWithHowToRemoveIt() async throws {
        let server = try server(status: "UPDATE_COMPLETE", template: try await deployedYAML(), answer: .keepsIt)
        let result = await runBerth(
            ["diff", "--config", fixtureConfiguration, "--stack", "shop-api-ecr", "--endpoint-url", server.url, "--method", "change-set", "--max-attempts", "1"],
            environment: Self.credentials)
        // What the change set showed is not lost: the diff stands, with a note on the leftover.
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("[~] AWS::ECR::Repository Repository replace"), "\(result.out)")
        #expect(result.out.contains("could not delete the preview change set berth-diff-"), "\(result.out)")
        #expect(result.out.contains("aws cloudformation delete-change-set --stack-name shop-api-ecr --change-set-name berth-diff-"))
        #expect(!actions(server).contains("ExecuteChangeSet"))
    }

    /// When reading the change set fails too, the leftover is still said, with that failure.
    @Test func aChangeSetNeitherReadNorDeletedIsSaidWithBoth() async throws {
        let server = try server(status: "UPDATE_COMPLETE", template: try await deployedYAML(), answer: .keepsItUnread)
        let result = await runBerth(
            ["diff", "--config", fixtureConfiguration, "--stack", "shop-api-ecr", "--endpoint-url", server.url, "--method", "change-set", "--max-attempts", "1"],
            environment: Self.credentials)
        #expect(result.status == 5, "\(result.err)")
        #expect(result.err.contains("could not delete the preview change set berth-diff-"), "\(result.err)")
        #expect(result.err.contains("not allowed to cloudformation:DescribeChangeSet"), "\(result.err)")
        // With --method auto, a change set that may not be read falls back to the template
        // comparison as before, and the note names the leftover too.
        let auto = await runBerth(
            ["diff", "--config", fixtureConfiguration, "--stack", "shop-api-ecr", "--endpoint-url", server.url, "--max-attempts", "1"],
            environment: Self.credentials)
        #expect(auto.status == 0, "\(auto.err)")
        #expect(auto.out.contains("no change set (") && auto.out.contains("the template comparison alone; ") && auto.out.contains("could not delete the preview change set berth-diff-"), "\(auto.out)")
    }

    @Test func autoFallsBackWhenChangeSetsAreNotAllowed() async throws {
        let server = try server(status: "UPDATE_COMPLETE", template: try await deployedYAML(), answer: .accessDenied)
        let result = await runBerth(
            ["diff", "--config", fixtureConfiguration, "--stack", "shop-api-ecr", "--endpoint-url", server.url, "--json"],
            environment: Self.credentials)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains(#""method": "template""#))
        #expect(result.out.contains("no change set (cloudformation CreateChangeSet failed: AccessDenied"))
        #expect(result.out.contains(#""replacement": "never""#))
        #expect(!actions(server).contains("DeleteChangeSet"))

        let strict = await runBerth(
            ["diff", "--config", fixtureConfiguration, "--stack", "shop-api-ecr", "--endpoint-url", server.url, "--method", "change-set", "--fail"],
            environment: Self.credentials)
        #expect(strict.status == 5)
        #expect(strict.err.contains("AccessDenied"))
    }

    @Test func aBusyStackGetsNoChangeSet() async throws {
        let server = try server(status: "UPDATE_IN_PROGRESS", template: try await deployedYAML(), answer: .replaceRepository)
        let auto = await runBerth(
            ["diff", "--config", fixtureConfiguration, "--stack", "shop-api-ecr", "--endpoint-url", server.url],
            environment: Self.credentials)
        #expect(auto.status == 0, "\(auto.err)")
        #expect(auto.out.contains("note: shop-api-ecr is UPDATE_IN_PROGRESS, so no change set"))
        #expect(!actions(server).contains("CreateChangeSet"))
        let strict = await runBerth(
            ["diff", "--config", fixtureConfiguration, "--stack", "shop-api-ecr", "--endpoint-url", server.url, "--method", "change-set"],
            environment: Self.credentials)
        #expect(strict.status == 5)
        #expect(strict.err.contains("use --method template"))
    }
    @Test func anotherAppsStackGetsNoChangeSetAndNoDriftDetectionWhateverItsStatus() async throws {
        for status in ["UPDATE_COMPLETE", "ROLLBACK_COMPLETE"] {
            let server = try server(status: status, template: try await deployedYAML(), answer: .replaceRepository, owner: "shop-api")
            let result = await runBerth(
                ["diff", "--config", fixtureConfiguration, "--stack", "shop-api-ecr", "--endpoint-url", server.url, "--method", "change-set", "--drift"],
                environment: Self.credentials)
            #expect(result.status == 0, "\(status): \(result.err)")
            #expect(
                result.out.contains("note: shop-api-ecr belongs to app shop-api (its berth:app tag), so it is not this app's: deploy refuses to change it"),
                "\(status): \(result.out)")
            #expect(actions(server).allSatisfy { ["DescribeStacks", "GetTemplate"].contains($0) }, "\(status): \(actions(server))")
        }
    }

    @Test func anUndeployedServiceNamesItsImageFromPhaseOne() async throws {
        let server = try TestHTTPServer { request in
            let form = request.form
            guard form["Action"] == "DescribeStacks", form["StackName"] == "shop-api-ecr" else {
                return .respond(
                    status: 400,
                    body: "<ErrorResponse><Error><Code>ValidationError</Code><Message>Stack with id \(form["StackName"] ?? "") does not exist</Message></Error></ErrorResponse>")
            }
            return .respond(
                status: 200, headers: [("Content-Type", "text/xml")],
                body: """
                    <DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackName>shop-api-ecr</StackName>\
                    <StackStatus>CREATE_COMPLETE</StackStatus><Outputs><member><OutputKey>RepositoryUri</OutputKey>\
                    <OutputValue>123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api</OutputValue></member></Outputs>\
                    <Tags><member><Key>berth:app</Key><Value>shop</Value></member></Tags></member></Stacks></DescribeStacksResult></DescribeStacksResponse>
                    """)
        }
        let result = await runBerth(
            ["diff", "--config", fixtureConfiguration, "--stack", "shop-api-dev", "--endpoint-url", server.url, "--image-tag", "dev-7"],
            environment: Self.credentials)
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("Stack shop-api-dev (eu-west-1): not deployed, 10 to add"), "\(result.out)")
        #expect(result.out.contains("image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api:dev-7\n"))
        // A new service joins Service Connect: what its proxy adds to each task.
        #expect(result.out.contains("\ncost: Service joins Service Connect: ECS adds its proxy container to every task"), "\(result.out)")
        #expect(!actions(server).contains("CreateChangeSet"))
    }
    /// The commit the scripted stacks' images were built from, and the CI run's (`GITHUB_SHA`).
    private static let builtCommit = "0123456789abcdef0123456789abcdef01234567"

    /// A deployed service or job stack whose image was pinned by digest (as a signed image is),
    /// scripted: DescribeStacks with its parameters, GetTemplate with what synth writes for it.
    private func pinnedStack(_ stack: String, app: String, config: String, environment: String, moved: Bool = false) async throws -> TestHTTPServer {
        let out = try temporaryDirectory()
        let synth = await runBerth(["synth", "--config", config, "--env", environment, "--out", out, "--stack", stack])
        #expect(synth.status == 0, "\(synth.err)")
        let template = try readFile(out + "/\(stack).template.json")
        let parameters = [
            "RepositoryUri": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/\(app)/api", "ImageTag": "\(environment)-1",
            "ImageDigest": "sha256:" + String(repeating: "a", count: 64), "CommitSha": Self.builtCommit,
        ]
        return try TestHTTPServer { request in
            // ECR's DescribeImages, as the API reference shows it: the deployed tag (…-1) names the
            // deployed image, sha256:aaaa…, unless `moved`; any other, sha256:bbbb….
            // The repository lets tags move (MUTABLE), so the deploy pins the digest.
            if request.headers["x-amz-target"]?.hasSuffix(".DescribeRepositories") == true {
                return .respond(
                    status: 200, headers: [("Content-Type", "application/x-amz-json-1.1")],
                    body: #"{"repositories":[{"repositoryName":"\#(app)/api","repositoryArn":"arn:aws:ecr:eu-west-1:123456789012:repository/\#(app)/api","repositoryUri":"123456789012.dkr.ecr.eu-west-1.amazonaws.com/\#(app)/api","imageTagMutability":"MUTABLE"}]}"#)
            }
            if request.headers["x-amz-target"]?.hasSuffix(".DescribeImages") == true {
                let tag = request.text.components(separatedBy: #""imageTag":""#).dropFirst().first?.split(separator: "\"").first.map(String.init) ?? ""
                let digit = tag.hasSuffix("-1") && !moved ? "a" : "b"
                return .respond(
                    status: 200, headers: [("Content-Type", "application/x-amz-json-1.1")],
                    body: #"{"imageDetails":[{"imageDigest":"sha256:\#(String(repeating: digit, count: 64))","imageTags":["\#(tag)"],"imagePushedAt":1764000000}]}"#)
            }
            let action = request.form["Action"] ?? ""
            switch action {
            case "DescribeStacks" where request.form["StackName"] == stack:
                let members = parameters.sorted { $0.key < $1.key }.map { "<member><ParameterKey>\($0.key)</ParameterKey><ParameterValue>\($0.value)</ParameterValue></member>" }
                return .queryResult(
                    action,
                    "<Stacks><member><StackName>\(stack)</StackName><StackId>arn:stack/1</StackId><StackStatus>UPDATE_COMPLETE</StackStatus>"
                        + "<Parameters>\(members.joined())</Parameters>\(TestHTTPServer.Reply.stackTags(["berth:app": app]))</member></Stacks>")
            case "GetTemplate":
                return .queryResult(action, "<TemplateBody>\(TestHTTPServer.Reply.xmlEscaped(template))</TemplateBody>")
            default:
                return .respond(status: 400, body: "<ErrorResponse><Error><Code>ValidationError</Code><Message>Stack does not exist</Message></Error></ErrorResponse>")
            }
        }
    }

    /// `--image-tag` changes the image of a stack whose deployed image is pinned by digest: the
    /// new tag's digest is the one ECR gives it now, as the deploy would pin it, and the deployed
    /// tag is no change at all; a job takes the tag of the service whose image it runs, as the
    /// deploy gives it.
    @Test func anImageTagShowsTheImageChangeOfAPinnedServiceAndOfTheJobOnItsImage() async throws {
        let service = try await pinnedStack("shop-api-dev", app: "shop", config: fixtureConfiguration, environment: "dev")
        let serviceDiff = await runBerth(
            ["diff", "--config", fixtureConfiguration, "--stack", "shop-api-dev", "--endpoint-url", service.url, "--image-tag", "dev-7", "--method", "template"],
            environment: Self.credentials)
        #expect(serviceDiff.status == 0, "\(serviceDiff.err)")
        #expect(serviceDiff.out.contains("image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api@sha256:aaaa"), "\(serviceDiff.out)")
        #expect(serviceDiff.out.contains("sha256:bbbb"), "\(serviceDiff.out)")
        // The deployed tag, built from the commit the run names: the deploy would record the same.
        let same = await runBerth(
            ["diff", "--config", fixtureConfiguration, "--stack", "shop-api-dev", "--endpoint-url", service.url, "--image-tag", "dev-1", "--method", "template", "--fail"],
            environment: Self.credentials.merging(["GITHUB_SHA": Self.builtCommit]) { $1 })
        #expect(same.status == 0, "the deployed tag changes nothing: \(same.out)\(same.err)")
        #expect(same.out.contains("no differences"), "\(same.out)")
        // The deployed tag pushed again (a tag that can move): the deploy would pin the new image.
        let moved = try await pinnedStack("shop-api-dev", app: "shop", config: fixtureConfiguration, environment: "dev", moved: true)
        let again = await runBerth(
            ["diff", "--config", fixtureConfiguration, "--stack", "shop-api-dev", "--endpoint-url", moved.url, "--image-tag", "dev-1", "--method", "template"],
            environment: Self.credentials)
        #expect(again.status == 0, "\(again.err)")
        #expect(again.out.contains("→ sha256:bbbb"), "\(again.out)")

        let jobs = repositoryRoot + "/Tests/Lint/jobs"
        let job = try await pinnedStack("jobs-migrate-stage", app: "jobs", config: jobs, environment: "stage")
        let jobDiff = await runBerth(
            ["diff", "--config", jobs, "--stack", "jobs-migrate-stage", "--endpoint-url", job.url, "--image-tag", "api=stage-7", "--method", "template"],
            environment: Self.credentials)
        #expect(jobDiff.status == 0, "\(jobDiff.err)")
        #expect(jobDiff.out.contains("jobs/api@sha256:aaaa") && jobDiff.out.contains("→ sha256:bbbb"), "\(jobDiff.out)")
        #expect(!jobDiff.out.contains("no differences"), "\(jobDiff.out)")
    }
    /// A deployed `shop-api-dev` (its `deployed` parameters) beside a `shop-dev` whose
    /// ClusterName output is `shop-dev-cluster`, answered as CloudFormation's API reference shows.
    private func outputsServer(deployed: [String: String]) async throws -> TestHTTPServer {
        let out = try temporaryDirectory()
        let synth = await runBerth(["synth", "--config", fixtureConfiguration, "--env", "dev", "--out", out, "--stack", "shop-api-dev"])
        #expect(synth.status == 0, "\(synth.err)")
        let template = try readFile(out + "/shop-api-dev.template.json")
        return try TestHTTPServer { request in
            let form = request.form
            let action = form["Action"] ?? ""
            switch (action, form["StackName"]) {
            case ("DescribeStacks", "shop-api-dev"):
                let members = deployed.sorted { $0.key < $1.key }.map { "<member><ParameterKey>\($0.key)</ParameterKey><ParameterValue>\($0.value)</ParameterValue></member>" }
                return .queryResult(
                    action,
                    "<Stacks><member><StackName>shop-api-dev</StackName><StackId>arn:stack/1</StackId><StackStatus>UPDATE_COMPLETE</StackStatus>"
                        + "<Parameters>\(members.joined())</Parameters>\(TestHTTPServer.Reply.stackTags(["berth:app": "shop"]))</member></Stacks>")
            case ("DescribeStacks", "shop-dev"):
                return .queryResult(
                    action,
                    "<Stacks><member><StackName>shop-dev</StackName><StackId>arn:stack/2</StackId><StackStatus>UPDATE_COMPLETE</StackStatus>"
                        + "<Outputs><member><OutputKey>ClusterName</OutputKey><OutputValue>shop-dev-cluster</OutputValue></member></Outputs>"
                        + "\(TestHTTPServer.Reply.stackTags(["berth:app": "shop"]))</member></Stacks>")
            case ("GetTemplate", _):
                return .queryResult(action, "<TemplateBody>\(TestHTTPServer.Reply.xmlEscaped(template))</TemplateBody>")
            case ("CreateChangeSet", _):
                return .queryResult(action, "<Id>arn:changeset/1</Id><StackId>arn:stack/1</StackId>")
            case ("DescribeChangeSet", _):
                return .queryResult(action, "<Status>CREATE_COMPLETE</Status><Changes></Changes>")
            case ("DeleteChangeSet", _):
                return .queryResult(action, "")
            default:
                return .respond(status: 400, body: "<ErrorResponse><Error><Code>ValidationError</Code><Message>Stack does not exist</Message></Error></ErrorResponse>")
            }
        }
    }

    /// The parameters a change set of `server`'s stack was sent.
    private func sentParameters(_ server: TestHTTPServer) throws -> [String: String] {
        let made = try #require(server.requests.first { $0.form["Action"] == "CreateChangeSet" }?.form)
        return Dictionary(
            (1...40).compactMap { index in made["Parameters.member.\(index).ParameterKey"].map { ($0, made["Parameters.member.\(index).ParameterValue"] ?? "") } },
            uniquingKeysWith: { first, _ in first })
    }

    /// A deployed stack that gains a parameter from another stack's output (ClusterName here)
    /// is sent that output in the change set, as the deploy would send it: not left out, which
    /// CloudFormation refuses.
    @Test func aParameterTheDeployedStackLacksIsTakenFromTheStackItComesFrom() async throws {
        let server = try await outputsServer(deployed: ["RepositoryUri": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api", "ImageTag": "dev-1", "VpcId": "vpc-1"])
        let result = await runBerth(
            ["diff", "--config", fixtureConfiguration, "--stack", "shop-api-dev", "--endpoint-url", server.url, "--method", "change-set"],
            environment: Self.credentials)
        #expect(result.status == 0, "\(result.err)")
        let sent = try sentParameters(server)
        #expect(sent["ClusterName"] == "shop-dev-cluster", "\(sent)")
        #expect(sent["VpcId"] == "vpc-1")
    }

    /// A parameter from another stack's output that has changed since the stack was deployed
    /// (the shared stack made again) is what the deploy would pass: diff shows it and sends it.
    @Test func aParameterWhoseOutputChangedIsShownAndSent() async throws {
        let server = try await outputsServer(deployed: [
            "RepositoryUri": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api", "ImageTag": "dev-1", "VpcId": "vpc-1", "ClusterName": "shop-dev-old",
        ])
        let result = await runBerth(
            ["diff", "--config", fixtureConfiguration, "--stack", "shop-api-dev", "--endpoint-url", server.url, "--method", "change-set", "--fail"],
            environment: Self.credentials)
        #expect(result.status == 1, "\(result.out)\(result.err)")
        #expect(result.out.contains("ClusterName") && result.out.contains("shop-dev-old") && result.out.contains("shop-dev-cluster"), "\(result.out)")
        #expect(try sentParameters(server)["ClusterName"] == "shop-dev-cluster")
    }
}
