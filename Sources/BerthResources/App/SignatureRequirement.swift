/// What an environment requires of its images' signatures (`signatures: {cosign: …}`): before
/// phase 2 the image gate accepts only an image whose digest carries a Cosign signature that this
/// requirement accepts, and pins the digest it verified.
public enum SignatureRequirement: Sendable, Hashable {
    /// Signed with a key pair whose public key is this file (PEM `cosign.pub` or DER), resolved
    /// against the environment file's directory.
    case publicKeyFile(String)
    /// Signed with an asymmetric KMS key (`cosign sign --key awskms:///…`): its key or alias ARN.
    /// The gate reads the public key with GetPublicKey once per deploy.
    case kmsKey(String)
    /// Signed keyless (a Fulcio certificate for an OIDC identity, logged in Rekor), as
    /// GitHub Actions' `cosign sign` does.
    case keyless(KeylessIdentity)

    /// 0.4's spelling of `.publicKeyFile(_:)`.
    @available(*, deprecated, renamed: "publicKeyFile")
    public init(publicKeyFile: String) { self = .publicKeyFile(publicKeyFile) }

    /// The tags Cosign writes its signatures under, as an ECR tag filter: `sha256-<hex>.sig`.
    /// Re-signing an image rewrites its tag, so the filter is one of an immutable repository's
    /// exceptions.
    public static let signatureTagFilter = "sha256-*.sig"
    /// The tag pattern of the lifecycle rule that keeps signatures (and attestations).
    public static let signatureTagPattern = "sha256-*"
}
