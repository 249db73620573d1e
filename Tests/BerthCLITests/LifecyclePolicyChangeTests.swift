import BerthModel
import BerthTemplate
import BerthTestSupport
import Foundation
import Testing

@testable import BerthAWS

/// A phase-1 deploy whose new lifecycle policy would expire images the current one keeps (an
/// environment removed from the files hands its images to a shorter prefix's count) lists them
/// and changes nothing until they are agreed to by their number, against moto with signature
/// checking on: moto's CloudFormation makes the repository and its ECR holds the images; moto's
/// CloudFormation ignores `LifecyclePolicyText`, so the test puts on what each stack declares,
/// as CloudFormation does on AWS.
@Suite(.serialized) struct LifecyclePolicyChangeTests {
    private static let region = "ca-central-1"

    private static func environmentFile(_ name: String, keep: Int) -> String {
        """
        app: tide
        region: ca-central-1
        lifecycle:
          keepImages: \(keep)
        services:
          web:
            cpu: 256
            memory: 512
            containerPort: 3000

        """
    }

    @Test func imagesAChangedPolicyWouldExpireAreListedAndAgreedToByTheirNumber() async throws {
        let (moto, keys, environment) = try await signedMoto()
        let config = try configuration(["dev.yaml": Self.environmentFile("dev", keep: 2), "qa.yaml": Self.environmentFile("qa", keep: 2)])
        let deploy = ["deploy", "--config", config, "--endpoint-url", moto.origin, "--out", try temporaryDirectory(), "--phase", "ecr"]
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(moto, region: Self.region, credentials: keys))
        // CloudFormation's part: the lifecycle policy the deployed stack declares, on the repository.
        func applyDeclaredPolicy() async throws {
            let template = try JSONSerialization.jsonObject(with: Data(try await cloudFormation.getTemplate(stackName: "tide-web-ecr").utf8)) as? [String: Any]
            let properties = ((template?["Resources"] as? [String: Any])?["Repository"] as? [String: Any])?["Properties"] as? [String: Any]
            let text = try #require((properties?["LifecyclePolicy"] as? [String: Any])?["LifecyclePolicyText"] as? String)
            try await MotoHelpers.putLifecyclePolicy(moto, region: Self.region, repository: "tide/web", policyText: text, credentials: keys)
        }
        let created = await runBerth(deploy, environment: environment)
        #expect(created.status == 0, "\(created.err)")
        try await applyDeclaredPolicy()
        for (index, tag) in ["dev-20261201-100000-0000000a", "dev-20261201-110000-0000000b", "qa-20261202-100000-0000000c", "qa-20261202-110000-0000000d"].enumerated() {
            try await MotoHelpers.putImage(
                moto, region: Self.region, repository: "tide/web", tag: tag, digest: "sha256:" + String(repeating: String(index + 1), count: 64),
                credentials: keys)
        }
        let ecr = ECRClient(configuration: try MotoHelpers.configuration(moto, region: Self.region, credentials: keys))
        let before = try #require(try await ecr.getLifecyclePolicy(repository: "tide/web"))
        #expect(before.contains("qa-"))

        // Keeping more expires nothing the current policy keeps: deployed without a word.
        try Self.environmentFile("qa", keep: 3).write(toFile: config + "/qa.yaml", atomically: true, encoding: .utf8)
        let raised = await runBerth(deploy, environment: environment)
        #expect(raised.status == 0 && !raised.out.contains("would expire"), "\(raised.out)\n\(raised.err)")
        try await applyDeclaredPolicy()

        // The keys kept, as the repository's policy says: dev's rule, then qa's.
        func keptCounts() async throws -> [JSONValue?] {
            let text = try await ecr.getLifecyclePolicy(repository: "tide/web") ?? ""
            return (try JSONValue.parseJSON(text, file: "policy")["rules"]?.elements ?? []).prefix(2).map { $0["selection"]?["countNumber"] }
        }
        #expect(try await keptCounts() == [2, 3])

