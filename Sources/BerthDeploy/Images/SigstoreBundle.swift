import BerthAWS
import Foundation

/// A Sigstore bundle (protobuf-specs `Bundle` in JSON, media types v0.1 to v0.3), as `cosign sign`
/// 3 stores it in an OCI referrer: the verification material (a Fulcio certificate or chain, or a
/// key hint; transparency log entries; RFC 3161 timestamps) and what was signed, a DSSE envelope
/// or a message signature.
struct SigstoreBundle: Sendable, Hashable {
    /// The artifact type and layer media type of a bundle referrer.
    static let mediaType = "application/vnd.dev.sigstore.bundle.v0.3+json"

    /// One transparency log entry.
    struct LogEntry: Sendable, Hashable {
        let logIndex: Int64
        /// Hex SHA-256 of the log's DER public key.
        let logID: String
        let integratedTime: Int64
        /// The entry as the log canonicalized it (Rekor v1: the base64 `body`).
        let canonicalizedBody: [UInt8]
        /// The log's signed entry timestamp (Rekor v1's inclusion promise), when the entry has one.
        let signedEntryTimestamp: [UInt8]?
        /// Whether the entry carries a Merkle inclusion proof (which Berth does not check).
        let hasInclusionProof: Bool

        /// The SET and what it signs, in the form the `.sig` layout's Rekor bundle has.
        var rekorBundle: RekorBundle? {
            guard let signedEntryTimestamp, !signedEntryTimestamp.isEmpty else { return nil }
            return RekorBundle(
                signedEntryTimestamp: signedEntryTimestamp, body: Data(canonicalizedBody).base64EncodedString(), integratedTime: integratedTime,
                logIndex: logIndex, logID: logID)
        }
    }

    /// The signing certificate (DER), first of the chain, when the bundle is keyless.
    let certificate: [UInt8]?
    /// The certificates after it (DER), from a v0.1/v0.2 `x509CertificateChain`.
    let chain: [[UInt8]]
    let logEntries: [LogEntry]
    /// How many RFC 3161 timestamps the bundle carries (which Berth does not check).
    let timestampCount: Int
    /// The DSSE envelope, when the bundle signs one.
    let envelope: DSSEEnvelope?
    /// Whether the bundle holds a message signature (a signed blob) instead.
    let hasMessageSignature: Bool

    private struct Wire: Decodable {
        struct Bytes: Decodable { let rawBytes: String? }
        struct Chain: Decodable { let certificates: [Bytes]? }
        struct LogID: Decodable { let keyId: String? }
        struct Promise: Decodable { let signedEntryTimestamp: String? }
        struct Entry: Decodable {
            let logIndex: ProtobufInt64?
            let logId: LogID?
            let integratedTime: ProtobufInt64?
            let inclusionPromise: Promise?
            let inclusionProof: JSONObjectPresence?
            let canonicalizedBody: String?
        }
        struct Timestamps: Decodable { let rfc3161Timestamps: [JSONObjectPresence]? }
        struct Material: Decodable {
            let certificate: Bytes?
            let x509CertificateChain: Chain?
            let tlogEntries: [Entry]?
            let timestampVerificationData: Timestamps?
        }
        struct Envelope: Decodable {
            struct Signature: Decodable { let sig: String? }
            let payload: String?
            let payloadType: String?
            let signatures: [Signature]?
        }
        let mediaType: String?
        let verificationMaterial: Material?
        let dsseEnvelope: Envelope?
        let messageSignature: JSONObjectPresence?
    }

    /// Reads `bytes` as a bundle; `nil` when it is not one (no Sigstore bundle media type, or a
    /// field that is not what the specification says).
    init?(_ bytes: [UInt8]) {
        guard let wire = UnambiguousJSON.decode(Wire.self, from: bytes),
            let mediaType = wire.mediaType, mediaType.hasPrefix("application/vnd.dev.sigstore.bundle"),
            let material = wire.verificationMaterial
        else { return nil }
        func decoded(_ text: String?) -> [UInt8]? { text.flatMap { Data(base64Encoded: $0) }.map(Array.init) }
        if let single = material.certificate {
            guard let der = decoded(single.rawBytes) else { return nil }
            certificate = der
            chain = []
        } else if let certificates = material.x509CertificateChain?.certificates {
            let ders = certificates.compactMap { decoded($0.rawBytes) }
            guard ders.count == certificates.count, let first = ders.first else { return nil }
            certificate = first
            chain = Array(ders.dropFirst())
        } else {
            certificate = nil
            chain = []
        }
        var entries: [LogEntry] = []
        for entry in material.tlogEntries ?? [] {
            guard let index = entry.logIndex?.value, let time = entry.integratedTime?.value,
                let id = decoded(entry.logId?.keyId), let body = decoded(entry.canonicalizedBody)
            else { return nil }
            let set = entry.inclusionPromise.map { decoded($0.signedEntryTimestamp) }
            if set == .some(nil) { return nil }
            entries.append(
                LogEntry(
                    logIndex: index, logID: Crypto.hex(id), integratedTime: time, canonicalizedBody: body, signedEntryTimestamp: set ?? nil,
                    hasInclusionProof: entry.inclusionProof != nil))
        }
        logEntries = entries
        timestampCount = material.timestampVerificationData?.rfc3161Timestamps?.count ?? 0
        if let envelope = wire.dsseEnvelope {
            guard let payload = decoded(envelope.payload), let type = envelope.payloadType else { return nil }
            let signatures = (envelope.signatures ?? []).compactMap { decoded($0.sig) }
            guard signatures.count == envelope.signatures?.count, !signatures.isEmpty else { return nil }
            self.envelope = DSSEEnvelope(payloadType: type, payload: payload, signatures: signatures)
        } else {
            self.envelope = nil
        }
        hasMessageSignature = wire.messageSignature != nil
        guard self.envelope != nil || hasMessageSignature else { return nil }
    }
}
