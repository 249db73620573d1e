import Foundation

/// The in-toto statement a `cosign sign` 3 bundle signs for an image: its subject is the image's
/// manifest digest, its predicate type `https://sigstore.dev/cosign/sign/v1`.
struct InTotoStatement: Sendable, Hashable {
    /// The predicate type of a Cosign image signature.
    static let cosignSignPredicate = "https://sigstore.dev/cosign/sign/v1"

    let predicateType: String
    /// Each subject's `sha256:<hex>` digest (subjects without a SHA-256 digest are left out).
    let subjectDigests: [String]

    private struct Wire: Decodable {
        struct Subject: Decodable { let digest: [String: String]? }
        let _type: String?
        let subject: [Subject]?
        let predicateType: String?
    }

    /// Reads `bytes` as an in-toto statement (v0.1 or v1); `nil` when it is not one.
    init?(_ bytes: [UInt8]) {
        guard let wire = UnambiguousJSON.decode(Wire.self, from: bytes),
            let type = wire._type, type.hasPrefix("https://in-toto.io/Statement/"), let predicateType = wire.predicateType
        else { return nil }
        self.predicateType = predicateType
        subjectDigests = (wire.subject ?? []).compactMap { $0.digest?["sha256"].map { "sha256:" + $0.lowercased() } }
    }
}
