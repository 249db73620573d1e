/// Whom a keyless signature must come from: a Fulcio certificate chaining to a CA of the
/// trusted root, issued for this OIDC issuer and subject.
public struct KeylessIdentity: Sendable, Hashable {
    /// How the certificate's subject (its URI or email SAN) is matched.
    public enum Subject: Sendable, Hashable {
        /// Equal to this.
        case exact(String)
        /// Wholly matched by this regular expression.
        case regexp(String)
    }

    /// Sigstore's `trusted_root.json` (Fulcio CAs, Rekor keys), resolved against the environment
    /// file's directory.
    public var trustedRootFile: String
    /// The OIDC issuer the certificate records (`https://token.actions.githubusercontent.com`).
    public var issuer: String
    public var subject: Subject

    public init(trustedRootFile: String, issuer: String, subject: Subject) {
        self.trustedRootFile = trustedRootFile
        self.issuer = issuer
        self.subject = subject
    }
}
