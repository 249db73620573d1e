@testable import BerthAWS
import BerthTestSupport
import Foundation
import Testing

@testable import BerthDeploy

/// The gate with a KMS key or keyless signatures required, against ECR and KMS in a real moto
/// server. KMS keys are made and sign in moto (KMS Sign, ECDSA_SHA_256 over the payload); keyless
/// signatures come from scripts/keyless-test-vectors.py. (A signature naming another digest needs
/// the layer download moto lacks; the key-pair tests cover that path, which keyless shares.)
@Suite(.serialized) struct SignatureKindsMotoTests {
    let region = "ap-east-1"

    private func repository(_ endpoint: Endpoint) async throws -> (name: String, uri: String) {
        let name = "kinds/" + UUID().uuidString.prefix(8).lowercased()
        let cloudFormation = CloudFormationClient(configuration: try MotoHelpers.configuration(endpoint, region: region))
        let stack = "kinds-" + UUID().uuidString.prefix(8).lowercased()
        try await MotoHelpers.createStack(cloudFormation, name: stack, templateBody: #"{"Resources":{"Repository":{"Type":"AWS::ECR::Repository","Properties":{"RepositoryName":"\#(name)","ImageTagMutability":"IMMUTABLE"}}}}"#)
        let ecr = ECRClient(configuration: try MotoHelpers.configuration(endpoint, region: region))
        let uri = try #require(try await ecr.describeRepositories(names: [name]).collect().first).repositoryUri
        return (name, uri)
    }

    private func push(_ moto: Endpoint, _ name: String, tag: String) async throws -> String {
        let digest = "sha256:" + Crypto.hex(Crypto.sha256(Array((name + tag).utf8)))
        try await MotoHelpers.putImage(moto, region: region, repository: name, tag: tag, digest: digest)
        return digest
    }

    private func putSignature(_ moto: Endpoint, _ name: String, digest: String, manifest: String) async throws {
        try await MotoHelpers.putImage(
            moto, region: region, repository: name, tag: CosignTestSigner.signatureTag(digest), digest: CosignTestSigner.digest(Array(manifest.utf8)),
            manifest: manifest)
    }

    @Test func aKMSKeysSignaturePassesAndAnotherKeysIsRefused() async throws {
        let moto = try await MotoServer.open.endpoint()
        let configuration = try MotoHelpers.configuration(moto, region: region)
        let key = try await KMSTestSigner(moto, region: region)
        let stranger = try await KMSTestSigner(moto, region: region)
        let repository = try await repository(moto)
        // ListImageReferrers, which moto lacks, answered from a script in front of it.
        let front = try ScriptedReferrers(moto: moto)
        let gate = ImageGate(ecr: ECRClient(configuration: try MotoHelpers.configuration(try front.endpoint, region: region)), clock: PollClock(sleep: { _ in }))

        // An alias ARN names the key as well as its key ARN.
        let alias = try await key.alias("cosign-" + UUID().uuidString.prefix(8).lowercased())
        for arn in [key.arn, alias] {
            let trust = try await SignaturePolicy.kmsKey(arn).trust(kms: KMSClient(configuration: configuration))
            guard case .key(let read) = trust else { Issue.record("not a key"); return }
            #expect(read.source == arn && Crypto.publicKeyKind(read.publicKey) == .ecdsaP256)
        }
        let trust = try await SignaturePolicy.kmsKey(key.arn).trust(kms: KMSClient(configuration: configuration))

        let signed = try await push(moto, repository.name, tag: "dev-kms")
        let payload = CosignTestSigner.payload(repository: repository.uri, digest: signed)
        try await putSignature(moto, repository.name, digest: signed, manifest: CosignTestSigner.signatureManifest([(payload, try await key.sign(payload))]))
        let result = try await gate.check(repositoryName: repository.name, tag: try ImageTag("dev-kms"), signatures: trust)
        #expect(result.signatureVerified && result.pinnedDigest == signed)

        let foreign = try await push(moto, repository.name, tag: "dev-kms-foreign")
        let foreignPayload = CosignTestSigner.payload(repository: repository.uri, digest: foreign)
        try await putSignature(
            moto, repository.name, digest: foreign, manifest: CosignTestSigner.signatureManifest([(foreignPayload, try await stranger.sign(foreignPayload))]))
        await #expect(throws: ImageGateError.signedByAnotherKey(repository: repository.name, tag: "dev-kms-foreign", digest: foreign, key: key.arn)) {
            try await gate.check(repositoryName: repository.name, tag: try ImageTag("dev-kms-foreign"), signatures: trust)
        }
    }

