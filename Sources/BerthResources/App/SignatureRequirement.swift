/// What an environment requires of its images' signatures (`signatures: {cosign: {publicKey: FILE}}`):
/// before phase 2 the image gate accepts only an image whose digest carries a Cosign signature by
/// this key, and pins the digest it verified.
public struct SignatureRequirement: Sendable, Hashable {
    /// The Cosign public key file (PEM, `cosign.pub`), resolved against the environment file's
    /// directory.
    public var publicKeyFile: String

    public init(publicKeyFile: String) {
        self.publicKeyFile = publicKeyFile
    }

    /// The tags Cosign writes its signatures under, as an ECR tag filter: `sha256-<hex>.sig`.
    /// Re-signing an image rewrites its tag, so the filter is one of an immutable repository's
    /// exceptions.
    public static let signatureTagFilter = "sha256-*.sig"
    /// The tag pattern of the lifecycle rule that keeps signatures (and attestations).
    public static let signatureTagPattern = "sha256-*"
}
