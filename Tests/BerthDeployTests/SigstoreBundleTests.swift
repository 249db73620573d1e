@testable import BerthAWS
import BerthTestSupport
import Foundation
import Testing

@testable import BerthDeploy

/// The referrer manifest, Sigstore bundle, DSSE and in-toto formats, read without a registry.
@Suite struct SigstoreBundleFormatTests {
    @Test func aReferrersArtifactTypeIsItsFieldOrItsConfigsMediaType() throws {
        let subject = "sha256:" + String(repeating: "c", count: 64)
        let current = try #require(ReferrerManifest(try CosignTestSigner.bundleReferrer("{}", subject: subject)))
        #expect(current.subject == subject && current.artifactType == SigstoreBundle.mediaType)
        #expect(current.layers == [.init(mediaType: SigstoreBundle.mediaType, digest: CosignTestSigner.digest(Array("{}".utf8)))])
        // cosign 2's --registry-referrers-mode=oci-1-1 sets the config's media type instead (OCI image spec 1.1: the artifact type then).
        let legacy = #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.dev.cosign.artifact.sig.v1+json","size":233,"digest":"sha256:\#(String(repeating: "d", count: 64))"},"layers":[],"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":529,"digest":"\#(subject)"}}"#
        #expect(ReferrerManifest(legacy)?.artifactType == ReferrerManifest.cosignSignatureArtifactType)
        // A manifest without a subject refers to nothing.
        #expect(ReferrerManifest(CosignTestSigner.signatureManifest([])) == nil)
    }

    @Test func thePreAuthenticationEncodingIsDSSEs() {
        // secure-systems-lab/dsse protocol.md's test vector.
        let envelope = DSSEEnvelope(payloadType: "http://example.com/HelloWorld", payload: Array("hello world".utf8), signatures: [])
        #expect(String(decoding: envelope.preAuthenticationEncoding, as: UTF8.self) == "DSSEv1 29 http://example.com/HelloWorld 11 hello world")
    }

    @Test func aStatementsSubjectsAndPredicateAreRead() throws {
        let digest = "sha256:" + String(repeating: "A", count: 64)
        let statement = try #require(InTotoStatement(CosignTestSigner.statement(subject: digest)))
        #expect(statement.predicateType == InTotoStatement.cosignSignPredicate)
        #expect(statement.subjectDigests == ["sha256:" + String(repeating: "a", count: 64)])
        #expect(InTotoStatement(Array(#"{"critical":{"type":"cosign container image signature"}}"#.utf8)) == nil)
    }

    @Test func aKeylessBundleIsReadWithItsLogEntry() throws {
        let signed = try KeylessTestSigner().sign(CosignTestSigner.statement(subject: "sha256:" + String(repeating: "b", count: 64)), dsse: true)
        let text = try #require(signed.sigstoreBundle)
        let bundle = try #require(SigstoreBundle(Array(text.utf8)))
        #expect(bundle.certificate != nil && bundle.chain.isEmpty && bundle.timestampCount == 0 && !bundle.hasMessageSignature)
        let entry = try #require(bundle.logEntries.first)
        #expect(entry.logIndex == 123_456 && entry.integratedTime == 1_765_000_030 && entry.logID.count == 64 && !entry.hasInclusionProof)
        // The SET is over the same canonical payload as the .sig layout's Rekor bundle.
        let legacy = try #require(RekorBundle(signed.bundle))
        #expect(entry.rekorBundle?.signedBytes == legacy.signedBytes)
        #expect(bundle.envelope?.payloadType == DSSEEnvelope.inTotoPayloadType)
        // protobuf's JSON mapping accepts an int64 as a number too; a word is no int64.
        let numbers = text.replacingOccurrences(of: #""logIndex": "123456""#, with: #""logIndex": 123456"#)
        #expect(numbers != text && SigstoreBundle(Array(numbers.utf8))?.logEntries.first?.logIndex == 123_456)
        #expect(SigstoreBundle(Array(text.replacingOccurrences(of: #""logIndex": "123456""#, with: #""logIndex": "many""#).utf8)) == nil)
    }

    @Test func chainsMessageSignaturesAndMalformedBundlesAreTold() throws {
        let certificate = Data([0x30, 0x03, 0x02, 0x01, 0x01]).base64EncodedString()
        let chained = #"{"mediaType":"application/vnd.dev.sigstore.bundle+json;version=0.2","verificationMaterial":{"x509CertificateChain":{"certificates":[{"rawBytes":"\#(certificate)"},{"rawBytes":"\#(certificate)"}]},"tlogEntries":[],"timestampVerificationData":{"rfc3161Timestamps":[{"signedTimestamp":"AA=="}]}},"messageSignature":{"messageDigest":{"algorithm":"SHA2_256","digest":"AA=="},"signature":"AA=="}}"#
        let bundle = try #require(SigstoreBundle(Array(chained.utf8)))
        #expect(bundle.chain.count == 1 && bundle.timestampCount == 1 && bundle.hasMessageSignature && bundle.envelope == nil)
        // Not a bundle, a certificate that is not base64, an entry without its body, nothing signed.
        #expect(SigstoreBundle(Array(#"{"mediaType":"application/json","verificationMaterial":{}}"#.utf8)) == nil)
        #expect(SigstoreBundle(Array(chained.replacingOccurrences(of: certificate, with: "!!").utf8)) == nil)
        #expect(
            SigstoreBundle(
                Array(
                    chained.replacingOccurrences(of: #""tlogEntries":[]"#, with: #""tlogEntries":[{"logIndex":"1","integratedTime":"2","logId":{"keyId":"AA=="}}]"#)
                        .utf8)) == nil)
        #expect(SigstoreBundle(Array(#"{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{}}"#.utf8)) == nil)
    }
}
