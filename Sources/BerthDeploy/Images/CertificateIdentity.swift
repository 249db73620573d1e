/// Whom a keyless signature must come from: the OIDC issuer recorded in the Fulcio certificate,
/// and its subject (URI or email SAN), equal to `subject` or wholly matched by it as a regular
/// expression.
public struct CertificateIdentity: Sendable, Hashable, CustomStringConvertible {
    public let issuer: String
    public let subject: String
    public let subjectIsRegexp: Bool

    public init(issuer: String, subject: String, subjectIsRegexp: Bool) {
        self.issuer = issuer
        self.subject = subject
        self.subjectIsRegexp = subjectIsRegexp
    }

    /// Whether `candidate` is the subject: equal, or (a regexp) matched from its first character
    /// to its last. A pattern that does not compile matches nothing.
    public func matchesSubject(_ candidate: String) -> Bool {
        guard subjectIsRegexp else { return candidate == subject }
        guard let pattern = try? Regex(subject) else { return false }
        return (try? pattern.wholeMatch(in: candidate)) != nil
    }

    public var description: String {
        (subjectIsRegexp ? "a subject matching \(subject)" : "subject \(subject)") + " issued by \(issuer)"
    }
}
