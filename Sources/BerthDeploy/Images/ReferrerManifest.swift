import Foundation

/// The manifest of an OCI 1.1 referrer: the image it refers to (`subject`), its artifact type, and
/// its layers.
struct ReferrerManifest: Sendable, Hashable {
    /// The artifact type `cosign sign --registry-referrers-mode=oci-1-1` gives a signature in the
    /// `.sig` layout's form (simple-signing layers with their annotations).
    static let cosignSignatureArtifactType = "application/vnd.dev.cosign.artifact.sig.v1+json"
    /// The artifact types of the referrers that carry a Cosign signature: the `.sig` layout's
    /// form, and cosign 3's Sigstore bundle.
    static let signatureArtifactTypes = [cosignSignatureArtifactType, SigstoreBundle.mediaType]

    /// One layer: its media type and `sha256:<hex>` digest.
    struct Layer: Sendable, Hashable {
        let mediaType: String
        let digest: String
    }

    /// The `sha256:<hex>` digest of the image it refers to.
    let subject: String
    /// `artifactType`, or the config's media type when there is none (OCI image spec 1.1).
    let artifactType: String?
    let layers: [Layer]

    private struct Wire: Decodable {
        struct Descriptor: Decodable {
            let mediaType: String?
            let digest: String?
        }
        let artifactType: String?
        let config: Descriptor?
        let subject: Descriptor?
        let layers: [Descriptor]?
    }

    /// Reads `text`; `nil` when it is not a manifest with a subject.
    init?(_ text: String) {
        guard let wire = UnambiguousJSON.decode(Wire.self, from: text.utf8), let subject = wire.subject?.digest else { return nil }
        self.subject = subject
        artifactType = wire.artifactType ?? wire.config?.mediaType
        layers = (wire.layers ?? []).compactMap { layer in
            guard let mediaType = layer.mediaType, let digest = layer.digest else { return nil }
            return Layer(mediaType: mediaType, digest: digest)
        }
    }
}
