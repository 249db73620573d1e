import Foundation
import Testing

@testable import BerthDeploy

/// A Rekor entry counts for a signature only when it records the certificate that signed: the
/// `hashedrekord` entry's `publicKey.content` and the `dsse` entry's `verifier` (each the base64
/// of a PEM certificate, as Rekor's types define them) are compared with the certificate checked.
@Suite struct RekorEntryBindingTests {
    private static func pem(_ body: String) -> String {
        "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n"
    }

    private static let signer = pem("TUlJQnNpZ25lcg==")
    private static let other = pem("TUlJQm90aGVy")
    private static let signature: [UInt8] = [1, 2, 3, 4]
    private static let payloadDigest = String(repeating: "ab", count: 32)

    private func bundle(_ entry: [String: Any]) throws -> RekorBundle {
        let body = try JSONSerialization.data(withJSONObject: entry).base64EncodedString()
        return RekorBundle(signedEntryTimestamp: [0], body: body, integratedTime: 0, logIndex: 0, logID: "00")
    }

    private func hashedRekord(loggedBy certificate: String) throws -> RekorBundle {
        try bundle([
            "kind": "hashedrekord", "apiVersion": "0.0.1",
            "spec": [
                "signature": [
                    "content": Data(Self.signature).base64EncodedString(),
                    "publicKey": ["content": Data(certificate.utf8).base64EncodedString()],
                ],
                "data": ["hash": ["algorithm": "sha256", "value": Self.payloadDigest]],
            ],
        ])
    }

    @Test func aHashedRekordCountsOnlyForTheCertificateItRecords() throws {
        let entry = try hashedRekord(loggedBy: Self.signer)
        #expect(entry.logs(signature: Self.signature, by: Array(Self.signer.utf8), payloadDigest: Self.payloadDigest))
        // The same certificate with other line breaks is the same certificate.
        let rewrapped = Self.signer.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(entry.logs(signature: Self.signature, by: Array(rewrapped.utf8), payloadDigest: Self.payloadDigest))
        #expect(!entry.logs(signature: Self.signature, by: Array(Self.other.utf8), payloadDigest: Self.payloadDigest))
        #expect(!entry.logs(signature: Self.signature, by: Array("not a certificate".utf8), payloadDigest: Self.payloadDigest))
    }

    @Test func aDSSEEntryCountsOnlyForTheCertificateItRecords() throws {
        let entry = try bundle([
            "kind": "dsse", "apiVersion": "0.0.1",
            "spec": [
                "payloadHash": ["algorithm": "sha256", "value": Self.payloadDigest],
                "signatures": [
                    ["signature": Data(Self.signature).base64EncodedString(), "verifier": Data(Self.signer.utf8).base64EncodedString()]
                ],
            ],
        ])
        #expect(entry.logsEnvelope(signature: Self.signature, by: Array(Self.signer.utf8), payloadDigest: Self.payloadDigest))
        #expect(!entry.logsEnvelope(signature: Self.signature, by: Array(Self.other.utf8), payloadDigest: Self.payloadDigest))
    }

    @Test func anEntryWithoutACertificateCountsForNone() throws {
        let entry = try bundle([
            "kind": "hashedrekord",
            "spec": [
                "signature": ["content": Data(Self.signature).base64EncodedString()],
                "data": ["hash": ["algorithm": "sha256", "value": Self.payloadDigest]],
            ],
        ])
        #expect(!entry.logs(signature: Self.signature, by: Array(Self.signer.utf8), payloadDigest: Self.payloadDigest))
    }
}