        // Each environment keeps one: one image of each goes.
        try Self.environmentFile("dev", keep: 1).write(toFile: config + "/dev.yaml", atomically: true, encoding: .utf8)
        try Self.environmentFile("qa", keep: 1).write(toFile: config + "/qa.yaml", atomically: true, encoding: .utf8)
        let refused = await runBerth(deploy, environment: environment)
        #expect(refused.status == 2, "\(refused.err)")
        #expect(refused.out.contains("tide/web: the lifecycle policy tide-web-ecr puts on would expire 2 images the current one keeps, or keeps longer:"), "\(refused.out)")
        for rule in 1...2 {
            #expect(refused.out.split(separator: "\n").filter { $0.contains("sha256:") && $0.hasSuffix(") by rule \(rule)") }.count == 1, "\(refused.out)")
        }
        #expect(
            refused.err.contains(
                "error: this deploy would let Berth's lifecycle policy expire 2 images (listed above) within a day, and ECR cannot bring them back; "
                    + "nothing was changed. To keep them, raise lifecycle.keepImages, or tag the ones you need (an untagged image expires after a day), "
                    + "until none is listed; to deploy anyway, add --expire-images 2"), "\(refused.err)")
        #expect(try await keptCounts() == [2, 3], "nothing was changed")

        // dev runs the image it would lose (moto keeps push times in whole seconds: which of
        // dev's two goes is read from the list): the app's service stack there was deployed with
        // it, made here as Berth tags it, with the parameters the image gate fills.
        let devLine = try #require(refused.out.split(separator: "\n").first { $0.hasSuffix(") by rule 1") })
        let devDigest = try #require(devLine.split(separator: " ").first.map(String.init))
        let devTag = devDigest.hasSuffix("1111") ? "dev-20261201-100000-0000000a" : "dev-20261201-110000-0000000b"
        try await MotoHelpers.createStack(
            cloudFormation, name: "tide-web-dev",
            templateBody: #"{"Parameters":{"ImageTag":{"Type":"String"},"ImageDigest":{"Type":"String"}},"Resources":{"Topic":{"Type":"AWS::SNS::Topic"}}}"#,
            parameters: [(ParameterName.imageTag, devTag), (ParameterName.imageDigest, devDigest)],
            tags: StackTags.tags(app: "tide", phase: .ecs, environment: "dev", service: "web"))
        let running = await runBerth(deploy, environment: environment)
        #expect(running.status == 2, "\(running.err)")
        #expect(
            running.out.contains("  \(devDigest) (\(devTag)) by rule 1; it runs in dev now, whose new tasks could not pull it once it expires"),
            "\(running.out)")
        #expect(running.out.split(separator: "\n").filter { $0.hasSuffix(") by rule 2") }.count == 1, "\(running.out)")
        #expect(
            running.err.contains("error: this deploy would let Berth's lifecycle policy expire 2 images (listed above, 1 of them running now) within a day"),
            "\(running.err)")
        let miscounted = await runBerth(deploy + ["--expire-images", "1"], environment: environment)
        #expect(miscounted.status == 2 && miscounted.err.contains("error: --expire-images 1 was given, and this deploy would let"), "\(miscounted.err)")

        let agreed = await runBerth(deploy + ["--expire-images", "2"], environment: environment)
        #expect(agreed.status == 0, "\(agreed.out)\n\(agreed.err)")
        try await applyDeclaredPolicy()
        #expect(try await keptCounts() == [1, 1])
        // Berth deleted nothing itself: ECR's lifecycle runs later.
        #expect(try await ecr.describeImages(repository: "tide/web").collect().count == 4)
        // The same command again: the policies are in place, nothing more expires.
        let again = await runBerth(deploy + ["--expire-images", "2"], environment: environment)
        #expect(again.status == 0, "\(again.out)\n\(again.err)")
        #expect(again.err.contains("warning: --expire-images 2 was given, but no lifecycle policy this deploy puts on expires any image"), "\(again.err)")
    }

    /// A deploy whose template keeps the policy it has leaves the repository's policy as it is,
    /// a hand edit included: nothing to agree to. One that changes it is held to the live
    /// policy, and an image the new one expires sooner (a count where there was an age) is listed.
    @Test func onlyAChangeTheDeployMakesIsHeldToTheLivePolicy() async throws {
        let (moto, keys, environment) = try await signedMoto()
        let config = try configuration(["dev.yaml": Self.environmentFile("dev", keep: 2).replacingOccurrences(of: "app: tide", with: "app: reef")])
        let deploy = ["deploy", "--config", config, "--endpoint-url", moto.origin, "--out", try temporaryDirectory(), "--phase", "ecr"]
        let created = await runBerth(deploy, environment: environment)
        #expect(created.status == 0, "\(created.err)")
        for index in 1...4 {
            try await MotoHelpers.putImage(
                moto, region: Self.region, repository: "reef/web", tag: "dev-2026120\(index)-100000-0000000\(index)",
                digest: "sha256:" + String(repeating: String(index), count: 64), credentials: keys)
        }
        // By hand: ten dev- images kept, not two. The template keeps its policy, so the deploy
        // leaves the repository's as it is.
        let keepTen = #"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["dev-"],"countType":"imageCountMoreThan","countNumber":10},"action":{"type":"expire"}}]}"#
        try await MotoHelpers.putLifecyclePolicy(moto, region: Self.region, repository: "reef/web", policyText: keepTen, credentials: keys)
        let handEdited = await runBerth(deploy, environment: environment)
        #expect(handEdited.status == 0 && !handEdited.out.contains("would expire"), "\(handEdited.out)\n\(handEdited.err)")
        // --revert-drift puts the template's policy back over the hand edit: held to the live one.
        let reverting = await runBerth(deploy + ["--revert-drift"], environment: environment)
        #expect(reverting.status == 2 && reverting.err.contains("add --expire-images 2"), "\(reverting.out)\n\(reverting.err)")
        // By hand: dev- images expire after 90 days, whatever their number.
        let byAge = #"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"tagged","tagPrefixList":["dev-"],"countType":"sinceImagePushed","countUnit":"days","countNumber":90},"action":{"type":"expire"}}]}"#
        try await MotoHelpers.putLifecyclePolicy(moto, region: Self.region, repository: "reef/web", policyText: byAge, credentials: keys)
        let unchanged = await runBerth(deploy, environment: environment)
        #expect(unchanged.status == 0 && !unchanged.out.contains("would expire"), "\(unchanged.out)\n\(unchanged.err)")
        // A tag made movable changes the repository, not its policy: CloudFormation's update puts
        // the template's policy back over the hand edit, so it is held to the live one.
        try Self.environmentFile("dev", keep: 2).replacingOccurrences(of: "app: tide", with: "app: reef")
            .replacingOccurrences(of: "    cpu: 256\n", with: "    cpu: 256\n    mutableTags: [latest]\n")
            .write(toFile: config + "/dev.yaml", atomically: true, encoding: .utf8)
        let movable = await runBerth(deploy, environment: environment)
        #expect(movable.status == 2 && movable.err.contains("add --expire-images 2"), "\(movable.out)\n\(movable.err)")

        // keepImages 3: the template's policy changes, and its count expires the oldest dev-
        // image now, where the hand-made policy would have kept it 90 days.
        try Self.environmentFile("dev", keep: 3).replacingOccurrences(of: "app: tide", with: "app: reef")
            .write(toFile: config + "/dev.yaml", atomically: true, encoding: .utf8)
        let sooner = await runBerth(deploy, environment: environment)
        #expect(sooner.status == 2, "\(sooner.out)\n\(sooner.err)")
        #expect(sooner.out.contains("reef/web: the lifecycle policy reef-web-ecr puts on would expire 1 image the current one keeps, or keeps longer:"), "\(sooner.out)")
        #expect(sooner.err.contains("add --expire-images 1"), "\(sooner.err)")
    }
}
