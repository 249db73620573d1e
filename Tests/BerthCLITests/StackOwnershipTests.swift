import BerthTemplate
import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS

/// Berth changes and deletes only its own app's stacks, the ones whose `berth:app` tag names the
/// app. Against moto: a stack with one of the app's names that someone made by hand, and one that
/// another app deployed (app `own-api`'s shared stack for dev is named as app `own`'s api service
/// stack for dev), are refused by deploy and destroy, named by diff and status, and left as they were.
@Suite(.serialized) struct StackOwnershipTests {
    private static let region = "eu-central-2"
    private static let environmentFile = oneServiceEnvironment(app: "own", region: region, cidr: "10.62.0.0/16")
    private static let handMade = #"{"Resources":{"Topic":{"Type":"AWS::SNS::Topic","Properties":{"TopicName":"own-by-hand"}}}}"#
    private static let otherApps = #"{"Resources":{"Topic":{"Type":"AWS::SNS::Topic","Properties":{"TopicName":"own-api-dev"}}}}"#

    private func credentials() -> [String: String] {
        [
            "AWS_ACCESS_KEY_ID": "AKIDOWNERTEST", "AWS_SECRET_ACCESS_KEY": "owner-secret", "AWS_EC2_METADATA_DISABLED": "true",
            "HOME": "/nonexistent-berth-home",
        ]
    }

    /// Creates `name` in moto as CloudFormation would for anyone else: a change set, executed.
    private func create(_ name: String, body: String, tags: [(key: String, value: String)], in cloudFormation: CloudFormationClient) async throws {
        try await MotoHelpers.createStack(cloudFormation, name: name, templateBody: body, tags: tags)
    }

    @Test func anotherAppsStackAndAHandMadeOneAreLeftAsTheyWere() async throws {
        let moto = try await MotoServer.open.endpoint()
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(moto, region: Self.region))
        try await create("own-api-ecr", body: Self.handMade, tags: [], in: cloudFormation)
        try await create(
            "own-api-dev", body: Self.otherApps, tags: [("berth:app", "own-api"), ("berth:phase", "ecs"), ("berth:environment", "dev")],
            in: cloudFormation)
        let config = try configuration(["dev.yaml": Self.environmentFile])
        let proxy = try TestHTTPServer { _ in .forward(port: moto.port ?? 0) }
        let base = ["--config", config, "--endpoint-url", proxy.url]
        func changes(of stack: String) -> [String] {
            proxy.requests.map(\.form).filter { $0["StackName"] == stack && $0["Action"] != "DescribeStacks" && $0["Action"] != "GetTemplate" }
                .compactMap { $0["Action"] }
        }

