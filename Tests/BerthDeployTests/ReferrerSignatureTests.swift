@testable import BerthAWS
import BerthTestSupport
import Foundation
import Testing

@testable import BerthDeploy

/// Signatures found among an image's OCI referrers, with no `.sig` tag: moto keeps the
/// repositories, the images and the referrers' manifests (pushed untagged, by digest; read back
/// with BatchGetImage), and a scripted front answers what moto's ECR lacks, ListImageReferrers and
/// GetDownloadUrlForLayer (ScriptedReferrers). Keyless vectors come from
/// scripts/keyless-test-vectors.py --dsse; key-pair signatures from openssl.
@Suite(.serialized) struct ReferrerSignatureTests {
    let region = "ap-southeast-3"

    /// A repository with one image tagged `dev-1`; its name, URI and the image's digest.
    private func image(_ moto: Endpoint) async throws -> (name: String, uri: String, digest: String) {
        let name = "referrers/" + UUID().uuidString.prefix(8).lowercased()
        try await MotoHelpers.createRepository(moto, region: region, name: name, mutability: "IMMUTABLE")
        let digest = "sha256:" + Crypto.hex(Crypto.sha256(Array(name.utf8)))
        try await MotoHelpers.putImage(moto, region: region, repository: name, tag: "dev-1", digest: digest)
        let ecr = ECRClient(configuration: try MotoHelpers.configuration(moto, region: region))
        let uri = try #require(try await ecr.describeRepositories(names: [name]).collect().first).repositoryUri
        return (name, uri, digest)
    }

    private func gate(_ front: ScriptedReferrers) throws -> ImageGate {
        ImageGate(ecr: ECRClient(configuration: try MotoHelpers.configuration(try front.endpoint, region: region)), clock: PollClock(sleep: { _ in }))
    }

    private func keyless(_ root: String) throws -> SignatureTrust {
        .keyless(
            try KeylessTrust.read(
                root, identity: CertificateIdentity(issuer: KeylessTestSigner.githubIssuer, subject: KeylessTestSigner.workflowSubject, subjectIsRegexp: false)))
    }

