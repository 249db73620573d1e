import BerthModel
import Foundation

/// The manifest of a Cosign signature image (`sha256-<hex>.sig`): one layer per signature,
/// each a simple-signing payload with its signature in an annotation.
struct CosignSignatureManifest: Sendable, Hashable {
    /// The annotation holding the base64 signature over the layer's blob.
    static let signatureAnnotation = "dev.cosignproject.cosign/signature"
    /// Keyless signing's Fulcio certificate (PEM), its chain (PEM) and Rekor bundle (JSON).
    static let certificateAnnotation = "dev.sigstore.cosign/certificate"
    static let chainAnnotation = "dev.sigstore.cosign/chain"
    static let bundleAnnotation = "dev.sigstore.cosign/bundle"

    /// One signature layer.
    struct Layer: Sendable, Hashable {
        /// `sha256:<hex>` of the payload.
        let digest: String
        /// The signature bytes (base64-decoded).
        let signature: [UInt8]
        /// The signing certificate (PEM) of a keyless signature.
        var certificate: String? = nil
        /// The certificates between it and the root (PEM).
        var chain: String? = nil
        /// The Rekor bundle (JSON).
        var bundle: String? = nil
    }

    let layers: [Layer]

    private struct Wire: Decodable {
        struct Layer: Decodable {
            let mediaType: String?
            let digest: String?
            let annotations: [String: String]?
        }
        let layers: [Layer]?
    }

    /// The tag Cosign stores the signatures of `digest` under: `sha256-<hex>.sig`.
    static func tag(for digest: String) -> String {
        digest.replacingOccurrences(of: ":", with: "-") + ".sig"
    }

    /// Whether `tag` is one Cosign stores what it attaches to an image under: `sha256-<hex>.sig`
    /// (signatures), `.att` (attestations) or `.sbom`; no tag to deploy.
    static func isCosignTag(_ tag: String) -> Bool {
        guard tag.hasPrefix("sha256-"), let dot = tag.lastIndex(of: ".") else { return false }
        let hex = tag[tag.index(tag.startIndex, offsetBy: "sha256-".count)..<dot]
        return ImageDigest.isHex(hex) && ["sig", "att", "sbom"].contains(tag[tag.index(after: dot)...])
    }

    /// The simple-signing layers of `text`; `nil` when it is not a manifest.
    init?(_ text: String) {
        guard let wire = UnambiguousJSON.decode(Wire.self, from: text.utf8) else { return nil }
        layers = (wire.layers ?? []).compactMap { layer in
            guard layer.mediaType == CosignPayload.mediaType, let digest = layer.digest, ImageDigest.isValid(digest),
                let encoded = layer.annotations?[Self.signatureAnnotation], let signature = Data(base64Encoded: encoded)
            else { return nil }
            return Layer(
                digest: digest, signature: Array(signature), certificate: layer.annotations?[Self.certificateAnnotation],
                chain: layer.annotations?[Self.chainAnnotation], bundle: layer.annotations?[Self.bundleAnnotation])
        }
    }
}