    @Test func aKMSKeyThatIsMissingOrDoesNotSignIsRefused() async throws {
        let moto = try await MotoServer.open.endpoint()
        let kms = KMSClient(configuration: try MotoHelpers.configuration(moto, region: region))
        let missing = "arn:aws:kms:\(region):123456789012:key/00000000-0000-4000-8000-000000000000"
        await #expect {
            try await SignaturePolicy.kmsKey(missing).trust(kms: kms)
        } throws: { error in
            guard case .unusableKMSKey(let arn, let reason) = error as? ImageGateError else { return false }
            return arn == missing && reason.hasPrefix("NotFoundException")
        }
    }

    /// Cosign signs with the hash a KMS key's spec implies (SHA-384 for ECC_NIST_P384), and Berth
    /// checks SHA-256 signatures only: such a key is refused when it is read, at its ARN, instead
    /// of every signature being called another key's.
    @Test func aKMSKeyThatDoesNotSignWithSHA256IsRefused() async throws {
        let moto = try await MotoServer.open.endpoint()
        let kms = KMSClient(configuration: try MotoHelpers.configuration(moto, region: region))
        let key = try await KMSTestSigner(moto, region: region, keySpec: "ECC_NIST_P384")
        await #expect {
            try await SignaturePolicy.kmsKey(key.arn).trust(kms: kms)
        } throws: { error in
            guard case .unusableKMSKey(let arn, let reason) = error as? ImageGateError else { return false }
            return arn == key.arn && reason.contains("ECDSA_SHA_384") && reason.contains("SHA-256")
        }
    }

    @Test func aKeylessSignatureOfTheIdentityPassesAndAnotherIdentityIsRefused() async throws {
        let moto = try await MotoServer.open.endpoint()
        let signer = try KeylessTestSigner()
        let repository = try await repository(moto)
        let front = try ScriptedReferrers(moto: moto)
        let gate = ImageGate(ecr: ECRClient(configuration: try MotoHelpers.configuration(try front.endpoint, region: region)), clock: PollClock(sleep: { _ in }))
        let root = try signer.trustedRootFile()
        let identity = CertificateIdentity(issuer: KeylessTestSigner.githubIssuer, subject: KeylessTestSigner.workflowSubject, subjectIsRegexp: false)
        let trust = try await SignaturePolicy.keyless(trustedRootFile: root, identity: identity).trust(
            kms: KMSClient(configuration: try MotoHelpers.configuration(moto, region: region)))

        let signed = try await push(moto, repository.name, tag: "dev-keyless")
        let payload = CosignTestSigner.payload(repository: repository.uri, digest: signed)
        try await putSignature(moto, repository.name, digest: signed, manifest: try KeylessTestSigner.signatureManifest([(payload, try signer.sign(payload))]))
        let result = try await gate.check(repositoryName: repository.name, tag: try ImageTag("dev-keyless"), signatures: trust)
        #expect(result.signatureVerified && result.pinnedDigest == signed)

        let forked = try await push(moto, repository.name, tag: "dev-forked")
        let forkedPayload = CosignTestSigner.payload(repository: repository.uri, digest: forked)
        let mallory = "https://github.com/mallory/shop/.github/workflows/release.yml@refs/heads/main"
        try await putSignature(
            moto, repository.name, digest: forked,
            manifest: try KeylessTestSigner.signatureManifest([(forkedPayload, try signer.sign(forkedPayload, subject: mallory))]))
        await #expect(
            throws: ImageGateError.keylessRefused(
                repository: repository.name, tag: "dev-forked", digest: forked,
                reasons: ["identity mismatch: expected \(identity), found subject \(mallory) issued by \(KeylessTestSigner.githubIssuer)"])
        ) {
            try await gate.check(repositoryName: repository.name, tag: try ImageTag("dev-forked"), signatures: trust)
        }

    }
}
