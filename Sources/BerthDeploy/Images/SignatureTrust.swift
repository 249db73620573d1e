/// What the gate checks an image's signatures against, read and ready.
public enum SignatureTrust: Sendable {
    /// A key pair's public key (from a file or from KMS).
    case key(SignatureKey)
    /// Fulcio certificates chaining to a trusted root, for one identity.
    case keyless(KeylessTrust)
}
