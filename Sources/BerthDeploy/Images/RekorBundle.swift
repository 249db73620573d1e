import BerthAWS
import Foundation

/// Cosign's Rekor bundle (the `dev.sigstore.cosign/bundle` annotation): the transparency log's
/// signed entry timestamp (SET) over the entry it logged.
struct RekorBundle: Sendable, Hashable {
    /// The SET: the log's ECDSA signature over `signedBytes`.
    let signedEntryTimestamp: [UInt8]
    /// The entry, base64 as the log returned it.
    let body: String
    /// When the log integrated the entry (seconds since 1970): the signing time.
    let integratedTime: Int64
    let logIndex: Int64
    /// Hex SHA-256 of the log's DER public key.
    let logID: String

    private struct Wire: Decodable {
        struct Payload: Decodable {
            let body: String
            let integratedTime: Int64
            let logIndex: Int64
            let logID: String
        }
        let SignedEntryTimestamp: String
        let Payload: Payload
    }

    init(signedEntryTimestamp: [UInt8], body: String, integratedTime: Int64, logIndex: Int64, logID: String) {
        self.signedEntryTimestamp = signedEntryTimestamp
        self.body = body
        self.integratedTime = integratedTime
        self.logIndex = logIndex
        self.logID = logID.lowercased()
    }

    init?(_ text: String) {
        guard let wire = UnambiguousJSON.decode(Wire.self, from: text.utf8),
            let set = Data(base64Encoded: wire.SignedEntryTimestamp), !set.isEmpty
        else { return nil }
        signedEntryTimestamp = Array(set)
        body = wire.Payload.body
        integratedTime = wire.Payload.integratedTime
        logIndex = wire.Payload.logIndex
        logID = wire.Payload.logID.lowercased()
    }

    /// What the SET signs: the canonical JSON (RFC 8785: keys sorted, no spaces) of the payload.
    /// The body is base64 and the log ID hex, which JSON writes as they are.
    var signedBytes: [UInt8] {
        Array(#"{"body":"\#(body)","integratedTime":\#(integratedTime),"logID":"\#(logID)","logIndex":\#(logIndex)}"#.utf8)
    }

    /// Whether the strings are what the canonical form can hold unescaped.
    var isWellFormed: Bool {
        let base64 = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
        return body.allSatisfy { base64.contains($0) } && logID.allSatisfy { $0.isASCII && $0.isHexDigit }
    }

    private struct Entry: Decodable {
        struct Spec: Decodable {
            struct Signature: Decodable {
                struct PublicKey: Decodable { let content: String? }
                let content: String?
                let publicKey: PublicKey?
            }
            struct DataField: Decodable {
                struct Hash: Decodable {
                    let algorithm: String?
                    let value: String?
                }
                let hash: Hash?
            }
            let signature: Signature?
            let data: DataField?
        }
        let kind: String?
        let spec: Spec?
    }

    /// Whether the logged entry is the `hashedrekord` of `signature` by `certificate` (PEM) over a
    /// payload whose SHA-256 is `payloadDigest` (hex), as Cosign logs it.
    func logs(signature: [UInt8], by certificate: [UInt8], payloadDigest: String) -> Bool {
        guard let decoded = Data(base64Encoded: body), let entry = UnambiguousJSON.decode(Entry.self, from: decoded),
            entry.kind == "hashedrekord", let spec = entry.spec, let content = spec.signature?.content,
            let logged = Data(base64Encoded: content), spec.data?.hash?.algorithm == "sha256"
        else { return false }
        return Array(logged) == signature && spec.data?.hash?.value?.lowercased() == payloadDigest
            && Self.sameCertificate(spec.signature?.publicKey?.content, certificate)
    }

    /// Whether `logged` (the base64 of a PEM certificate, as a Rekor entry records its verifier)
    /// is the certificate `pem`: the entry must be the one its signer logged, not another's.
    static func sameCertificate(_ logged: String?, _ pem: [UInt8]) -> Bool {
        guard let logged, let decoded = Data(base64Encoded: logged), let mine = certificateBody(pem) else { return false }
        return certificateBody(Array(decoded)) == mine
    }

    /// The base64 body of `pem`, without line breaks, when `pem` is exactly one PEM certificate:
    /// white space around it, and nothing but base64 and white space inside it. Anything else
    /// (a second certificate, text before it, another label, PEM headers) is `nil`, so that no
    /// reader (OpenSSL, Rekor) can take a different certificate from the same text.
    static func certificateBody(_ pem: [UInt8]) -> String? {
        let begin = "-----BEGIN CERTIFICATE-----", end = "-----END CERTIFICATE-----"
        let text = String(decoding: pem, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix(begin), text.hasSuffix(end), text.count > begin.count + end.count else { return nil }
        let inside = text.dropFirst(begin.count).dropLast(end.count)
        let body = inside.unicodeScalars.filter { !($0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r") }
        let base64 = body.allSatisfy { ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) || "+/=".unicodeScalars.contains($0) }
        return body.isEmpty || !base64 ? nil : String(String.UnicodeScalarView(body))
    }

    private struct DSSEEntry: Decodable {
        struct Spec: Decodable {
            struct Hash: Decodable {
                let algorithm: String?
                let value: String?
            }
            struct Signature: Decodable {
                let signature: String?
                let verifier: String?
            }
            let payloadHash: Hash?
            let signatures: [Signature]?
        }
        let kind: String?
        let spec: Spec?
    }

    /// Whether the logged entry is the `dsse` entry of an envelope carrying `signature` by
    /// `certificate` (PEM) over a payload whose SHA-256 is `payloadDigest` (hex), as Sigstore's
    /// clients log a bundle's envelope.
    func logsEnvelope(signature: [UInt8], by certificate: [UInt8], payloadDigest: String) -> Bool {
        guard let decoded = Data(base64Encoded: body), let entry = UnambiguousJSON.decode(DSSEEntry.self, from: decoded),
            entry.kind == "dsse", let spec = entry.spec, spec.payloadHash?.algorithm == "sha256",
            spec.payloadHash?.value?.lowercased() == payloadDigest
        else { return false }
        return (spec.signatures ?? []).contains {
            $0.signature.flatMap { Data(base64Encoded: $0) }.map(Array.init) == signature && Self.sameCertificate($0.verifier, certificate)
        }
    }
}
