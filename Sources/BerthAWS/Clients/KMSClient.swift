import Foundation

/// The KMS call Berth makes (JSON 1.1): reading the public half of an asymmetric key, such as
/// the one `cosign sign --key awskms:///…` signs with.
public struct KMSClient: Sendable {
    static let target = "TrentService"
    let configuration: AWSConfiguration

    public init(configuration: AWSConfiguration) {
        self.configuration = configuration
    }

    /// An asymmetric key's public half.
    public struct PublicKey: Sendable, Hashable {
        /// The key's ARN (or ID, as the answer gives it).
        public let keyID: String
        /// DER SubjectPublicKeyInfo.
        public let publicKey: [UInt8]
        /// `SIGN_VERIFY`, `ENCRYPT_DECRYPT`, …
        public let keyUsage: String?
        /// `ECDSA_SHA_256`, …
        public let signingAlgorithms: [String]
    }

    private struct Request: Encodable {
        let KeyId: String
    }

    private struct Response: Decodable {
        let KeyId: String?
        let PublicKey: String?
        let KeyUsage: String?
        let SigningAlgorithms: [String]?
    }

    /// GetPublicKey of `keyID` (a key or alias ARN). An ARN is asked of its own region's
    /// endpoint, whatever region the client was made for.
    public func getPublicKey(keyID: String) async throws -> PublicKey {
        var configuration = configuration
        let parts = keyID.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 6, parts[0] == "arn", parts[2] == "kms", !parts[3].isEmpty, parts[3] != Substring(configuration.region) {
            configuration.region = String(parts[3])
            configuration.endpoints = EndpointResolver(
                region: configuration.region, override: configuration.endpoints.override, environment: configuration.endpoints.environment)
        }
        let client = ServiceClient(service: .kms, configuration: configuration)
        let answer = try await client.json(targetPrefix: Self.target, operation: "GetPublicKey", request: Request(KeyId: keyID), as: Response.self)
        guard let encoded = answer.PublicKey, let der = Data(base64Encoded: encoded), !der.isEmpty else {
            throw UnexpectedResponseError(service: "kms", operation: "GetPublicKey", status: 200, body: Array("no PublicKey in the answer".utf8))
        }
        return PublicKey(
            keyID: answer.KeyId ?? keyID, publicKey: Array(der), keyUsage: answer.KeyUsage, signingAlgorithms: answer.SigningAlgorithms ?? [])
    }
}
