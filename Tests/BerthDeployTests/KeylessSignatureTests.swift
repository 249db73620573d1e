@testable import BerthAWS
import BerthTestSupport
import Foundation
import Testing

@testable import BerthDeploy

/// Keyless signatures checked without a registry, on vectors made by
/// scripts/keyless-test-vectors.py (a CA in Fulcio's role, a key in Rekor's): each check the gate
/// makes refuses what it should, with a reason that says which.
@Suite struct KeylessVerificationTests {
    let payload = CosignPayload(
        dockerReference: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api", manifestDigest: "sha256:" + String(repeating: "a", count: 64)
    ).bytes

    private func layer(_ signed: KeylessTestSigner.Signed, payload: [UInt8]? = nil) -> CosignSignatureManifest.Layer {
        CosignSignatureManifest.Layer(
            digest: CosignTestSigner.digest(payload ?? self.payload), signature: signed.signature, certificate: signed.certificate, chain: signed.chain,
            bundle: signed.bundle)
    }

    private func trust(_ root: String, subject: String = KeylessTestSigner.workflowSubject, regexp: Bool = false, issuer: String = KeylessTestSigner.githubIssuer)
        throws -> KeylessTrust
    {
        try KeylessTrust.read(root, identity: CertificateIdentity(issuer: issuer, subject: subject, subjectIsRegexp: regexp))
    }

    @Test func aKeylessSignatureOfTheIdentityIsAccepted() throws {
        try Crypto.load()
        let signer = try KeylessTestSigner()
        let signed = try signer.sign(payload)
        #expect(try trust(signed.trustedRootFile).refusal(of: layer(signed), payload: payload) == nil)
        let pattern = #"https://github\.com/acme/shop/\.github/workflows/release\.yml@refs/(heads/main|tags/v.*)"#
        #expect(try trust(signed.trustedRootFile, subject: pattern, regexp: true).refusal(of: layer(signed), payload: payload) == nil)
    }

