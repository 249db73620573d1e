import BerthAWS

/// The public key an environment's images must be signed with (Cosign's key-pair signing).
public struct SignatureKey: Sendable, Hashable {
    /// The key: PEM (`cosign.pub`) or DER SubjectPublicKeyInfo.
    public let publicKey: [UInt8]
    /// Where it came from, as messages name it (the file as the environment file wrote it).
    public let source: String

    public init(publicKey: [UInt8], source: String) {
        self.publicKey = publicKey
        self.source = source
    }

    /// Reads the key file `path`; an unreadable file, or one that is no key Berth checks Cosign
    /// signatures with, is an `ImageGateError.unreadableKey`.
    public static func read(_ path: String) throws(ImageGateError) -> SignatureKey {
        guard let bytes = try? RegularFile.read(path, limit: 64 * 1024) else { throw ImageGateError.unreadableKey(path, problem: "cannot be read") }
        if let problem = Crypto.publicKeyKind(bytes).cosignProblem { throw ImageGateError.unreadableKey(path, problem: problem) }
        return SignatureKey(publicKey: bytes, source: path)
    }
}
