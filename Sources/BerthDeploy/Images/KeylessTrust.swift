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
    /// `ImageGateError.unreadableTrustedRoot`.
    public static func read(_ file: String, identity: CertificateIdentity) throws(ImageGateError) -> KeylessTrust {
        guard let bytes = try? RegularFile.read(file, limit: 1024 * 1024), let root = TrustedRoot(bytes) else {
            throw ImageGateError.unreadableTrustedRoot(file)
        }
        return KeylessTrust(root: root, identity: identity, source: file)
    }
}