    @Test func aLegacySignatureReferrerWithAKeyPairPasses() async throws {
        let moto = try await MotoServer.open.endpoint()
        let front = try ScriptedReferrers(moto: moto)
        let signer = try CosignTestSigner()
        let image = try await image(moto)
        let payload = CosignTestSigner.payload(repository: image.uri, digest: image.digest)
        let referrer = try CosignTestSigner.signatureReferrer(
            [(payload, ["dev.cosignproject.cosign/signature": Data(try signer.sign(payload)).base64EncodedString()])], subject: image.digest)
        try await front.refer(
            referrer, artifactType: CosignTestSigner.signatureArtifactType, to: image.digest, moto: moto, region: region, repository: image.name)
        let result = try await gate(front).check(
            repositoryName: image.name, tag: try ImageTag("dev-1"), signatures: .key(SignatureKey(publicKey: try signer.publicKey, source: "cosign.pub")))
        #expect(result.signatureVerified && result.signedBy == "the key cosign.pub" && result.pinnedDigest == image.digest)
        #expect(front.server.requests.contains { $0.headers["x-amz-target"]?.hasSuffix(".ListImageReferrers") == true })

        let stranger = try CosignTestSigner()
        await #expect(throws: ImageGateError.signedByAnotherKey(repository: image.name, tag: "dev-1", digest: image.digest, key: "other.pub")) {
            try await gate(front).check(
                repositoryName: image.name, tag: try ImageTag("dev-1"), signatures: .key(SignatureKey(publicKey: try stranger.publicKey, source: "other.pub")))
        }
    }

    @Test func aKeylessBundleWithASignedEntryTimestampPasses() async throws {
        let moto = try await MotoServer.open.endpoint()
        let front = try ScriptedReferrers(moto: moto)
        let image = try await image(moto)
        let signed = try KeylessTestSigner().sign(CosignTestSigner.statement(subject: image.digest), dsse: true)
        let bundle = try #require(signed.sigstoreBundle)
        front.serve(blob: bundle)
        try await front.refer(
            try CosignTestSigner.bundleReferrer(bundle, subject: image.digest), artifactType: CosignTestSigner.bundleArtifactType, to: image.digest,
            moto: moto, region: region, repository: image.name)
        let result = try await gate(front).check(repositoryName: image.name, tag: try ImageTag("dev-1"), signatures: try keyless(signed.trustedRootFile))
        #expect(result.signatureVerified && result.pinnedDigest == image.digest)
        #expect(result.signedBy == "a Fulcio certificate for subject \(KeylessTestSigner.workflowSubject) issued by \(KeylessTestSigner.githubIssuer)")
    }

    @Test func aKeyPairBundlePassesWithItsKeyOnly() async throws {
        let moto = try await MotoServer.open.endpoint()
        let front = try ScriptedReferrers(moto: moto)
        let signer = try CosignTestSigner()
        let image = try await image(moto)
        let bundle = try signer.bundle(statement: CosignTestSigner.statement(subject: image.digest))
        front.serve(blob: bundle)
        try await front.refer(
            try CosignTestSigner.bundleReferrer(bundle, subject: image.digest), artifactType: CosignTestSigner.bundleArtifactType, to: image.digest,
            moto: moto, region: region, repository: image.name)
        let key = SignatureTrust.key(SignatureKey(publicKey: try signer.publicKey, source: "cosign.pub"))
        #expect(try await gate(front).check(repositoryName: image.name, tag: try ImageTag("dev-1"), signatures: key).signatureVerified)
        let other = SignatureTrust.key(SignatureKey(publicKey: try CosignTestSigner().publicKey, source: "other.pub"))
        await #expect(throws: ImageGateError.signedByAnotherKey(repository: image.name, tag: "dev-1", digest: image.digest, key: "other.pub")) {
            try await gate(front).check(repositoryName: image.name, tag: try ImageTag("dev-1"), signatures: other)
        }
    }

    /// Each refusal, one image at a time: the reason names what was wrong.
    @Test func referrersForAnotherDigestBundlesWithoutSETAndTamperedBundlesAreRefused() async throws {
        let moto = try await MotoServer.open.endpoint()
        let front = try ScriptedReferrers(moto: moto)
        let signer = try KeylessTestSigner()
        let root = try signer.trustedRootFile()
        let other = "sha256:" + String(repeating: "e", count: 64)

        func refusal(_ bundle: String, subject: String? = nil, listedFor image: (name: String, uri: String, digest: String)) async throws -> ImageGateError? {
            front.serve(blob: bundle)
            try await front.refer(
                try CosignTestSigner.bundleReferrer(bundle, subject: subject ?? image.digest), artifactType: CosignTestSigner.bundleArtifactType,
                to: image.digest, moto: moto, region: region, repository: image.name)
            do {
                _ = try await gate(front).check(repositoryName: image.name, tag: try ImageTag("dev-1"), signatures: try keyless(root))
                return nil
            } catch let error as ImageGateError {
                return error
            }
        }
        func reasons(_ error: ImageGateError?) -> [String] {
            guard case .keylessRefused(_, _, _, let reasons) = error else { return ["not a keyless refusal: \(String(describing: error))"] }
            return reasons
        }

        // A listing that names a referrer whose manifest refers to another image.
        let listedWrongly = try await image(moto)
        let elsewhere = try #require(try signer.sign(CosignTestSigner.statement(subject: other), dsse: true).sigstoreBundle)
        let wrongSubject = try await refusal(elsewhere, subject: other, listedFor: listedWrongly)
        #expect(reasons(wrongSubject).count == 1 && reasons(wrongSubject)[0].hasSuffix("refers to another image, \(other)"), "\(reasons(wrongSubject))")

        // A valid bundle whose statement names another digest.
        let namedOther = try await image(moto)
        let forOther = try await refusal(elsewhere, listedFor: namedOther)
        #expect(forOther == .signedForAnotherDigest(repository: namedOther.name, tag: "dev-1", digest: namedOther.digest, signed: [other]))

        // Only an inclusion proof (Rekor v2), no SET.
        let proofOnly = try await image(moto)
        let withoutSET = try #require(try signer.sign(CosignTestSigner.statement(subject: proofOnly.digest), dsse: true, withoutSET: true).sigstoreBundle)
        #expect(
            reasons(try await refusal(withoutSET, listedFor: proofOnly)) == [
                "its Sigstore bundle has no signed entry timestamp (Rekor v1's inclusion promise), the only proof of the signing time Berth checks; it has a transparency log inclusion proof (Rekor v2), which Berth does not check yet"
            ])

        // The statement swapped for one naming this image, the signature left as it was.
        let tampered = try await image(moto)
        let original = try #require(try signer.sign(CosignTestSigner.statement(subject: other), dsse: true).sigstoreBundle)
        let swapped = original.replacingOccurrences(
            of: Data(CosignTestSigner.statement(subject: other)).base64EncodedString(),
            with: Data(CosignTestSigner.statement(subject: tampered.digest)).base64EncodedString())
        #expect(swapped != original)
        #expect(reasons(try await refusal(swapped, listedFor: tampered)) == ["its Rekor entry logs another signature, payload or certificate"])

        // Two signatures in the envelope (a bundle's has exactly one), or more log entries than
        // Berth checks: refused before any of them is checked.
        let doubled = try await image(moto)
        let valid = try #require(try signer.sign(CosignTestSigner.statement(subject: doubled.digest), dsse: true).sigstoreBundle)
        var json = try #require(try JSONSerialization.jsonObject(with: Data(valid.utf8)) as? [String: Any])
        var envelope = try #require(json["dsseEnvelope"] as? [String: Any])
        let signatures = try #require(envelope["signatures"] as? [Any])
        envelope["signatures"] = signatures + signatures
        json["dsseEnvelope"] = envelope
        let twoSignatures = String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self)
        #expect(reasons(try await refusal(twoSignatures, listedFor: doubled)) == ["its Sigstore bundle's DSSE envelope has 2 signatures; a bundle's has exactly one"])
        let manyEntries = try await image(moto)
        var entries = try #require(try JSONSerialization.jsonObject(with: Data(valid.replacingOccurrences(of: doubled.digest, with: manyEntries.digest).utf8)) as? [String: Any])
        var material = try #require(entries["verificationMaterial"] as? [String: Any])
        let logged = try #require(material["tlogEntries"] as? [Any])
        material["tlogEntries"] = Array(repeating: logged[0], count: 9)
        entries["verificationMaterial"] = material
        let nineEntries = String(decoding: try JSONSerialization.data(withJSONObject: entries), as: UTF8.self)
        #expect(reasons(try await refusal(nineEntries, listedFor: manyEntries)) == ["its Sigstore bundle has 9 transparency log entries; Berth checks bundles of at most 8"])

        // An attestation of the identity is not a signature.
        let attested = try await image(moto)
        let provenance = try #require(
            try signer.sign(CosignTestSigner.statement(subject: attested.digest, predicateType: "https://slsa.dev/provenance/v1"), dsse: true).sigstoreBundle)
        #expect(reasons(try await refusal(provenance, listedFor: attested)) == ["its Sigstore bundle is an attestation (https://slsa.dev/provenance/v1), not a Cosign signature"])
    }

    @Test func aMessageSignatureBundleIsNoImageSignature() async throws {
        let moto = try await MotoServer.open.endpoint()
        let front = try ScriptedReferrers(moto: moto)
        let signer = try CosignTestSigner()
        let image = try await image(moto)
        // What `cosign sign-blob` writes: a signature over a blob's digest, naming no image.
        let blob = Array("release.tar.gz".utf8)
        let signature = Data(try signer.sign(blob)).base64EncodedString()
        let bundle = #"{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{"hint":""}},"messageSignature":{"messageDigest":{"algorithm":"SHA2_256","digest":"\#(Data(Crypto.sha256(blob)).base64EncodedString())"},"signature":"\#(signature)"}}"#
        front.serve(blob: bundle)
        try await front.refer(
            try CosignTestSigner.bundleReferrer(bundle, subject: image.digest), artifactType: CosignTestSigner.bundleArtifactType, to: image.digest,
            moto: moto, region: region, repository: image.name)
        let expected = ImageGateError.signaturesRefused(
            repository: image.name, tag: "dev-1", digest: image.digest,
            reasons: ["its Sigstore bundle holds a message signature (a signed blob), not a DSSE envelope naming the image"])
        await #expect(throws: expected) {
            try await gate(front).check(
                repositoryName: image.name, tag: try ImageTag("dev-1"), signatures: .key(SignatureKey(publicKey: try signer.publicKey, source: "cosign.pub")))
        }
        #expect(expected.description.hasPrefix("image \(image.name):dev-1 (\(image.digest)) has no accepted signature: its Sigstore bundle holds"))
    }

    /// Anyone who can push to the repository can push signatures: a referrer of 20 layers that
    /// each need downloading (their payloads are not the one Berth rebuilds) costs at most 16
    /// downloads, and the refusal says the rest were not read.
    @Test func aFloodOfSignatureLayersIsReadOnlyToItsBound() async throws {
        let moto = try await MotoServer.open.endpoint()
        let front = try ScriptedReferrers(moto: moto)
        let image = try await image(moto)
        let stranger = try CosignTestSigner()
        var layers: [(payload: [UInt8], annotations: [String: String])] = []
        for index in 0..<20 {
            let payload = CosignTestSigner.payload(repository: "elsewhere/\(index)", digest: image.digest)
            front.serve(blob: String(decoding: payload, as: UTF8.self))
            layers.append((payload, ["dev.cosignproject.cosign/signature": Data(try stranger.sign(payload)).base64EncodedString()]))
        }
        try await front.refer(
            try CosignTestSigner.signatureReferrer(layers, subject: image.digest), artifactType: CosignTestSigner.signatureArtifactType,
            to: image.digest, moto: moto, region: region, repository: image.name)
        let signer = try CosignTestSigner()
        do {
            _ = try await gate(front).check(
                repositoryName: image.name, tag: try ImageTag("dev-1"), signatures: .key(SignatureKey(publicKey: try signer.publicKey, source: "cosign.pub")))
            Issue.record("accepted")
        } catch ImageGateError.signaturesRefused(_, _, _, let reasons) {
            #expect(reasons == ["more signature layers than the 16 Berth downloads for one image; the rest were not read", "16 signatures are not by the key cosign.pub"])
        }
        let downloads = front.server.requests.filter { $0.headers["x-amz-target"]?.hasSuffix(".GetDownloadUrlForLayer") == true }
        #expect(downloads.count == 16)

        // Past the bound, a layer Berth rebuilds (the payload for this repository and digest)
        // needs no download and is still checked.
        let signed = try await self.image(moto)
        let expected = CosignTestSigner.payload(repository: signed.uri, digest: signed.digest)
        var flooded: [(payload: [UInt8], annotations: [String: String])] = []
        for index in 0..<20 {
            let payload = CosignTestSigner.payload(repository: "elsewhere/\(index)", digest: signed.digest)
            front.serve(blob: String(decoding: payload, as: UTF8.self))
            flooded.append((payload, ["dev.cosignproject.cosign/signature": Data(try stranger.sign(payload)).base64EncodedString()]))
        }
        flooded.append((expected, ["dev.cosignproject.cosign/signature": Data(try signer.sign(expected)).base64EncodedString()]))
        try await front.refer(
            try CosignTestSigner.signatureReferrer(flooded, subject: signed.digest), artifactType: CosignTestSigner.signatureArtifactType,
            to: signed.digest, moto: moto, region: region, repository: signed.name)
        let result = try await gate(front).check(
            repositoryName: signed.name, tag: try ImageTag("dev-1"), signatures: .key(SignatureKey(publicKey: try signer.publicKey, source: "cosign.pub")))
        #expect(result.signatureVerified && result.pinnedDigest == signed.digest)
    }

    /// Each signature artifact read counts, and the bound is said once.
    @Test func signatureArtifactsAreReadOnlyToTheirBound() {
        var findings = SignatureFindings()
        let read = (0..<40).filter { _ in findings.mayRead() }.count
        #expect(read == SignatureFindings.maximumArtifacts)
        #expect(findings.reasons == ["more signature artifacts than the 32 Berth reads for one image; the rest were not read"])
    }

    @Test func anImageWithNoSignatureTagAndNoReferrersIsUnsigned() async throws {
        let moto = try await MotoServer.open.endpoint()
        let front = try ScriptedReferrers(moto: moto)
        let image = try await image(moto)
        let signer = try CosignTestSigner()
        // A referrer of another artifact type (an SBOM) is no signature.
        try await front.refer(
            try CosignTestSigner.referrerManifest(artifactType: "application/spdx+json", layers: [], subject: image.digest),
            artifactType: "application/spdx+json", to: image.digest, moto: moto, region: region, repository: image.name)
        await #expect(throws: ImageGateError.unsigned(repository: image.name, tag: "dev-1", digest: image.digest)) {
            try await gate(front).check(
                repositoryName: image.name, tag: try ImageTag("dev-1"), signatures: .key(SignatureKey(publicKey: try signer.publicKey, source: "cosign.pub")))
        }
    }
}
