import BerthAWS
import Foundation

/// Sigstore's trusted root (`trusted_root.json`, the protobuf-specs `TrustedRoot` in JSON): the
/// Fulcio certificate authorities and the Rekor transparency logs' keys.
public struct TrustedRoot: Sendable, Hashable {
    /// A time range; either end may be open.
    public struct Validity: Sendable, Hashable {
        public let start: Int64?
        public let end: Int64?

        func contains(_ time: Int64) -> Bool { (start.map { $0 <= time } ?? true) && (end.map { time <= $0 } ?? true) }
    }

    /// A Fulcio CA: its chain, the issuing certificate first and the root last (DER).
    public struct CertificateAuthority: Sendable, Hashable {
        public let certificates: [[UInt8]]
        public let validity: Validity
    }

    /// A transparency log: its key and the ID entries name it by (hex SHA-256 of the DER key).
    public struct TransparencyLog: Sendable, Hashable {
        public let logID: String
        /// DER SubjectPublicKeyInfo.
        public let publicKey: [UInt8]
        public let validity: Validity
    }

    public let certificateAuthorities: [CertificateAuthority]
    public let transparencyLogs: [TransparencyLog]

    private struct Wire: Decodable {
        struct Range: Decodable {
            let start: String?
            let end: String?
        }
        struct Bytes: Decodable { let rawBytes: String? }
        struct Chain: Decodable { let certificates: [Bytes]? }
        struct Authority: Decodable {
            let certChain: Chain?
            let validFor: Range?
        }
        struct Key: Decodable {
            let rawBytes: String?
            let validFor: Range?
        }
        struct LogID: Decodable { let keyId: String? }
        struct Log: Decodable {
            let publicKey: Key?
            let logId: LogID?
        }
        let certificateAuthorities: [Authority]?
        let tlogs: [Log]?
    }

    /// Reads `bytes` as a trusted root; `nil` unless it has at least one CA and one log, each
    /// readable.
    public init?(_ bytes: [UInt8]) {
        guard let wire = UnambiguousJSON.decode(Wire.self, from: bytes) else { return nil }
        var authorities: [CertificateAuthority] = []
        for authority in wire.certificateAuthorities ?? [] {
            let certificates = (authority.certChain?.certificates ?? []).compactMap { $0.rawBytes.flatMap { Data(base64Encoded: $0) }.map(Array.init) }
            guard !certificates.isEmpty, let validity = Self.validity(authority.validFor) else { return nil }
            authorities.append(CertificateAuthority(certificates: certificates, validity: validity))
        }
        var logs: [TransparencyLog] = []
        for log in wire.tlogs ?? [] {
            guard let key = log.publicKey?.rawBytes.flatMap({ Data(base64Encoded: $0) }).map(Array.init),
                let id = log.logId?.keyId.flatMap({ Data(base64Encoded: $0) }), let validity = Self.validity(log.publicKey?.validFor)
            else { return nil }
            logs.append(TransparencyLog(logID: Crypto.hex(Array(id)), publicKey: key, validity: validity))
        }
        guard !authorities.isEmpty, !logs.isEmpty else { return nil }
        certificateAuthorities = authorities
        transparencyLogs = logs
    }

    private static func validity(_ range: Wire.Range?) -> Validity? {
        let start = range?.start.map(Self.seconds)
        let end = range?.end.map(Self.seconds)
        if start == .some(nil) || end == .some(nil) { return nil }
        return Validity(start: start ?? nil, end: end ?? nil)
    }

    /// RFC 3339 (protobuf's Timestamp in JSON), with or without fractional seconds.
    private static func seconds(_ text: String) -> Int64? {
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = plain.date(from: text) ?? fractional.date(from: text) else { return nil }
        return Int64(date.timeIntervalSince1970.rounded(.down))
    }
}