    @Test func anEmailIdentityIsMatchedToo() throws {
        try Crypto.load()
        let signer = try KeylessTestSigner()
        let signed = try signer.sign(payload, subject: "release@acme.example", issuer: "https://accounts.google.com")
        let root = signed.trustedRootFile
        #expect(try trust(root, subject: "release@acme.example", issuer: "https://accounts.google.com").refusal(of: layer(signed), payload: payload) == nil)
        #expect(
            try trust(root, subject: "mallory@acme.example", issuer: "https://accounts.google.com").refusal(of: layer(signed), payload: payload)
                == "identity mismatch: expected subject mallory@acme.example issued by https://accounts.google.com, found subject release@acme.example issued by https://accounts.google.com")
    }

    /// A subject name longer than the first buffer (4,096 bytes) is read whole: not dropped, and
    /// never read as an empty name that a pattern matching the empty string would accept.
    @Test func aLongSubjectIsReadWhole() throws {
        try Crypto.load()
        let signer = try KeylessTestSigner()
        let long = "https://github.com/acme/shop/.github/workflows/" + String(repeating: "a", count: 5000) + ".yml@refs/heads/main"
        let signed = try signer.sign(payload, subject: long)
        #expect(Crypto.certificateFacts(Array(signed.certificate.utf8))?.subjects.map(\.utf8.count) == [long.utf8.count])
        #expect(try trust(signed.trustedRootFile, subject: long).refusal(of: layer(signed), payload: payload) == nil)
        let emptyOrRelease = #"(https://github\.com/acme/shop/\.github/workflows/release\.yml@refs/heads/main)?"#
        #expect(try trust(signed.trustedRootFile, subject: emptyOrRelease, regexp: true).refusal(of: layer(signed), payload: payload) != nil)
    }

    @Test func anotherSubjectIssuerOrPatternIsAnIdentityMismatch() throws {
        try Crypto.load()
        let signer = try KeylessTestSigner()
        let root = try signer.trustedRootFile()
        let found = KeylessTestSigner.workflowSubject
        let forked = try signer.sign(payload, subject: "https://github.com/mallory/shop/.github/workflows/release.yml@refs/heads/main")
        #expect(
            try trust(root).refusal(of: layer(forked), payload: payload)
                == "identity mismatch: expected subject \(found) issued by \(KeylessTestSigner.githubIssuer), found subject https://github.com/mallory/shop/.github/workflows/release.yml@refs/heads/main issued by \(KeylessTestSigner.githubIssuer)")
        let otherIssuer = try signer.sign(payload, issuer: "https://accounts.google.com")
        #expect(
            try trust(root).refusal(of: layer(otherIssuer), payload: payload)
                == "identity mismatch: expected subject \(found) issued by \(KeylessTestSigner.githubIssuer), found subject \(found) issued by https://accounts.google.com")
        let signed = try signer.sign(payload)
        // The pattern must match the whole identity, not a part of it.
        let partial = #"https://github\.com/acme/shop/"#
        #expect(
            try trust(root, subject: partial, regexp: true).refusal(of: layer(signed), payload: payload)
                == "identity mismatch: expected a subject matching \(partial) issued by \(KeylessTestSigner.githubIssuer), found subject \(found) issued by \(KeylessTestSigner.githubIssuer)")
        #expect(try trust(root, subject: #".*@refs/tags/v.*"#, regexp: true).refusal(of: layer(signed), payload: payload)?.hasPrefix("identity mismatch") == true)
    }

    @Test func aCertificateFromAnotherRootIsRefused() throws {
        try Crypto.load()
        let signer = try KeylessTestSigner()
        let stranger = try KeylessTestSigner()
        let root = try signer.trustedRootFile()
        let signed = try signer.sign(payload, certifiedBy: stranger)
        let refusal = try trust(root).refusal(of: layer(signed), payload: payload)
        #expect(refusal?.hasPrefix("its certificate does not chain to a Fulcio CA of the trusted root \(root) (") == true, "\(refusal ?? "accepted")")
    }

    @Test func aTimestampByAnotherKeyOrOutsideTheCertificateIsRefused() throws {
        try Crypto.load()
        let signer = try KeylessTestSigner()
        let stranger = try KeylessTestSigner()
        let root = try signer.trustedRootFile()
        _ = try stranger.trustedRootFile()
        let forged = try signer.sign(payload, timestampedBy: stranger)
        #expect(
            try trust(root).refusal(of: layer(forged), payload: payload)
                == "its Rekor bundle's signed entry timestamp does not verify with the log's key in the trusted root \(root)")
        let elsewhere = try stranger.sign(payload)
        #expect(try trust(root).refusal(of: layer(elsewhere), payload: payload)?.contains("which is not a transparency log of the trusted root") == true)
        let late = try signer.sign(payload, loggedAfter: 900)
        #expect(
            try trust(root).refusal(of: layer(late), payload: payload)
                == "it was logged at 2025-12-06T06:01:40Z, outside its certificate's validity (2025-12-06T05:46:40Z to 2025-12-06T05:56:40Z)")
        let early = try signer.sign(payload, loggedAfter: -60)
        #expect(try trust(root).refusal(of: layer(early), payload: payload)?.contains("outside its certificate's validity") == true)
    }

    @Test func aSignatureOverAnotherPayloadOrWithoutCertificateIsRefused() throws {
        try Crypto.load()
        let signer = try KeylessTestSigner()
        let signed = try signer.sign(payload)
        let other = Array(payload.dropLast()) + Array(" }".utf8)
        #expect(try trust(signed.trustedRootFile).refusal(of: layer(signed, payload: other), payload: other) == "its Rekor entry logs another signature, payload or certificate")
        let keyed = CosignSignatureManifest.Layer(digest: CosignTestSigner.digest(payload), signature: signed.signature)
        #expect(
            try trust(signed.trustedRootFile).refusal(of: keyed, payload: payload)
                == "the signature has no Fulcio certificate (it was made with a key, not keyless)")
        var tampered = layer(signed)
        tampered.bundle = "{}"
        #expect(try trust(signed.trustedRootFile).refusal(of: tampered, payload: payload)?.hasPrefix("the signature has no readable Rekor bundle") == true)
    }

    @Test func aCertificateForAnotherPurposeIsRefused() throws {
        try Crypto.load()
        let signer = try KeylessTestSigner()
        let server = try signer.sign(payload, keyUsage: .serverAuth)
        #expect(
            try trust(server.trustedRootFile).refusal(of: layer(server), payload: payload)
                == "its certificate is not for signing code (its extended key usage lists neither code signing nor any purpose)")
        // One too long to read is no, not "absent".
        let oversized = try signer.sign(payload, keyUsage: .oversized)
        #expect(
            try trust(oversized.trustedRootFile).refusal(of: layer(oversized), payload: payload)?.hasPrefix("its certificate is not for signing code") == true)
        // No extended key usage at all is any purpose, as Go's verifier (and so cosign) reads it.
        let unrestricted = try signer.sign(payload, keyUsage: .none)
        #expect(try trust(unrestricted.trustedRootFile).refusal(of: layer(unrestricted), payload: payload) == nil)
    }

    @Test func extendedKeyUsagesAreReadFromTheirDER() {
        // SEQUENCE { codeSigning }, SEQUENCE { serverAuth, anyExtendedKeyUsage }, then what does not read.
        let codeSigning: [UInt8] = [0x06, 0x08, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x03]
        let serverAuth: [UInt8] = [0x06, 0x08, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01]
        let any: [UInt8] = [0x06, 0x04, 0x55, 0x1D, 0x25, 0x00]
        #expect(KeylessTrust.objectIdentifiers(inSequence: [0x30, 0x0A] + codeSigning) == [Array(codeSigning.dropFirst(2))])
        #expect(KeylessTrust.objectIdentifiers(inSequence: [0x30, 0x10] + serverAuth + any)?.count == 2)
        #expect(KeylessTrust.objectIdentifiers(inSequence: [0x30, 0x81, 0x0A] + codeSigning)?.count == 1)
        for bad: [UInt8] in [[], [0x30], [0x31, 0x0A] + codeSigning, [0x30, 0x0B] + codeSigning, [0x30, 0x0A] + codeSigning + [0x00],
            [0x30, 0x02, 0x04, 0x00], [0x30, 0x02, 0x06, 0x00], [0x30, 0x83, 0x00, 0x00, 0x0A] + codeSigning]
        {
            #expect(KeylessTrust.objectIdentifiers(inSequence: bad) == nil, "\(bad)")
        }
    }

    @Test func aCertificateAnnotationMustBeExactlyOnePEMCertificate() throws {
        try Crypto.load()
        let signer = try KeylessTestSigner()
        let signed = try signer.sign(payload)
        let other = try KeylessTestSigner().sign(payload)
        let trusted = try trust(signed.trustedRootFile)
        let (certificate, another) = (signed.certificate, other.certificate)
        // White space around it, and CRLF line ends, are still one certificate.
        var spaced = layer(signed)
        spaced.certificate = "\n  " + certificate.replacingOccurrences(of: "\n", with: "\r\n") + "\n\n"
        #expect(try trusted.refusal(of: spaced, payload: payload) == nil)
        // A text match and OpenSSL could each take another certificate from these: refused.
        for text in [
            "note " + another + certificate,
            another.replacingOccurrences(of: "\n", with: " ") + "\n" + certificate,
            certificate.replacingOccurrences(of: "CERTIFICATE", with: "X509 CERTIFICATE") + another,
            certificate + another,
            certificate.replacingOccurrences(of: "-----\n", with: "-----\nProc-Type: 4,ENCRYPTED\n", options: [], range: nil),
        ] {
            var mixed = layer(signed)
            mixed.certificate = text
            #expect(try trusted.refusal(of: mixed, payload: payload)?.hasPrefix("its certificate is not exactly one PEM certificate") == true, "\(text)")
        }
    }

    @Test func theTrustedRootAndIssuerExtensionAreRead() throws {
        let signer = try KeylessTestSigner()
        let root = try #require(TrustedRoot(Array(try Data(contentsOf: URL(fileURLWithPath: try signer.trustedRootFile())))))
        #expect(root.certificateAuthorities.first?.certificates.count == 2)
        #expect(root.transparencyLogs.first?.logID.count == 64)
        #expect(root.certificateAuthorities.first?.validity == TrustedRoot.Validity(start: 1_735_689_600, end: nil))
        #expect(TrustedRoot(Array(#"{"certificateAuthorities":[],"tlogs":[]}"#.utf8)) == nil)
        #expect(KeylessTrust.utf8String([0x0C, 0x02, 0x68, 0x69]) == "hi")
        #expect(KeylessTrust.utf8String([0x0C, 0x03, 0x68, 0x69]) == nil)
        #expect(throws: ImageGateError.invalidSubjectPattern("acme/(")) {
            try KeylessTrust.read("/nonexistent/trusted_root.json", identity: CertificateIdentity(issuer: "i", subject: "acme/(", subjectIsRegexp: true))
        }
        #expect(throws: ImageGateError.unreadableTrustedRoot("/nonexistent/trusted_root.json")) {
            try KeylessTrust.read("/nonexistent/trusted_root.json", identity: CertificateIdentity(issuer: "i", subject: "s", subjectIsRegexp: false))
        }
    }
}

