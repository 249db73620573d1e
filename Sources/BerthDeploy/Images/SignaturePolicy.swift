/// The signatures a stack's image must carry, as the environment file names them; resolved into a
/// `SignatureTrust` (keys read, trusted root parsed) once per deploy.
public enum SignaturePolicy: Sendable, Hashable {
    /// A Cosign public key file (PEM or DER).
    case publicKeyFile(String)
    /// An asymmetric KMS key (key or alias ARN), read with GetPublicKey.
    case kmsKey(String)
    /// Keyless: a Fulcio certificate chaining to `trustedRootFile` for `identity`.
    case keyless(trustedRootFile: String, identity: CertificateIdentity)
}
