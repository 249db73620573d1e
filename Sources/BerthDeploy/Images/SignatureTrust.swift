/// What the gate checks an image's signatures against, read and ready.
public enum SignatureTrust: Sendable {
    /// A key pair's public key (from a file or from KMS).
    case key(SignatureKey)
    /// Fulcio certificates chaining to a trusted root, for one identity.
    case keyless(KeylessTrust)

    /// Whose signatures it accepts, as messages say it.
    public var signer: String {
        switch self {
        case .key(let key): key.source.hasPrefix("arn:") ? "the KMS key \(key.source)" : "the key \(key.source)"
        case .keyless(let keyless): "a Fulcio certificate for \(keyless.identity)"
        }
    }
}
