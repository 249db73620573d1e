import BerthModel
import Foundation
import BerthTestSupport
import Testing

@testable import BerthAWS

/// `berth deploy` against a real moto server with a KMS key (made in moto, signing with KMS Sign)
/// and with keyless signatures (vectors from scripts/keyless-test-vectors.py) required: what the
/// requirement does not accept is refused with exit 3 before any change set, naming service, tag
/// and reason; what it accepts deploys with the verified digest pinned.
@Suite(.serialized) struct SignatureKindsDeployCommandTests {
    private static let region = "sa-east-1"

    private func credentials() -> [String: String] {
        [
            "AWS_ACCESS_KEY_ID": "AKIDKINDS", "AWS_SECRET_ACCESS_KEY": "kinds-secret-never-printed",
            "AWS_EC2_METADATA_DISABLED": "true", "HOME": "/nonexistent-berth-home",
        ]
    }

    private static func environment(_ signatures: String) -> String {
        """
        app: kinds
        region: sa-east-1
        network:
          vpc: new
          cidr: 10.61.0.0/16
        signatures:
          cosign:
        \(signatures)
        services:
          api:
            cpu: 256
            memory: 512

        """
    }

    @Test func kmsAndKeylessRequirementsGateTheDeploy() async throws {
        let moto = try await MotoServer.open.endpoint()
        let setup = try MotoHelpers.configuration(moto, region: Self.region)
        let key = try await KMSTestSigner(moto, region: Self.region)
        let stranger = try await KMSTestSigner(moto, region: Self.region)
        let keyless = try KeylessTestSigner()
        let subject = KeylessTestSigner.workflowSubject
        let config = try configuration([
            "kms.yaml": Self.environment("    publicKey: \(key.arn)"),
            "ci.yaml": Self.environment(
                """
                    keyless:
                      trustedRoot: trusted_root.json
                      issuer: \(KeylessTestSigner.githubIssuer)
                      subjectRegexp: 'https://github\\.com/acme/shop/\\.github/workflows/release\\.yml@refs/heads/.*'
                """),
        ])
        try FileManager.default.copyItem(atPath: try keyless.trustedRootFile(), toPath: config + "/trusted_root.json")
        // ListImageReferrers, which moto lacks, answered from a script in front of it.
        let front = try ScriptedReferrers(moto: moto)
        let endpoint = front.server.url
        let base = ["deploy", "--config", config, "--endpoint-url", endpoint, "--out", try temporaryDirectory()]
        let phaseOne = await runBerth(base + ["--phase", "ecr"], environment: credentials())
        #expect(phaseOne.status == 0, "\(phaseOne.err)")
        let uri = try #require(try await ECRClient(configuration: setup).describeRepositories(names: ["kinds/api"]).collect().first).repositoryUri

        func push(_ tag: String, _ digit: Character) async throws -> String {
            let digest = "sha256:" + String(repeating: digit, count: 64)
            try await MotoHelpers.putImage(moto, region: Self.region, repository: "kinds/api", tag: tag, digest: digest)
            return digest
        }
        func putSignature(_ digest: String, _ manifest: String) async throws {
            try await MotoHelpers.putImage(
                moto, region: Self.region, repository: "kinds/api", tag: CosignTestSigner.signatureTag(digest),
                digest: CosignTestSigner.digest(Array(manifest.utf8)), manifest: manifest)
        }
        func deploy(_ env: String, _ tag: String) async -> CommandResult {
            await runBerth(base + ["--phase", "ecs", "--env", env, "--image-tag", tag], environment: credentials())
        }
        func refused(_ env: String, _ tag: String, saying reason: String) async throws {
            let result = await deploy(env, tag)
            #expect(result.status == 3, "\(result.err)")
            #expect(result.err.contains("api: image kinds/api:\(tag)") && result.err.contains(reason), "\(result.err)")
            #expect(result.err.contains("no phase-2 stack was changed"))
            #expect(try await CloudFormationClient(configuration: setup).describeStack("kinds-api-\(env)") == nil)
        }

        // KMS: another key's signature is refused; the key's own deploys.
        let foreign = "dev-20261206-020000-aaaaaaaa"
        let foreignDigest = try await push(foreign, "a")
        let foreignPayload = CosignTestSigner.payload(repository: uri, digest: foreignDigest)
        try await putSignature(foreignDigest, CosignTestSigner.signatureManifest([(foreignPayload, try await stranger.sign(foreignPayload))]))
        try await refused("kms", foreign, saying: "is signed, but not by the key \(key.arn)")

        let kmsSigned = "dev-20261206-020000-bbbbbbbb"
        let kmsDigest = try await push(kmsSigned, "b")
        let kmsPayload = CosignTestSigner.payload(repository: uri, digest: kmsDigest)
        try await putSignature(kmsDigest, CosignTestSigner.signatureManifest([(kmsPayload, try await key.sign(kmsPayload))]))
        let kmsDeployed = await deploy("kms", kmsSigned)
        #expect(kmsDeployed.status == 0, "\(kmsDeployed.err)")
        #expect(kmsDeployed.out.contains("api: signed: a Cosign signature by the KMS key \(key.arn) names digest \(kmsDigest)"), "\(kmsDeployed.out)")
        #expect(try await CloudFormationClient(configuration: setup).describeStack("kinds-api-kms")?.parameters[ParameterName.imageDigest] == kmsDigest)

        // Keyless: a workflow of another repository is an identity mismatch; the right one deploys.
        let forked = "dev-20261206-020000-cccccccc"
        let forkedDigest = try await push(forked, "c")
        let forkedPayload = CosignTestSigner.payload(repository: uri, digest: forkedDigest)
        let mallory = "https://github.com/mallory/shop/.github/workflows/release.yml@refs/heads/main"
        try await putSignature(forkedDigest, try KeylessTestSigner.signatureManifest([(forkedPayload, try keyless.sign(forkedPayload, subject: mallory))]))
        try await refused("ci", forked, saying: "identity mismatch: expected a subject matching")
        try await refused("ci", forked, saying: "found subject \(mallory) issued by \(KeylessTestSigner.githubIssuer)")

        // A certificate from another CA, a timestamp by another log key, and a signing time after
        // the certificate expired are refused too, each naming its check.
        let otherSigstore = try KeylessTestSigner()
        _ = try otherSigstore.trustedRootFile()
        let cases: [(tag: String, digit: Character, sign: (KeylessTestSigner, [UInt8]) throws -> KeylessTestSigner.Signed, reason: String)] = [
            ("dev-20261206-020000-eeeeeeee", "e", { try $0.sign($1, certifiedBy: otherSigstore) }, "its certificate does not chain to a Fulcio CA of the trusted root"),
            ("dev-20261206-020000-ffffffff", "f", { try $0.sign($1, timestampedBy: otherSigstore) }, "signed entry timestamp does not verify"),
            ("dev-20261206-020000-abababab", "1", { try $0.sign($1, loggedAfter: 900) }, "outside its certificate's validity"),
        ]
        for refusal in cases {
            let digest = try await push(refusal.tag, refusal.digit)
            let payload = CosignTestSigner.payload(repository: uri, digest: digest)
            try await putSignature(digest, try KeylessTestSigner.signatureManifest([(payload, try refusal.sign(keyless, payload))]))
            try await refused("ci", refusal.tag, saying: refusal.reason)
        }

        let keylessSigned = "dev-20261206-020000-dddddddd"
        let keylessDigest = try await push(keylessSigned, "d")
        let keylessPayload = CosignTestSigner.payload(repository: uri, digest: keylessDigest)
        try await putSignature(keylessDigest, try KeylessTestSigner.signatureManifest([(keylessPayload, try keyless.sign(keylessPayload, subject: subject))]))
        let keylessDeployed = await deploy("ci", keylessSigned)
        #expect(keylessDeployed.status == 0, "\(keylessDeployed.err)")
        #expect(keylessDeployed.out.contains("api: signed: a Cosign signature by a Fulcio certificate for a subject matching"), "\(keylessDeployed.out)")
        #expect(try await CloudFormationClient(configuration: setup).describeStack("kinds-api-ci")?.parameters[ParameterName.imageDigest] == keylessDigest)
        // cosign 3's default: a Sigstore bundle referrer, no .sig tag. With a SET it deploys; with
        // only a Rekor v2 inclusion proof it is refused, naming the proof Berth does not check.
        // (The repository is IMMUTABLE_WITH_EXCLUSION, where moto cannot store an untagged image.)
        func referBundle(_ digest: String, _ signed: KeylessTestSigner.Signed) async throws {
            let bundle = try #require(signed.sigstoreBundle)
            front.serve(blob: bundle)
            try await front.refer(
                try CosignTestSigner.bundleReferrer(bundle, subject: digest), artifactType: CosignTestSigner.bundleArtifactType, to: digest, moto: moto,
                region: Self.region, repository: "kinds/api", tag: "referrer-" + digest.suffix(12))
        }
        let proofOnly = "dev-20261206-020000-cdcdcdcd"
        let proofOnlyDigest = try await push(proofOnly, "2")
        try await referBundle(proofOnlyDigest, try keyless.sign(CosignTestSigner.statement(subject: proofOnlyDigest), dsse: true, withoutSET: true))
        let proofRefused = await deploy("ci", proofOnly)
        #expect(proofRefused.status == 3, "\(proofRefused.err)")
        #expect(proofRefused.err.contains("a transparency log inclusion proof (Rekor v2), which Berth does not check yet"), "\(proofRefused.err)")
        #expect(try await CloudFormationClient(configuration: setup).describeStack("kinds-api-ci")?.parameters[ParameterName.imageDigest] == keylessDigest)
        let bundled = "dev-20261206-020000-dcdcdcdc"
        let bundledDigest = try await push(bundled, "3")
        try await referBundle(bundledDigest, try keyless.sign(CosignTestSigner.statement(subject: bundledDigest), dsse: true))
        let bundleDeployed = await deploy("ci", bundled)
        #expect(bundleDeployed.status == 0, "\(bundleDeployed.err)")
        #expect(try await CloudFormationClient(configuration: setup).describeStack("kinds-api-ci")?.parameters[ParameterName.imageDigest] == bundledDigest)

        for result in [phaseOne, kmsDeployed, keylessDeployed, bundleDeployed] {
            #expect(!result.out.contains("kinds-secret-never-printed") && !result.err.contains("kinds-secret-never-printed"))
        }

        // berth images shows the signed images as signed, the .sig tag's and the referrers' alike,
        // and the referrers themselves as signatures.
        let listing = await runBerth(["images", "--config", config, "--endpoint-url", endpoint], environment: credentials())
        #expect(listing.status == 0, "\(listing.err)")
        let rows = listing.out.split(separator: "\n").map(String.init)
        #expect(rows.first { $0.hasPrefix(kmsSigned) }?.contains("  signed  ") == true, "\(listing.out)")
        #expect(rows.first { $0.hasPrefix(keylessSigned) }?.contains("  signed  ") == true, "\(listing.out)")
        #expect(rows.first { $0.hasPrefix(bundled + " ") }?.contains("  signed  ") == true, "\(listing.out)")
        #expect(rows.first { $0.hasPrefix("referrer-" + bundledDigest.suffix(12)) }?.contains("(signature)") == true, "\(listing.out)")
    }
}
