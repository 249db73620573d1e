import BerthTemplate
import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS

/// A whole deploy, diff and images run against moto with signature checking on from the first
/// call (INITIAL_NO_AUTH_ACTION_COUNT): moto rebuilds each request the way botocore writes it
/// and checks its signature, so every body must be encoded exactly as the AWS SDKs encode it.
/// The templates have spaces in their descriptions, and the diff sends them in change sets.
@Suite(.serialized) struct SignedRunTests {
    private static let region = "ap-northeast-2"

    @Test func everyCallOfADeployDiffAndImagesRunIsAcceptedWithSignatureChecking() async throws {
        let (moto, keys, environment) = try await signedMoto()
        let config = try configuration([
            "dev.yaml": """
                app: signed
                region: ap-northeast-2
                network: {vpc: new, cidr: 10.60.0.0/16}
                services:
                  web: {cpu: 256, memory: 512, environment: {GREETING: "hello, world & more"}}
                  worker: {kind: worker, cpu: 256, memory: 512}

                """
        ])
        let common = ["--config", config, "--endpoint-url", moto.origin, "--max-attempts", "1"]
        let out = try temporaryDirectory()

        let phaseOne = await runBerth(["deploy", "--phase", "ecr", "--out", out] + common, environment: environment)
        #expect(phaseOne.status == 0, "\(phaseOne.err)")
        #expect(!phaseOne.err.contains("SignatureDoesNotMatch"))
        let tag = "dev-20261201-100000-aaaaaaaa"
        for (service, digit) in [("web", "a"), ("worker", "b")] {
            try await MotoHelpers.putImage(
                moto, region: Self.region, repository: "signed/\(service)", tag: tag,
                digest: "sha256:" + String(repeating: digit, count: 64), credentials: keys)
        }
        let phaseTwo = await runBerth(["deploy", "--phase", "ecs", "--env", "dev", "--image-tag", tag, "--out", out] + common, environment: environment)
        #expect(phaseTwo.status == 0, "\(phaseTwo.err)")
        #expect(phaseTwo.out.contains("signed-web-dev: created"))

        for method in ["template", "change-set"] {
            let diff = await runBerth(["diff", "--env", "dev", "--method", method, "--fail"] + common, environment: environment)
            #expect(diff.status == 0, "\(method): \(diff.out) \(diff.err)")
        }
        let images = await runBerth(["images", "--service", "web"] + common, environment: environment)
        #expect(images.status == 0, "\(images.err)")
        #expect(images.out.contains(tag))

        // The same calls with a wrong secret are refused: the signatures really are checked.
        var wrong = environment
        wrong["AWS_SECRET_ACCESS_KEY"] = "not-the-secret"
        let refused = await runBerth(["images", "--service", "web"] + common, environment: wrong)
        #expect(refused.status == 1)
        #expect(refused.err.contains("SignatureDoesNotMatch") || refused.err.contains("403"), "\(refused.err)")
    }
}
