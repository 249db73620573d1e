import BerthTemplate
import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS

/// `berth images` end to end against a real moto server.
@Suite struct ImagesCommandTests {
    private func environment(_ endpoint: Endpoint) -> [String: String] {
        [
            "AWS_ACCESS_KEY_ID": "AKIDCLITEST", "AWS_SECRET_ACCESS_KEY": "cli-secret-never-printed",
            "AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent-berth-home",
        ]
    }

    @Test func listsTheRepositorysImagesNewestFirst() async throws {
        let endpoint = try await MotoServer.open.endpoint()
        try await deployFixtureRepository(endpoint)
        try await pushInTurn(
            endpoint, region: "eu-west-1", repository: "shop/api",
            [("dev-20261120-100000-aaaaaaaa", 1), ("prod-20261121-100000-bbbbbbbb", 2), ("dev-20261122-100000-cccccccc", 3)])
        let base = ["images", "--config", fixtureConfiguration, "--endpoint-url", endpoint.origin, "--service", "api"]
        let all = await runBerth(base, environment: environment(endpoint))
        #expect(all.status == 0, "\(all.err)")
        let tags = all.out.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ").first.map(String.init) ?? "" }
        #expect(tags == ["dev-20261122-100000-cccccccc", "prod-20261121-100000-bbbbbbbb", "dev-20261120-100000-aaaaaaaa"])
        #expect(all.out.hasPrefix("shop/api (lifecycle policy: the repository stack's (not in ECR yet), 0 of 3 images to expire)\ntag "))

        let dev = await runBerth(base + ["--env", "dev", "--limit", "1"], environment: environment(endpoint))
        #expect(dev.out.split(separator: "\n").count == 3)
        #expect(dev.out.contains("dev-20261122-100000-cccccccc  sha256:333333333333"))
        #expect(!all.out.contains("cli-secret") && !all.err.contains("cli-secret"))
    }

    /// What runs where, and what the lifecycle policy will expire: the running image among them.
    @Test func theLifecyclePreviewWarnsWhenARunningImageWouldBeExpired() async throws {
        let moto = try await MotoServer.open.endpoint()
        let config = try configuration([
            "dev.yaml": """
                app: keep
                region: me-south-1
                lifecycle:
                  keepImages: 2
                network: {vpc: new, cidr: 10.70.0.0/16}
                services:
                  api: {kind: worker, cpu: 256, memory: 512}

                """
        ])
        let common = ["--config", config, "--endpoint-url", moto.origin]
        let credentials = environment(moto)
        #expect(await runBerth(["deploy", "--phase", "ecr", "--out", try temporaryDirectory()] + common, environment: credentials).status == 0)
        let tags = (1...4).map { "dev-2026112\($0)-100000-aaaaaaa\($0)" }
        try await pushInTurn(moto, region: "me-south-1", repository: "keep/api", tags.enumerated().map { ($1, $0 + 1) })
        // The oldest image runs in dev: the policy keeps the two newest dev- images.
        let deployed = await runBerth(
            ["deploy", "--phase", "ecs", "--env", "dev", "--image-tag", tags[0], "--out", try temporaryDirectory()] + common,
            environment: credentials)
        #expect(deployed.status == 0, "\(deployed.err)")
        let listing = await runBerth(["images"] + common, environment: credentials)
        #expect(listing.status == 0, "\(listing.err)")
        #expect(listing.out.contains("2 of 4 images to expire"))
        let oldest = try #require(listing.out.split(separator: "\n").first { $0.hasPrefix(tags[0]) })
        #expect(oldest.contains("  dev  ") && oldest.hasSuffix("expires (rule 1)"), "\(oldest)")
        let newest = try #require(listing.out.split(separator: "\n").first { $0.hasPrefix(tags[3]) })
        #expect(newest.hasSuffix("kept"))
        #expect(listing.err.contains("warning: keep/api:\(tags[0]) runs in dev, but the lifecycle policy will expire it (rule 1"))

        let json = await runBerth(["images", "--json"] + common, environment: credentials)
        let document = try JSONValue.parseJSON(json.out, file: "stdout")
        let images = document["repositories"]?.elements?.first?["images"]?.elements ?? []
        #expect(images.map { $0["expires"] } == [false, false, true, true])
        #expect(images.last?["runsIn"] == ["dev"])
        #expect(images.last?["expiredByRule"] == 1)
    }