/// A real keyless signature, made by `cosign sign` in GitHub Actions and logged in Sigstore's
/// public Rekor, checked against Sigstore's production trusted root (Fixtures/sigstore/SOURCE.md
/// says where each file comes from).
@Suite struct KeylessRealSignatureTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/sigstore").path
    let payload = CosignPayload(
        dockerReference: "index.docker.io/salrashid123/server_image",
        manifestDigest: "sha256:c05263d2ff654c3a94243662440913f045075d59c436e2c69e9145ec2b87a321")
    let subject = "https://github.com/salrashid123/go-bazel-github-workflow/.github/workflows/release.yaml@refs/tags/v0.0.30"

    private func layer() throws -> CosignSignatureManifest.Layer {
        let text = try String(contentsOfFile: Self.fixtures + "/signature-manifest.json", encoding: .utf8)
        return try #require(CosignSignatureManifest(text)?.layers.first)
    }

    private func trust(subject: String, regexp: Bool = false) throws -> KeylessTrust {
        try KeylessTrust.read(
            Self.fixtures + "/trusted_root.json",
            identity: CertificateIdentity(issuer: "https://token.actions.githubusercontent.com", subject: subject, subjectIsRegexp: regexp))
    }

    @Test func cosignsGitHubActionsSignatureVerifies() throws {
        try Crypto.load()
        let layer = try layer()
        // The payload rebuilt as Cosign writes it is the layer's blob: nothing to download.
        #expect(CosignTestSigner.digest(payload.bytes) == layer.digest)
        #expect(try trust(subject: subject).refusal(of: layer, payload: payload.bytes) == nil)
        #expect(
            try trust(subject: #"https://github\.com/salrashid123/go-bazel-github-workflow/\.github/workflows/release\.yaml@refs/tags/v.*"#, regexp: true)
                .refusal(of: layer, payload: payload.bytes) == nil)
    }

    @Test func anotherWorkflowOrTamperedBundleIsRefused() throws {
        try Crypto.load()
        var layer = try layer()
        let other = try trust(subject: "https://github.com/salrashid123/go-bazel-github-workflow/.github/workflows/release.yaml@refs/heads/main")
        #expect(try other.refusal(of: layer, payload: payload.bytes)?.hasPrefix("identity mismatch: expected subject") == true)
        layer.bundle = layer.bundle?.replacingOccurrences(of: #""integratedTime":1772216446"#, with: #""integratedTime":1772216447"#)
        #expect(
            try trust(subject: subject).refusal(of: layer, payload: payload.bytes)?.hasPrefix("its Rekor bundle's signed entry timestamp does not verify") == true)
    }
}