        let deploy = await runBerth(["deploy"] + base + ["--out", try temporaryDirectory(), "--phase", "ecr"], environment: credentials())
        #expect(deploy.status == 2, "\(deploy.err)")
        #expect(
            deploy.err.contains(
                "error: own-api-ecr has no berth:app tag: it is not app own's, and Berth works only with app own's stacks; nothing was changed in it. "
                    + "A stack made by hand or by another tool needs another name"), "\(deploy.err)")

        let diff = await runBerth(["diff"] + base + ["--env", "dev"], environment: credentials())
        #expect(diff.status == 0, "\(diff.err)")
        #expect(
            diff.out.contains("note: own-api-ecr has no berth:app tag, so it is not this app's: deploy refuses to change it; the template comparison alone"),
            "\(diff.out)")
        #expect(diff.out.contains("note: own-api-dev belongs to app own-api (its berth:app tag), so it is not this app's"), "\(diff.out)")

        let status = await runBerth(["status"] + base + ["--env", "dev"], environment: credentials())
        #expect(status.status == 0, "\(status.err)")
        #expect(
            status.out.contains(
                "dev api: not deployed (own-api-dev)\n  note      own-api-dev belongs to app own-api (its berth:app tag), so it is not this service's"),
            "\(status.out)")
        let history = await runBerth(["history"] + base + ["--env", "dev", "--service", "api", "--json"], environment: credentials())
        #expect(history.status == 0, "\(history.err)")
        let services = try JSONValue.parseJSON(history.out, file: "history")["services"]?.elements
        #expect(services?.first?["notes"] == ["own-api-dev belongs to app own-api (its berth:app tag), so it is not this service's"], "\(history.out)")

        let destroy = await runBerth(["destroy"] + base + ["--env", "dev", "--yes"], environment: credentials())
        #expect(destroy.status == 2, "\(destroy.err)")
        #expect(
            destroy.err.contains("nothing was deleted: own-api-dev belongs to app own-api (its berth:app tag): destroy deletes only app own's stacks"),
            "\(destroy.err)")

        // No change set was made on either stack, neither was deleted, and both hold what they held.
        #expect(changes(of: "own-api-ecr").isEmpty, "\(changes(of: "own-api-ecr"))")
        #expect(changes(of: "own-api-dev").isEmpty, "\(changes(of: "own-api-dev"))")
        #expect(try await cloudFormation.getTemplate(stackName: "own-api-ecr") == Self.handMade)
        #expect(try await cloudFormation.getTemplate(stackName: "own-api-dev") == Self.otherApps)
        #expect(try await cloudFormation.describeStack("own-api-dev")?.tags["berth:app"] == "own-api")
    }

    /// `images` counts no image as running in a stack of another app, `logs` reads nothing of
    /// it, and `rollback` refuses it as deploy would.
    @Test func imagesLogsAndRollbackTakeNothingFromAnotherAppsStack() async throws {
        let region = "eu-south-2"
        let moto = try await MotoServer.open.endpoint()
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(moto, region: region))
        let config = try configuration(["dev.yaml": oneServiceEnvironment(app: "mine", region: region, cidr: "10.63.0.0/16")])
        let base = ["--config", config, "--endpoint-url", moto.origin]
        let phaseOne = await runBerth(["deploy"] + base + ["--out", try temporaryDirectory(), "--phase", "ecr"], environment: credentials())
        #expect(phaseOne.status == 0, "\(phaseOne.err)")
        let tag = "dev-20261206-100000-aaaaaaaa"
        try await MotoHelpers.putImage(moto, region: region, repository: "mine/api", tag: tag, digest: "sha256:" + String(repeating: "a", count: 64))
        // App mine-api's shared stack for dev, deployed with an ImageTag parameter of the same value.
        let body = #"{"Parameters":{"ImageTag":{"Type":"String"}},"Resources":{"Topic":{"Type":"AWS::SNS::Topic","Properties":{"TopicName":"mine-api-dev"}}}}"#
        try await MotoHelpers.createStack(cloudFormation, name: "mine-api-dev", templateBody: body, parameters: [("ImageTag", tag)], tags: [("berth:app", "mine-api")])

        let images = await runBerth(["images", "--json"] + base, environment: credentials())
        #expect(images.status == 0, "\(images.err)")
        let listed = try JSONValue.parseJSON(images.out, file: "stdout")["repositories"]?.elements?.first?["images"]?.elements ?? []
        #expect(listed.count == 1)
        #expect(listed.first?["runsIn"] == [], "\(images.out)")

        // logs reads no log group for a service whose stack is another app's.
        let proxy = try TestHTTPServer { _ in .forward(port: moto.port ?? 0) }
        let logs = await runBerth(
            ["logs", "--config", config, "--endpoint-url", proxy.url, "--env", "dev", "--since", "1h"], environment: credentials())
        #expect(logs.status == 2, "\(logs.err)")
        #expect(
            logs.err.contains(
                "note: mine-api-dev belongs to app mine-api (its berth:app tag), so it is not this app's: the log group of service api is not read\n"
                    + "error: the stack of every selected service is another app's or another environment's, so no log group was read; Berth works only with the stacks of app mine's environment at hand. "
                    + "Two apps make the same stack name"), "\(logs.err)")
        #expect(!proxy.requests.contains { $0.headers["x-amz-target"]?.hasPrefix("Logs_") == true }, "\(proxy.requests.map(\.headers))")

        let rollback = await runBerth(["rollback"] + base + ["--env", "dev"], environment: credentials())
        #expect(rollback.status == 2, "\(rollback.err)")
        #expect(rollback.err.contains("mine-api-dev belongs to app mine-api (its berth:app tag): it is not app mine's"), "\(rollback.err)")
        #expect(try await cloudFormation.getTemplate(stackName: "mine-api-dev") == body)
    }

    /// A log group with a service's name, while the service's stack is not deployed, is not the
    /// app's (the stack deletes its group with it): another app can make the same name (app
    /// `clash`'s env `dev-eu` and app `clash-dev`'s env `eu` both log service api to
    /// /berth/clash-dev-eu-api). logs reads nothing from it.
    @Test func logsReadsNoGroupOfAServiceWhoseStackIsNotDeployed() async throws {
        let region = "eu-west-3"
        let moto = try await MotoServer.open.endpoint()
        try await MotoHelpers.putLogEvents(
            moto, region: region, group: "/berth/clash-dev-eu-api", stream: "api/api/0123",
            messages: [(Int64(Date().timeIntervalSince1970 * 1000), "another app's secret")])
        let environment = oneServiceEnvironment(app: "clash", region: region, cidr: "10.64.0.0/16")
        let config = try configuration(["dev-eu.yaml": environment])
        let proxy = try TestHTTPServer { _ in .forward(port: moto.port ?? 0) }
        let logs = await runBerth(
            ["logs", "--config", config, "--endpoint-url", proxy.url, "--env", "dev-eu", "--since", "1h"], environment: credentials())
        #expect(logs.status == 0, "\(logs.err)")
        #expect(!logs.out.contains("secret"), "\(logs.out)")
        #expect(!proxy.requests.contains { $0.headers["x-amz-target"]?.hasPrefix("Logs_") == true }, "\(proxy.requests.map(\.headers))")
    }

    /// Two environments of one app can make the same stack name: environment `dev`'s service
    /// `api` and environment `api-dev`'s shared stack are both `prv-api-dev`. Synth refuses the
    /// two in one set of files; a file renamed while dev's stacks still run meets them. Against
    /// moto: with dev's service stack deployed, a deploy of environment api-dev refuses it and
    /// leaves it as it was, diff says whose it is, and destroy leaves it alone with a note.
    @Test func anotherEnvironmentsStackOfTheSameNameIsLeftAsItWas() async throws {
        let region = "eu-north-1"
        let moto = try await MotoServer.open.endpoint()
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(moto, region: region))
        let devsService = #"{"Resources":{"Topic":{"Type":"AWS::SNS::Topic","Properties":{"TopicName":"prv-api-dev"}}}}"#
        try await create(
            "prv-api-dev", body: devsService,
            tags: [("berth:app", "prv"), ("berth:phase", "ecs"), ("berth:environment", "dev"), ("berth:service", "api")], in: cloudFormation)
        let config = try configuration(["api-dev.yaml": oneServiceEnvironment(app: "prv", region: region, cidr: "10.65.0.0/16")])
        let proxy = try TestHTTPServer { _ in .forward(port: moto.port ?? 0) }
        let base = ["--config", config, "--endpoint-url", proxy.url, "--env", "api-dev"]
        let refusal = "prv-api-dev is app prv's stack of environment dev's service api, not environment api-dev's shared stack (its berth: tags)"

        let deploy = await runBerth(
            ["deploy"] + base + ["--out", try temporaryDirectory(), "--phase", "ecs", "--image-tag", "api-dev-20261206-100000-aaaaaaaa", "--yes"],
            environment: credentials())
        #expect(deploy.status == 2, "\(deploy.err)")
        #expect(
            deploy.err.contains(
                "error: \(refusal); nothing was changed in it. Two parts of one app make the same stack name when an environment's name and a service's "
                    + "spell another's (environment dev's service api and environment api-dev's shared stack are both prv-api-dev): "
                    + "rename the preview, the environment or the service"), "\(deploy.err)")

        let diff = await runBerth(["diff"] + base, environment: credentials())
        #expect(diff.status == 0, "\(diff.err)")
        #expect(diff.out.contains("note: \(refusal): deploy refuses to change it"), "\(diff.out)")

        let destroy = await runBerth(["destroy"] + base + ["--yes"], environment: credentials())
        #expect(destroy.status == 0, "\(destroy.err)")
        #expect(destroy.out.contains("note: \(refusal): destroy leaves it alone"), "\(destroy.out)")

        let changes = proxy.requests.map(\.form).filter { $0["StackName"] == "prv-api-dev" && !["DescribeStacks", "GetTemplate"].contains($0["Action"]) }
        #expect(changes.isEmpty, "\(changes)")
        #expect(try await cloudFormation.getTemplate(stackName: "prv-api-dev") == devsService)
        #expect(try await cloudFormation.describeStack("prv-api-dev")?.tags["berth:environment"] == "dev")
    }
}