    /// `images --env dev` lists the dev- images and, for each, every environment that runs it:
    /// prod, which was given the same image, too.
    @Test func oneEnvironmentsImagesSayWhereEveryEnvironmentRunsThem() async throws {
        let moto = try await MotoServer.open.endpoint()
        func file(_ cidr: String) -> String {
            "app: roam\nregion: me-south-1\nnetwork: {vpc: new, cidr: \(cidr)}\nservices:\n  api: {kind: worker, cpu: 256, memory: 512}\n"
        }
        let config = try configuration(["dev.yaml": file("10.71.0.0/16"), "prod.yaml": file("10.72.0.0/16")])
        let common = ["--config", config, "--endpoint-url", moto.origin]
        let credentials = environment(moto)
        #expect(await runBerth(["deploy", "--phase", "ecr", "--out", try temporaryDirectory()] + common, environment: credentials).status == 0)
        let tag = "dev-20261125-100000-abcdef12"
        try await pushInTurn(moto, region: "me-south-1", repository: "roam/api", [(tag, 1)])
        for env in ["dev", "prod"] {
            let deployed = await runBerth(
                ["deploy", "--phase", "ecs", "--env", env, "--image-tag", tag, "--out", try temporaryDirectory()] + common,
                environment: credentials)
            #expect(deployed.status == 0, "\(deployed.err)")
        }
        let json = await runBerth(["images", "--env", "dev", "--json"] + common, environment: credentials)
        #expect(json.status == 0, "\(json.err)")
        let images = try JSONValue.parseJSON(json.out, file: "stdout")["repositories"]?.elements?.first?["images"]?.elements ?? []
        #expect(images.count == 1)
        #expect(images.first?["runsIn"] == ["dev", "prod"])
    }

    /// A preview runs an image although no file names it: `images` without `--from` finds its
    /// stack by its tags, says it runs there, and warns when the previews' rule would expire it.
    /// The region's stacks are listed once for both repositories.
    @Test func aPreviewsImageIsSaidToRunThereWithoutFrom() async throws {
        let moto = try await MotoServer.open.endpoint()
        let services = "services:\n  api: {kind: worker, cpu: 256, memory: 512}\n  web: {kind: worker, cpu: 256, memory: 512}\n"
        let config = try configuration([
            "dev.yaml": "app: peek\nregion: me-south-1\nnetwork: {vpc: new, cidr: 10.73.0.0/16}\n" + services,
            "preview.yaml": """
                app: peek
                region: me-south-1
                template: {namePrefix: pr-}
                lifecycle: {keepImages: 1}
                network: {vpc: new, cidr: 10.74.0.0/16}

                """ + services,
        ])
        let common = ["--config", config, "--endpoint-url", moto.origin]
        let credentials = environment(moto)
        #expect(await runBerth(["deploy", "--phase", "ecr", "--out", try temporaryDirectory()] + common, environment: credentials).status == 0)
        let tags = ["pr-7-20261125-100000-abcdef12", "pr-8-20261126-100000-abcdef34"]
        try await pushInTurn(moto, region: "me-south-1", repository: "peek/api", [(tags[0], 1), (tags[1], 2)])
        try await MotoHelpers.putImage(moto, region: "me-south-1", repository: "peek/web", tag: tags[0], digest: "sha256:" + String(repeating: "5", count: 64))
        let deployed = await runBerth(
            ["deploy", "--phase", "ecs", "--env", "pr-7", "--from", "preview", "--image-tag", tags[0], "--out", try temporaryDirectory()] + common,
            environment: credentials)
        #expect(deployed.status == 0, "\(deployed.err)")

        let proxy = try TestHTTPServer { _ in .forward(port: moto.port ?? 0) }
        let json = await runBerth(["images", "--json", "--config", config, "--endpoint-url", proxy.url], environment: credentials)
        #expect(json.status == 0, "\(json.err)")
        let repositories = try JSONValue.parseJSON(json.out, file: "stdout")["repositories"]?.elements ?? []
        let images = repositories.first?["images"]?.elements ?? []
        #expect(images.count == 2)
        #expect(images.last?["runsIn"] == ["pr-7"], "\(json.out)")
        #expect(images.first?["runsIn"] == [])
        #expect(repositories.last?["images"]?.elements?.first?["runsIn"] == ["pr-7"], "\(json.out)")
        #expect(json.err.contains("warning: peek/api:\(tags[0]) runs in pr-7, but the lifecycle policy will expire it"), "\(json.err)")
        let listings = proxy.requests.map(\.form).filter { $0["Action"] == "DescribeStacks" && $0["StackName"] == nil }
        #expect(listings.count == 1, "\(proxy.requests.map(\.form))")
    }

