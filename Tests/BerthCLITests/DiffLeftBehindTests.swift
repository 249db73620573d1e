import BerthModel
import BerthTestSupport
import Foundation
import Testing

@testable import BerthAWS

/// `berth diff` of whole environments names the deployed stacks of services removed from the
/// files (a deploy leaves them running), found by their tags in moto, with the command that
/// deletes each. Serialized: one region.
@Suite(.serialized) struct DiffLeftBehindTests {
    private static let region = "eu-north-1"
    private static let credentials = [
        "AWS_ACCESS_KEY_ID": "AKIDRELIC", "AWS_SECRET_ACCESS_KEY": "relic-secret", "AWS_EC2_METADATA_DISABLED": "true",
        "HOME": "/nonexistent-berth-home",
    ]

    /// The removed service's stack in dev; the same service's in prod, its repository stack,
    /// another app's stack of the same service, and two stacks tagged as dev's whose names are
    /// not the ones those tags give (a nested stack, which takes its parent's tags; one tagged by
    /// hand), which are not dev's left behind.
    private func deployRemovedServiceStacks(_ moto: Endpoint) async throws {
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(moto, region: Self.region))
        let topic = #"{"Resources":{"Topic":{"Type":"AWS::SNS::Topic"}}}"#
        func tags(_ app: String, _ phase: Phase, environment: String?, service: String) -> [(key: String, value: String)] {
            StackTags.tags(app: app, phase: phase, environment: environment, service: service)
        }
        for (name, stackTags) in [
            ("relic-mailer-dev", tags("relic", .ecs, environment: "dev", service: "mailer")),
            ("relic-mailer-prod", tags("relic", .ecs, environment: "prod", service: "mailer")),
            ("relic-mailer-ecr", tags("relic", .ecr, environment: nil, service: "mailer")),
            ("other-mailer-dev", tags("other", .ecs, environment: "dev", service: "mailer")),
            ("relic-mailer-dev-Nested-1A2B3C", tags("relic", .ecs, environment: "dev", service: "mailer")),
            ("relic-mailer-qa", tags("relic", .ecs, environment: "dev", service: "mailer")),
            ("relic-mailer-ecr-Nested-4D5E6F", tags("relic", .ecr, environment: nil, service: "mailer")),
        ] where try await cloudFormation.describeStack(name) == nil {
            try await MotoHelpers.createStack(cloudFormation, name: name, templateBody: topic, tags: stackTags)
        }
    }

    @Test func aRemovedServicesStackIsNamedWithWhatDeletesIt() async throws {
        let moto = try await MotoServer.open.endpoint()
        try await deployRemovedServiceStacks(moto)
        let config = try configuration(["dev.yaml": oneServiceEnvironment(app: "relic", region: Self.region, cidr: "10.71.0.0/16")])
        let diff = ["diff", "--config", config, "--phase", "ecs", "--env", "dev", "--endpoint-url", moto.origin]

        let text = await runBerth(diff, environment: Self.credentials)
        #expect(text.status == 0, "\(text.err)")
        let lines = text.out.split(separator: "\n").map(String.init)
        let heading = try #require(lines.firstIndex(of: "Left behind"), "\(text.out)")
        #expect(Array(lines[(heading + 1)...]) == [
            "relic-mailer-dev (eu-north-1): deployed (CREATE_COMPLETE), but the app no longer has service mailer: a deploy leaves it running",
            "  berth destroy --env dev --config \(config) --removed-service mailer deletes relic-mailer-dev",
        ])

        let json = await runBerth(diff + ["--json"], environment: Self.credentials)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let leftBehind = try #require(document["leftBehind"] as? [[String: Any]])
        #expect(leftBehind.count == 1)
        #expect(leftBehind.first?["stack"] as? String == "relic-mailer-dev" && leftBehind.first?["service"] as? String == "mailer")
        #expect(leftBehind.first?["environment"] as? String == "dev" && leftBehind.first?["status"] as? String == "CREATE_COMPLETE")

        // A diff of some services or stacks does not look for them.
        let some = await runBerth(diff + ["--service", "api"], environment: Self.credentials)
        #expect(some.status == 0 && !some.out.contains("Left behind"), "\(some.out)")
        // Credentials that may read the app's stacks but not list the region's: said, and the
        // comparison stands.
        let denying = try TestHTTPServer { request in
            guard request.form["Action"] == "DescribeStacks", request.form["StackName"] == nil else { return .forward(port: moto.port ?? 0) }
            return .respond(
                status: 403,
                body: "<ErrorResponse><Error><Code>AccessDenied</Code><Message>not allowed to cloudformation:DescribeStacks</Message></Error></ErrorResponse>")
        }
        let denied = await runBerth(
            ["diff", "--config", config, "--phase", "ecs", "--env", "dev", "--endpoint-url", denying.url, "--max-attempts", "1"], environment: Self.credentials)
        #expect(denied.status == 0, "\(denied.err)")
        #expect(
            denied.err.contains(
                "could not look for stacks of removed services: AccessDenied: listing the region's stacks needs "
                    + "cloudformation:ListStacks and cloudformation:DescribeStacks on *"), "\(denied.err)")
        #expect(denied.out.contains("stacks compared") && !denied.out.contains("Left behind"))
        // In GitHub Actions the warning's annotation goes to the error stream: --json's output stays one document.
        var github = Self.credentials
        github["GITHUB_ACTIONS"] = "true"
        let annotated = await runBerth(
            ["diff", "--config", config, "--phase", "ecs", "--env", "dev", "--endpoint-url", denying.url, "--max-attempts", "1", "--json"], environment: github)
        #expect(annotated.status == 0, "\(annotated.err)")
        #expect((try? JSONSerialization.jsonObject(with: Data(annotated.out.utf8))) != nil, "\(annotated.out)")
        #expect(annotated.err.contains("::warning title=berth::could not look for stacks of removed services"), "\(annotated.err)")
    }

    /// A destroy of the environment would delete the removed service's stack with it, but a stack
    /// tagged as the environment's that is not named as those tags say (made or tagged by hand, or
    /// by another tool) refuses it: nothing is deleted.
    @Test func aDestroyRefusesAStackTaggedAsTheEnvironmentsThatItsTagsDoNotName() async throws {
        let moto = try await MotoServer.open.endpoint()
        try await deployRemovedServiceStacks(moto)
        let config = try configuration(["dev.yaml": oneServiceEnvironment(app: "relic", region: Self.region, cidr: "10.71.0.0/16")])
        let destroy = await runBerth(
            ["destroy", "--config", config, "--env", "dev", "--endpoint-url", moto.origin, "--yes"], environment: Self.credentials)
        #expect(destroy.status == 2, "\(destroy.out)\n\(destroy.err)")
        for name in ["relic-mailer-dev-Nested-1A2B3C", "relic-mailer-qa"] {
            #expect(
                destroy.err.contains(
                    "\(name) carries the environment's tags (service mailer) but is not named as Berth names that stack; "
                        + "destroy deletes only stacks it can tell are the environment's: delete it, or remove its berth: tags, yourself"), "\(destroy.err)")
        }
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(moto, region: Self.region))
        for name in ["relic-mailer-dev", "relic-mailer-dev-Nested-1A2B3C", "relic-mailer-qa"] {
            #expect(try await cloudFormation.describeStack(name)?.status == .createComplete, "\(name) was left as it was")
        }
    }

    /// A deploy of a whole environment names them too, once it is done (a removed scheduled
    /// job's schedule still starts its tasks); a deploy of some services does not look. A deploy
    /// of the repositories names the removed service's repository stack, which stays.
    @Test func aDeployOfTheEnvironmentNamesThemOnceDone() async throws {
        let moto = try await MotoServer.open.endpoint()
        try await deployRemovedServiceStacks(moto)
        let config = try configuration(["dev.yaml": oneServiceEnvironment(app: "relic", region: Self.region, cidr: "10.71.0.0/16")])
        let deploy = ["deploy", "--config", config, "--endpoint-url", moto.origin, "--out", try temporaryDirectory()]
        let repositories = await runBerth(deploy + ["--phase", "ecr"], environment: Self.credentials)
        #expect(repositories.status == 0, "\(repositories.err)")
        #expect(
            repositories.err.contains(
                "warning: relic-mailer-ecr (eu-north-1) holds the repository of service mailer, which the files no longer name; "
                    + "relic-mailer-dev, relic-mailer-prod still run its images: it stays, with them, as Berth deletes no repository"), "\(repositories.err)")
        #expect(
            !repositories.err.contains("relic-mailer-dev (eu-north-1): deployed") && !repositories.err.contains("Nested") && !repositories.err.contains("relic-mailer-qa"),
            "phase 1 names no environment's stack as left behind, nor a stack its tags misname: \(repositories.err)")
        let tag = "dev-20261205-100000-abcdef12"
        try await MotoHelpers.putImage(moto, region: Self.region, repository: "relic/api", tag: tag, digest: "sha256:" + String(repeating: "7", count: 64))
        let deployed = await runBerth(deploy + ["--phase", "ecs", "--env", "dev", "--image-tag", tag], environment: Self.credentials)
        #expect(deployed.status == 0, "\(deployed.err)")
        #expect(
            deployed.err.contains(
                "warning: relic-mailer-dev (eu-north-1): deployed (CREATE_COMPLETE), but the app no longer has service mailer: a deploy leaves it "
                    + "running; berth destroy --env dev --config \(config) --removed-service mailer deletes it"), "\(deployed.err)")
        #expect(!deployed.err.contains("relic-mailer-prod") && !deployed.err.contains("other-mailer-dev"), "\(deployed.err)")
        #expect(!deployed.err.contains("relic-mailer-ecr"), "phase 2 names no repository stack: \(deployed.err)")
        let some = await runBerth(deploy + ["--phase", "ecs", "--env", "dev", "--image-tag", tag, "--service", "api"], environment: Self.credentials)
        #expect(some.status == 0 && !some.err.contains("no longer has"), "\(some.err)")
    }

    /// Ctrl-C while that look waits on a slow answer ends the command as interrupted (it was:
    /// exit 0), saying the deploy is done. Through a proxy that holds the region's listing.
    @Test func anInterruptDuringTheLookEndsTheDeployAsInterrupted() async throws {
        let moto = try await MotoServer.open.endpoint()
        // Another app, whose stacks are not the other tests' left behind.
        let config = try configuration(["dev.yaml": sampleBinaryEnvironment(app: "halted", region: Self.region, cidr: "10.72.0.0/16")])
        let deploy = ["deploy", "--config", config, "--out", try temporaryDirectory()]
        let repositories = await runBerth(deploy + ["--endpoint-url", moto.origin, "--phase", "ecr"], environment: Self.credentials)
        #expect(repositories.status == 0, "\(repositories.err)")
        let tag = "dev-20261207-100000-abcdef13"
        for (repository, digit) in [("halted/api", "8"), ("halted/worker", "9")] {
            try await MotoHelpers.putImage(moto, region: Self.region, repository: repository, tag: tag, digest: "sha256:" + String(repeating: digit, count: 64))
        }
        let proxy = try TestHTTPServer { request in
            guard request.form["Action"] == "DescribeStacks", request.form["StackName"] == nil else { return .forward(port: moto.port ?? 0) }
            return .delay(.seconds(20), .forward(port: moto.port ?? 0))
        }
        let berth = try BerthProcess(
            deploy + ["--endpoint-url", proxy.url, "--phase", "ecs", "--env", "dev", "--image-tag", tag], environment: Self.credentials)
        try await waitUntil("berth to list the region's stacks") {
            proxy.requests.contains { $0.form["Action"] == "DescribeStacks" && $0.form["StackName"] == nil } || !berth.isRunning
        }
        berth.interrupt()
        try await berth.waitForEnd()
        #expect(berth.status == 130, "\(berth.errors.text)")
        #expect(berth.errors.text.contains("interrupted while looking for stacks of removed services; the deploy is done"), "\(berth.errors.text)")
    }
}
