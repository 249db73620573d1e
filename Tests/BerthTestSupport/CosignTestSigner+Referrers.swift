import BerthAWS
import Foundation

extension CosignTestSigner {
    /// Cosign's artifact type for a signature referrer in the `.sig` layout's form.
    public static let signatureArtifactType = "application/vnd.dev.cosign.artifact.sig.v1+json"
    /// The artifact type (and layer media type) of a Sigstore bundle referrer.
    public static let bundleArtifactType = "application/vnd.dev.sigstore.bundle.v0.3+json"

    /// The in-toto statement `cosign sign` 3 signs for the image `digest` (`sha256:<hex>`).
    public static func statement(subject digest: String, predicateType: String = "https://sigstore.dev/cosign/sign/v1") -> [UInt8] {
        let hex = digest.hasPrefix("sha256:") ? String(digest.dropFirst(7)) : digest
        return Array(
            #"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"","digest":{"sha256":"\#(hex)"}}],"predicateType":"\#(predicateType)","predicate":{}}"#
                .utf8)
    }

    /// An OCI 1.1 referrer manifest of `artifactType` for `subject`, with an empty config, as
    /// cosign writes them.
    public static func referrerManifest(artifactType: String, layers: [[String: Any]], subject: String) throws -> String {
        let manifest: [String: Any] = [
            "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json", "artifactType": artifactType,
            "config": [
                "mediaType": "application/vnd.oci.empty.v1+json", "size": 2,
                "digest": "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
            ],
            "layers": layers, "subject": ["mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 529, "digest": subject],
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys]), as: UTF8.self)
    }

    /// A signature referrer (`--registry-referrers-mode=oci-1-1`) with one simple-signing layer
    /// per `(payload, annotations)`.
    public static func signatureReferrer(_ layers: [(payload: [UInt8], annotations: [String: String])], subject: String) throws -> String {
        try referrerManifest(
            artifactType: signatureArtifactType,
            layers: layers.map {
                [
                    "mediaType": "application/vnd.dev.cosign.simplesigning.v1+json", "size": $0.payload.count, "digest": digest($0.payload),
                    "annotations": $0.annotations,
                ]
            }, subject: subject)
    }

    /// A Sigstore bundle referrer whose one layer is `bundle`.
    public static func bundleReferrer(_ bundle: String, subject: String) throws -> String {
        try referrerManifest(
            artifactType: bundleArtifactType,
            layers: [["mediaType": bundleArtifactType, "size": bundle.utf8.count, "digest": digest(Array(bundle.utf8))]], subject: subject)
    }

    /// A Sigstore bundle of `statement` signed with this key pair in a DSSE envelope, as `cosign
    /// sign --key` 3 writes it without a transparency log entry.
    public func bundle(statement: [UInt8]) throws -> String {
        let type = "application/vnd.in-toto+json"
        let encoding = Array("DSSEv1 \(type.utf8.count) \(type) \(statement.count) ".utf8) + statement
        let signature = try sign(encoding)
        return #"{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":{"publicKey":{"hint":""},"tlogEntries":[]},"dsseEnvelope":{"payload":"\#(Data(statement).base64EncodedString())","payloadType":"\#(type)","signatures":[{"sig":"\#(Data(signature).base64EncodedString())","keyid":""}]}}"#
    }
}
