import BerthAWS

/// A trusted root and the identity keyless signatures must carry.
public struct KeylessTrust: Sendable {
    public let root: TrustedRoot
    public let identity: CertificateIdentity
    /// The trusted root's file, as messages name it.
    public let source: String

    public init(root: TrustedRoot, identity: CertificateIdentity, source: String) {
        self.root = root
        self.identity = identity
        self.source = source
    }

    /// Reads the trusted root `file`; one that cannot be read or is no trusted root is an
    /// `ImageGateError.unreadableTrustedRoot`, a subject pattern that does not compile an
    /// `ImageGateError.invalidSubjectPattern` (the environment file's reader refuses it at its line;
    /// the app's Swift code can still give one).
    public static func read(_ file: String, identity: CertificateIdentity) throws(ImageGateError) -> KeylessTrust {
        if identity.subjectIsRegexp, (try? Regex(identity.subject)) == nil {
            throw ImageGateError.invalidSubjectPattern(identity.subject)
        }
        guard let bytes = try? RegularFile.read(file, limit: 1024 * 1024), let root = TrustedRoot(bytes) else {
            throw ImageGateError.unreadableTrustedRoot(file)
        }
        return KeylessTrust(root: root, identity: identity, source: file)
    }
}
