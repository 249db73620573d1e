import Foundation

/// The "simple signing" payload Cosign signs for an image: its repository and manifest digest.
///
/// Cosign marshals it with Go's `encoding/json` (sigstore's `payload.SimpleContainerImage`):
/// no spaces, keys in this order, and `"optional":null` when the signature has no annotations.
struct CosignPayload: Sendable, Hashable {
    /// The media type of a signature layer whose blob is this payload.
    static let mediaType = "application/vnd.dev.cosign.simplesigning.v1+json"
    /// The `type` Cosign writes.
    static let type = "cosign container image signature"

    /// The repository without tag or digest (`123456789012.dkr.ecr.eu-west-1.amazonaws.com/app`).
    let dockerReference: String
    /// `sha256:<hex>`.
    let manifestDigest: String

    /// The bytes Cosign writes for this repository and digest without annotations.
    var bytes: [UInt8] {
        Array(
            (#"{"critical":{"identity":{"docker-reference":"# + Self.goString(dockerReference) + #"},"image":{"docker-manifest-digest":"#
                + Self.goString(manifestDigest) + #"},"type":"# + Self.goString(Self.type) + #"},"optional":null}"#).utf8)
    }

    /// `text` as Go's encoding/json writes a string (HTML characters escaped too).
    static func goString(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                output += String(format: "\\u%04x", scalar.value)
            default:
                if scalar.value < 0x20 {
                    output += String(format: "\\u%04x", scalar.value)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }

    private struct Wire: Decodable {
        struct Critical: Decodable {
            struct Identity: Decodable {
                let dockerReference: String?
                enum CodingKeys: String, CodingKey { case dockerReference = "docker-reference" }
            }
            struct Image: Decodable {
                let dockerManifestDigest: String?
                enum CodingKeys: String, CodingKey { case dockerManifestDigest = "docker-manifest-digest" }
            }
            let identity: Identity?
            let image: Image?
            let type: String?
        }
        let critical: Critical?
    }

    /// Reads a payload someone signed (a downloaded layer); `nil` when it is not a Cosign
    /// simple-signing payload.
    static func read(_ bytes: [UInt8]) -> CosignPayload? {
        guard let wire = UnambiguousJSON.decode(Wire.self, from: bytes), let critical = wire.critical,
            critical.type == type, let digest = critical.image?.dockerManifestDigest
        else { return nil }
        return CosignPayload(dockerReference: critical.identity?.dockerReference ?? "", manifestDigest: digest)
    }
}
