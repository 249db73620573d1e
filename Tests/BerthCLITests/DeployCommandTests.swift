import BerthModel
import BerthTemplate
import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS

/// The story of write-up 004, end to end against a real moto server: the service is never
/// created before its image exists.
@Suite(.serialized) struct DeployCommandTests {
    /// One service as app `story` in its own region, so that it shares nothing with other tests.
    private static let environmentFile = oneServiceEnvironment(app: "story", region: "eu-north-1", cidr: "10.30.0.0/16")

    private func credentials() -> [String: String] {
        [
            "AWS_ACCESS_KEY_ID": "AKIDDEPLOYTEST", "AWS_SECRET_ACCESS_KEY": "deploy-secret-never-printed",
            "AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent-berth-home",
        ]
    }

    @Test func theServiceWaitsForItsImage() async throws {
        let moto = try await MotoServer.open.endpoint()
        let config = try configuration(["dev.yaml": Self.environmentFile])
        let out = try temporaryDirectory()
        // A proxy in front of moto records every call berth makes.
        let proxy = try TestHTTPServer { _ in .forward(port: moto.port ?? 0) }
        let base = ["deploy", "--config", config, "--endpoint-url", proxy.url, "--out", out]
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(moto, region: "eu-north-1"))

        // Mutable and malformed tags are refused before any call at all.
        for tag in ["latest", "pr-51/abc"] {
            let refused = await runBerth(base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag], environment: credentials())
            #expect(refused.status == 3, "\(refused.err)")
        }
        #expect(proxy.requests.isEmpty)

        // Phase 1.
        let phaseOne = await runBerth(base + ["--phase", "ecr"], environment: credentials())
        #expect(phaseOne.status == 0, "\(phaseOne.err)")
        #expect(phaseOne.out.contains("story-api-ecr: created"))
        #expect(FileManager.default.fileExists(atPath: out + "/outputs.json"))
        #expect(try await cloudFormation.describeStack("story-api-ecr")?.status == .createComplete)

        // Phase 2 with an image that is not there: refused, and no service stack.
        let tag1 = "dev-20261122-100000-aaaaaaaa"
        let missing = await runBerth(base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag1], environment: credentials())
        #expect(missing.status == 3)
        #expect(missing.err.contains("image story/api:\(tag1) is not in ECR"))
        #expect(try await cloudFormation.describeStack("story-api-dev") == nil)
        #expect(!proxy.requests.contains { $0.text.contains("Action=CreateChangeSet") && $0.text.contains("story-api-dev") })
        // ECR answering what is no answer (a proxy's page): the error names the service and image
        // the gate was checking, as it checks every service's at once; nothing changes.
        let garbling = try TestHTTPServer { request in
            request.headers["x-amz-target"] == "AmazonEC2ContainerRegistry_V20150921.DescribeImages"
                ? .respond(status: 200, headers: [("Content-Type", "application/x-amz-json-1.1")], body: "not json at all")
                : .forward(port: moto.port ?? 0)
        }
        let garbled = await runBerth(
            ["deploy", "--config", config, "--endpoint-url", garbling.url, "--out", out, "--phase", "ecs", "--env", "dev", "--image-tag", tag1,
             "--max-attempts", "1"], environment: credentials())
        #expect(garbled.status == 1, "\(garbled.err)")
        #expect(garbled.err.contains("the image gate could not check api's image story/api:\(tag1): ecr DescribeImages"), "\(garbled.err)")
        #expect(garbled.err.contains("; no phase-2 stack was changed"), "\(garbled.err)")
        #expect(try await cloudFormation.describeStack("story-api-dev") == nil)

        // The push lands; the deploy goes through with the tag's parameters.
        try await MotoHelpers.putImage(moto, region: "eu-north-1", repository: "story/api", tag: tag1, digest: "sha256:" + String(repeating: "a", count: 64))
        let first = await runBerth(
            base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag1, "--commit-sha", "aaaaaaaa"], environment: credentials())
        #expect(first.status == 0, "\(first.err)")
        #expect(first.out.contains("image story/api:\(tag1) is in ECR: digest sha256:aaaa"))
        #expect(first.out.contains("story-api-dev: created"))
        let created = try #require(try await cloudFormation.describeStack("story-api-dev"))
        #expect(created.parameters["ImageTag"] == tag1)
        #expect(created.parameters["ImageDigest"] == "")
        #expect(created.parameters["CommitSha"] == "aaaaaaaa")
        #expect(created.parameters["RepositoryName"] == "story/api")
        // Stack tags that would change with every deploy would update every resource's tags.
        #expect(created.tags == ["berth:app": "story", "berth:phase": "ecs", "berth:environment": "dev", "berth:service": "api"])

        // A second tag is an update of the image parameter.
        let tag2 = "dev-20261122-110000-bbbbbbbb"
        try await MotoHelpers.putImage(moto, region: "eu-north-1", repository: "story/api", tag: tag2, digest: "sha256:" + String(repeating: "b", count: 64))
        let second = await runBerth(base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag2], environment: credentials())
        #expect(second.status == 0, "\(second.err)")
        #expect(second.out.contains("story-api-dev: updated"))
        let updated = try #require(try await cloudFormation.describeStack("story-api-dev"))
        #expect(updated.parameters["ImageTag"] == tag2)
        #expect(updated.tags == created.tags)

        // The same deploy again changes nothing.
        let again = await runBerth(base + ["--phase", "ecs", "--env", "dev", "--image-tag", tag2], environment: credentials())
        #expect(again.status == 0, "\(again.err)")
        #expect(again.out.contains("story-api-dev: no changes"))
        #expect(!(again.out + again.err).contains("deploy-secret-never-printed"))
    }

    @Test func waitingForImageSucceedsWhenThePushLandsDuringTheWait() async throws {
        let moto = try await MotoServer.open.endpoint()
        let config = try configuration(["qa.yaml": Self.environmentFile.replacingOccurrences(of: "app: story", with: "app: waiting")])
        // Through a proxy, to see when the gate has had its first answer.
        let proxy = try TestHTTPServer { _ in .forward(port: moto.port ?? 0) }
        let base = ["deploy", "--config", config, "--endpoint-url", proxy.url, "--out", try temporaryDirectory()]
        #expect(await runBerth(base + ["--phase", "ecr"], environment: credentials()).status == 0)
        let tag = "qa-20261122-120000-cccccccc"
        func looksForImages(_ request: TestHTTPServer.Request) -> Bool {
            request.headers["x-amz-target"] == "AmazonEC2ContainerRegistry_V20150921.DescribeImages"
        }
        // The push lands once the gate has been told the image is not there.
        let pusher = Task {
            try await waitUntil("the image gate's first look") { proxy.answered.contains(where: looksForImages) }
            try await MotoHelpers.putImage(moto, region: "eu-north-1", repository: "waiting/api", tag: tag, digest: "sha256:" + String(repeating: "c", count: 64))
        }
        let result = await runBerth(
            base + ["--phase", "ecs", "--env", "qa", "--image-tag", tag, "--wait-for-image", "20s"], environment: credentials())
        try await pusher.value
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("waiting up to"))
        #expect(result.out.contains("waiting-api-qa: created"))
        // It found the image on a later look.
        #expect(proxy.requests.filter(looksForImages).count >= 2)
    }

    /// --timeout running out while the gate waits for an image says that no phase-2 stack was
    /// changed (it said the stacks carry on in CloudFormation), and none was.
    @Test func aTimeoutAtTheGateSaysNoPhaseTwoStackChanged() async throws {
        let moto = try await MotoServer.open.endpoint()
        let config = try configuration(["qa.yaml": Self.environmentFile.replacingOccurrences(of: "app: story", with: "app: gated")])
        let base = ["deploy", "--config", config, "--endpoint-url", moto.origin, "--out", try temporaryDirectory()]
        let repositories = await runBerth(base + ["--phase", "ecr"], environment: credentials())
        #expect(repositories.status == 0, "\(repositories.err)")
        let timedOut = await runBerth(
            base + ["--phase", "all", "--env", "qa", "--image-tag", "qa-20261207-120000-cccccccc", "--wait-for-image", "60s", "--timeout", "3s"],
            environment: credentials())
        #expect(timedOut.status == 4, "\(timedOut.err)")
        #expect(timedOut.out.contains("gated-api-ecr: no changes"), "\(timedOut.out)")
        #expect(
            timedOut.err.contains(
                "the deploy did not finish within --timeout 3s; the image gate had not passed, so no phase-2 stack was changed "
                    + "(stacks deployed before the gate stay deployed). Run the same command again to continue, once the images are in ECR."),
            "\(timedOut.err)")
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(moto, region: "eu-north-1"))
        #expect(try await cloudFormation.describeStack("gated-api-qa") == nil)
    }

    @Test func phaseAllDeploysBothInOneRun() async throws {
        let moto = try await MotoServer.open.endpoint()
        let config = try configuration(["prod.yaml": Self.environmentFile.replacingOccurrences(of: "app: story", with: "app: whole")])
        let base = ["deploy", "--config", config, "--endpoint-url", moto.origin, "--out", try temporaryDirectory()]
        let tag = "prod-20261122-130000-dddddddd"
        // The repository does not exist yet, so the image cannot: phase 1 runs, the gate refuses.
        let refused = await runBerth(base + ["--phase", "all", "--env", "prod", "--image-tag", tag], environment: credentials())
        #expect(refused.status == 3)
        #expect(refused.out.contains("whole-api-ecr: created"))
        try await MotoHelpers.putImage(moto, region: "eu-north-1", repository: "whole/api", tag: tag, digest: "sha256:" + String(repeating: "d", count: 64))
        let deployed = await runBerth(base + ["--phase", "all", "--env", "prod", "--image-tag", tag], environment: credentials())
        #expect(deployed.status == 0, "\(deployed.err)")
        #expect(deployed.out.contains("whole-api-ecr: no changes"))
        #expect(deployed.out.contains("whole-api-prod: created"))
    }

    /// A call's failure knows no stack: the deploy's error names the stack it failed for, among
    /// the others (CloudFormation's Throttling, as the API reference lists it, for one stack's
    /// ExecuteChangeSet; the other is deployed).
    @Test func aFailedCallIsNamedByItsStack() async throws {
        let moto = try await MotoServer.open.endpoint()
        let file = "app: named\nregion: eu-north-1\nnetwork: {vpc: new, cidr: 10.31.0.0/16}\nservices:\n"
            + "  api: {kind: worker, cpu: 256, memory: 512}\n  jobs: {kind: worker, cpu: 256, memory: 512}\n"
        let config = try configuration(["dev.yaml": file])
        let proxy = try TestHTTPServer { request in
            if request.form["Action"] == "ExecuteChangeSet", request.form["StackName"] == "named-jobs-ecr" {
                return .respond(
                    status: 400, body: "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>")
            }
            return .forward(port: moto.port ?? 0)
        }
        let deploy = await runBerth(
            ["deploy", "--config", config, "--endpoint-url", proxy.url, "--out", try temporaryDirectory(), "--phase", "ecr", "--max-attempts", "1", "--concurrency", "1"],
            environment: credentials())
        #expect(deploy.status == 1, "\(deploy.err)")
        #expect(deploy.err.hasPrefix("error: named-jobs-ecr: cloudformation ExecuteChangeSet failed: Throttling: Rate exceeded"), "\(deploy.err)")
        #expect(deploy.err.contains("deployed before the failure: named-api-ecr"), "\(deploy.err)")

        // Its change set ran, and then its progress could not be read: the deploy says so.
        let executed = Flag()
        let reading = try TestHTTPServer { request in
            // Asked for by its name, or by its ID once the change set has made it.
            let stack = request.form["StackName"] ?? ""
            if stack == "named-jobs-ecr" || stack.contains(":stack/named-jobs-ecr/") {
                if request.form["Action"] == "ExecuteChangeSet" { executed.set() }
                if executed.isSet, ["DescribeStackEvents", "DescribeStacks"].contains(request.form["Action"] ?? "") {
                    return .respond(status: 500, body: "<ErrorResponse><Error><Code>InternalFailure</Code><Message>down</Message></Error></ErrorResponse>")
                }
            }
            return .forward(port: moto.port ?? 0)
        }
        let lost = await runBerth(
            ["deploy", "--config", config, "--endpoint-url", reading.url, "--out", try temporaryDirectory(), "--phase", "ecr", "--max-attempts", "1"],
            environment: credentials())
        #expect(lost.status == 1, "\(lost.err)")
        #expect(lost.out.contains("named-jobs-ecr: its change set ran, and CloudFormation carries on with it, but its progress could not be read"), "\(lost.out)")
        #expect(lost.err.hasPrefix("error: named-jobs-ecr: cloudformation DescribeStack"), "\(lost.err)")
    }

    /// Two deploys of one stack: CloudFormation refuses to run the second's change set while
    /// the first's runs (a ValidationError, as the API reference shows it). The second says so,
    /// with the stack's status, rather than only the refusal.
    @Test func aChangeSetRefusedWhileAnotherOperationRunsSaysSo() async throws {
        let moto = try await MotoServer.open.endpoint()
        let file = oneServiceEnvironment(app: "busy", region: "eu-north-1", cidr: "10.32.0.0/16")
        let config = try configuration(["dev.yaml": file])
        // The repository stack exists; the next deploy changes its lifecycle rule.
        let first = await runBerth(
            ["deploy", "--config", config, "--endpoint-url", moto.origin, "--out", try temporaryDirectory(), "--phase", "ecr"], environment: credentials())
        #expect(first.status == 0, "\(first.err)")
        try (file + "lifecycle: {keepImages: 5}\n").write(toFile: config + "/dev.yaml", atomically: true, encoding: .utf8)
        let refused = Flag()
        let proxy = try TestHTTPServer { request in
            let stack = request.form["StackName"] ?? ""
            guard stack == "busy-api-ecr" || stack.contains(":stack/busy-api-ecr/") else { return .forward(port: moto.port ?? 0) }
            if request.form["Action"] == "ExecuteChangeSet" {
                refused.set()
                return .respond(
                    status: 400,
                    body: "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code>"
                        + "<Message>Stack:arn:aws:cloudformation:eu-north-1:123456789012:stack/busy-api-ecr/1 is in UPDATE_IN_PROGRESS state and can not be updated.</Message></Error></ErrorResponse>")
            }
            if refused.isSet, request.form["Action"] == "DescribeStacks" {
                return .queryResult(
                    "DescribeStacks",
                    "<Stacks><member><StackName>busy-api-ecr</StackName><StackId>arn:aws:cloudformation:eu-north-1:123456789012:stack/busy-api-ecr/1</StackId>"
                        + "<StackStatus>UPDATE_IN_PROGRESS</StackStatus><CreationTime>2026-12-07T10:00:00Z</CreationTime></member></Stacks>")
            }
            return .forward(port: moto.port ?? 0)
        }
        let deploy = await runBerth(
            ["deploy", "--config", config, "--endpoint-url", proxy.url, "--out", try temporaryDirectory(), "--phase", "ecr", "--max-attempts", "1"],
            environment: credentials())
        #expect(deploy.status == 1, "\(deploy.err)")
        #expect(
            deploy.err.contains("busy-api-ecr: CloudFormation refused to run this deploy's change set (cloudformation ExecuteChangeSet failed: ValidationError"),
            "\(deploy.err)")
        #expect(deploy.err.contains("while the stack is UPDATE_IN_PROGRESS: another operation on it is under way, another deploy's perhaps"), "\(deploy.err)")
    }

    /// `mutableTags` and `repository`: the gate reads the named repository's exclusion filters
    /// from ECR, refuses a tag they let move, and with --allow-mutable-tag pins its digest.
    @Test func aTagTheRepositoryLetsMoveIsRefusedUnlessAllowedThenPinned() async throws {
        let moto = try await MotoServer.open.endpoint()
        // moto matches an exclusion filter as a regular expression, so the filter is a plain name.
        let file = Self.environmentFile.replacingOccurrences(of: "app: story", with: "app: moving")
            + "repository: platform/moving\nmutableTags: [dev-latest]\n"
        let config = try configuration(["dev.yaml": file])
        let base = ["deploy", "--config", config, "--endpoint-url", moto.origin, "--out", try temporaryDirectory()]
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(moto, region: "eu-north-1"))
        #expect(await runBerth(base + ["--phase", "ecr"], environment: credentials()).status == 0)
        let moved = "sha256:" + String(repeating: "f", count: 64)
        try await MotoHelpers.putImage(moto, region: "eu-north-1", repository: "platform/moving", tag: "dev-latest", digest: "sha256:" + String(repeating: "e", count: 64))
        try await MotoHelpers.putImage(moto, region: "eu-north-1", repository: "platform/moving", tag: "dev-latest", digest: moved)

        let refused = await runBerth(base + ["--phase", "ecs", "--env", "dev", "--image-tag", "dev-latest"], environment: credentials())
        #expect(refused.status == 3)
        #expect(refused.err.contains("refusing tag \"dev-latest\": repository platform/moving lets it move (it matches the mutable-tag filter \"dev-latest\")"))
        #expect(refused.err.contains("or pass --allow-mutable-tag"))
        #expect(try await cloudFormation.describeStack("moving-api-dev") == nil)

        let allowed = await runBerth(
            base + ["--phase", "ecs", "--env", "dev", "--image-tag", "dev-latest", "--allow-mutable-tag"], environment: credentials())
        #expect(allowed.status == 0, "\(allowed.err)")
        #expect(allowed.out.contains("the tag matches the repository's mutable-tag filter \"dev-latest\": the task definition pins the digest"))
        #expect(allowed.out.contains("once dev-latest moves on, that image keeps no tag unless it has another, and the lifecycle policy expires untagged images after a day"))
        let created = try #require(try await cloudFormation.describeStack("moving-api-dev"))
        #expect(created.parameters["ImageDigest"] == moved)
        #expect(created.parameters["RepositoryName"] == "platform/moving")
    }

    @Test func deployFlagsAreChecked() async {
        let missingTag = await runBerth(["deploy", "--config", fixtureConfiguration, "--phase", "ecs", "--env", "dev"])
        #expect(missingTag.status == 2)
        #expect(missingTag.err.contains("--phase ecs needs --image-tag TAG"))
        let badDuration = await runBerth(["deploy", "--config", fixtureConfiguration, "--phase", "ecr", "--timeout", "soon"])
        #expect(badDuration.status == 2)
        let alone = await runBerth(["deploy", "--config", fixtureConfiguration, "--phase", "ecr", "--keep-repository-policy"])
        #expect(alone.status == 2 && alone.err.contains("--keep-repository-policy goes with --adopt"), "\(alone.err)")
        // The repositories are the whole app's, but an environment named is an environment checked,
        // before any call (the endpoint answers nothing).
        for (env, hint) in [("nope", ""), ("pr-51", "; pr-51 is made from the template preview: add --from preview")] {
            let unknown = await runBerth(
                ["deploy", "--config", fixtureConfiguration, "--phase", "ecr", "--env", env, "--endpoint-url", "http://127.0.0.1:9"],
                environment: ["AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "x", "AWS_EC2_METADATA_DISABLED": "true"])
            #expect(unknown.status == 2, "\(unknown.err)")
            #expect(unknown.err.contains("no environment \(env); the app has dev, prod\(hint)"), "\(unknown.err)")
        }
    }

    /// Ctrl-C while waiting stops the waiting, not CloudFormation. The built `berth` runs in a
    /// process of its own: a signal reaches every command running in a process, and other suites
    /// run theirs in this one. The signal goes once berth says it is waiting.
    @Test func anInterruptLeavesTheStackAndSaysHowToResume() async throws {
        let fake = FakeCloudFormation(stackName: "story-api-ecr", statuses: ["UPDATE_IN_PROGRESS"], tags: ["berth:app": "story"])
        let server = try TestHTTPServer { fake.handle($0) }
        let config = try configuration([
            "dev.yaml": "app: story\nregion: eu-west-1\nservices:\n  web: {cpu: 256, memory: 512}\n  api: {cpu: 256, memory: 512, routing: {paths: [/api/*]}}\n  worker: {kind: worker, cpu: 256, memory: 512}\n"
        ])
        let process = Process()
        process.executableURL = try builtExecutable("berth")
        process.arguments = [
            "deploy", "--config", config, "--phase", "ecr", "--service", "api", "--endpoint-url", server.url, "--out",
            try temporaryDirectory(), "--timeout", "30s",
        ]
        process.environment = [
            "AWS_ACCESS_KEY_ID": "AKIDINT", "AWS_SECRET_ACCESS_KEY": "x", "AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent",
        ]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let output = PipeReader(out), errors = PipeReader(err)
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        let waiting = "story-api-ecr is UPDATE_IN_PROGRESS; waiting for it to settle"
        try await waitUntil("berth to say \"\(waiting)\"; it wrote \(output.text)\(errors.text)") {
            output.text.contains(waiting) || !process.isRunning
        }
        if process.isRunning { kill(process.processIdentifier, SIGINT) }
        process.waitUntilExit()
        try await waitUntil("the end of berth's output") { output.isAtEnd && errors.isAtEnd }
        #expect(process.terminationStatus == 130, "\(errors.text)")
        #expect(output.text.contains(waiting), "\(output.text)")
        #expect(
            errors.text.contains(
                "interrupted; story-api-ecr was not changed by this deploy: its change set had not run (any operation already under way on it carries on). "
                    + "Run the same command again to continue"),
            "\(errors.text)")
        #expect(!fake.calls.contains("CreateChangeSet"))
    }
}

/// Set once, read from the proxy's threads.
private final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