    @Test func withoutCredentialsItSaysWhereItLooked() async throws {
        let endpoint = try await MotoServer.open.endpoint()
        let result = await runBerth(
            ["images", "--config", fixtureConfiguration, "--endpoint-url", endpoint.origin],
            environment: ["AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent-berth-home"])
        #expect(result.status == 2)
        #expect(result.err.contains("no AWS credentials found; tried, in order:"))
        #expect(result.err.contains("EC2 instance metadata: switched off by AWS_EC2_METADATA_DISABLED=true, so not asked"))
    }

    @Test func debugLogsTheTrafficWithoutSecrets() async throws {
        let endpoint = try await MotoServer.open.endpoint()
        let result = await runBerth(
            ["images", "--config", fixtureConfiguration, "--service", "api", "--endpoint-url", endpoint.origin, "--region", "ap-south-1", "--debug"],
            environment: environment(endpoint))
        // The repository does not exist in that region: a clear failure, after the logged call.
        #expect(result.status == 1)
        #expect(result.err.contains("→ DescribeImages attempt 1: POST \(endpoint.origin)/"))
        #expect(result.err.contains("repository shop/api does not exist in ap-south-1 yet"))
        #expect(!result.err.contains("cli-secret-never-printed"))
    }

    @Test func aServerThatRepeatsItsPageTokenIsStoppedWithAnError() async throws {
        let server = try TestHTTPServer { _ in
            .respond(
                status: 200,
                body: #"{"imageDetails":[{"imageDigest":"sha256:\#(String(repeating: "a", count: 64))","imageTags":["dev-1"]}],"nextToken":"again"}"#)
        }
        let result = await runBerth(
            ["images", "--config", fixtureConfiguration, "--service", "api", "--endpoint-url", server.url],
            environment: environment(try #require(Endpoint(url: server.url))))
        #expect(result.status == 1)
        #expect(result.err.contains("DescribeImages: the server repeated a page token after 2 pages"), "\(result.err)")
        #expect(server.requests.count == 2)
    }

    /// A DescribeImages answer (its `imageDetails`, as the ECR API reference shows them) whose
    /// digests are not ECR's shape is refused naming the call and the repository, as the image
    /// gate refuses it, instead of listed: two images of one such digest were merged, and
    /// marked as signatures.
    @Test func imagesWhoseDigestIsNotSHA256AreRefusedNamingTheRepository() async throws {
        let server = try TestHTTPServer { request in
            // No lifecycle policy, no service stack: the listing would show the images alone.
            if request.form["Action"] == "DescribeStacks" {
                return .respond(
                    status: 400, headers: [("Content-Type", "text/xml")],
                    body: "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id \(request.form["StackName"] ?? "") does not exist</Message></Error><RequestId>r</RequestId></ErrorResponse>")
            }
            guard request.headers["x-amz-target"] == "AmazonEC2ContainerRegistry_V20150921.DescribeImages" else {
                return .respond(
                    status: 400, headers: [("Content-Type", "application/x-amz-json-1.1")],
                    body: #"{"__type":"LifecyclePolicyNotFoundException","message":"Lifecycle policy does not exist for the repository with name 'shop/api' in the registry with id '123456789012'"}"#)
            }
            return .awsJSON(["imageDetails": [
                ["registryId": "123456789012", "repositoryName": "shop/api", "imageDigest": "md5:0123456789abcdef", "imageTags": ["dev-1"], "imagePushedAt": 1_765_000_000],
                ["registryId": "123456789012", "repositoryName": "shop/api", "imageDigest": "md5:0123456789abcdef", "imageTags": ["dev-2"], "imagePushedAt": 1_765_000_100],
                ["registryId": "123456789012", "repositoryName": "shop/api", "imageDigest": "sha256:" + String(repeating: "a", count: 64), "imageTags": ["dev-3"], "imagePushedAt": 1_765_000_200],
            ]])
        }
        let result = await runBerth(
            ["images", "--config", fixtureConfiguration, "--service", "api", "--endpoint-url", server.url],
            environment: environment(try #require(Endpoint(url: server.url))))
        #expect(result.status == 1)
        #expect(
            result.err.contains(
                "error: ecr DescribeImages: unexpected answer (HTTP 200): repository shop/api lists 2 images whose digests are not sha256: and 64 lowercase hexadecimal digits, as ECR writes them"),
            "\(result.err)")
        #expect(!result.out.contains("dev-") && !result.err.contains("md5:"), "\(result.out)")
    }

    @Test func anUnknownServiceIsAnInputError() async {
        let result = await runBerth(["images", "--config", fixtureConfiguration, "--service", "billing"])
        #expect(result.status == 2)
        #expect(result.err.contains("no service billing; the app has api, web, worker"))
    }

    /// A preview named without --from is said to be made from its template, as synth says it.
    @Test func aPreviewWithoutFromSaysWhichTemplateMakesIt() async {
        let result = await runBerth(["images", "--config", fixtureConfiguration, "--env", "pr-5"])
        #expect(result.status == 2)
        #expect(result.err.contains("no environment pr-5; the app has dev, prod; pr-5 is made from the template preview: add --from preview"), "\(result.err)")
    }

    @Test func badAWSFlagsAreUsageErrors() async {
        let result = await runBerth(["images", "--config", fixtureConfiguration, "--endpoint-url", "not a url"])
        #expect(result.status == 2)
        #expect(result.err.contains("--endpoint-url must be an http(s) URL"))
    }

    /// Pushes each tag, with a digest of its digit, in turn: each at a later push time than the
    /// one before, as the listing's newest-first order needs. moto keeps push times in whole
    /// seconds, so before each push this waits until the clock is past the second of the
    /// previous push, as DescribeImages reports it, and checks that the push time did move.
    private func pushInTurn(_ moto: Endpoint, region: String, repository: String, _ images: [(tag: String, digit: Int)]) async throws {
        var previous: Double?
        for image in images {
            if let previous {
                try await waitUntil("the clock to pass \(previous + 1)") { Date().timeIntervalSince1970 >= previous + 1 }
            }
            try await MotoHelpers.putImage(
                moto, region: region, repository: repository, tag: image.tag, digest: "sha256:" + String(repeating: String(image.digit), count: 64))
            let pushedAt = try await MotoHelpers.imagePushedAt(moto, region: region, repository: repository, tag: image.tag)
            if let previous { try #require(pushedAt > previous, "\(image.tag) pushed at \(pushedAt), no later than the image before") }
            previous = pushedAt
        }
    }

    /// Creates FixtureApp's phase-1 stack in moto from its synthesized template.
    private func deployFixtureRepository(_ endpoint: Endpoint) async throws {
        let out = try temporaryDirectory()
        let synth = await runBerth(["synth", "--config", fixtureConfiguration, "--out", out, "--stack", "shop-api-ecr"])
        #expect(synth.status == 0)
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(endpoint, region: "eu-west-1"))
        try await MotoHelpers.createStack(cloudFormation, name: "shop-api-ecr", templateBody: try readFile(out + "/shop-api-ecr.template.json"))
    }
}
