import BerthAWS
import Foundation

/// An asymmetric KMS key in moto (ECC_NIST_P256, SIGN_VERIFY) that signs Cosign payloads as
/// `cosign sign --key awskms:///<ARN>` does: KMS Sign with ECDSA_SHA_256 over the payload
/// (MessageType RAW; moto's DIGEST does not give a signature that verifies).
public struct KMSTestSigner: Sendable {
    public let endpoint: Endpoint
    public let region: String
    /// The key's ARN.
    public let arn: String

    /// Creates a key of `keySpec` in moto.
    public init(_ endpoint: Endpoint, region: String, keySpec: String = "ECC_NIST_P256") async throws {
        self.endpoint = endpoint
        self.region = region
        let answer = try await Self.call(endpoint, region: region, "CreateKey", ["KeySpec": keySpec, "KeyUsage": "SIGN_VERIFY"])
        guard let metadata = answer["KeyMetadata"] as? [String: Any], let arn = metadata["Arn"] as? String else {
            throw TestServerError("CreateKey answered no KeyMetadata.Arn")
        }
        self.arn = arn
    }

    /// Names the key `alias/<name>` and returns the alias ARN.
    public func alias(_ name: String) async throws -> String {
        _ = try await Self.call(endpoint, region: region, "CreateAlias", ["AliasName": "alias/" + name, "TargetKeyId": arn])
        let parts = arn.split(separator: ":")
        return "arn:aws:kms:\(region):\(parts[4]):alias/\(name)"
    }

    /// The DER ECDSA signature of `payload` by the key.
    public func sign(_ payload: [UInt8]) async throws -> [UInt8] {
        let answer = try await Self.call(
            endpoint, region: region, "Sign",
            ["KeyId": arn, "Message": Data(payload).base64EncodedString(), "MessageType": "RAW", "SigningAlgorithm": "ECDSA_SHA_256"])
        guard let encoded = answer["Signature"] as? String, let signature = Data(base64Encoded: encoded) else {
            throw TestServerError("Sign answered no Signature")
        }
        return Array(signature)
    }

    private static func call(_ endpoint: Endpoint, region: String, _ operation: String, _ body: [String: Any]) async throws -> [String: Any] {
        var request = HTTPRequest(
            method: "POST", endpoint: endpoint,
            headers: [.init("Content-Type", "application/x-amz-json-1.1"), .init("X-Amz-Target", "TrentService.\(operation)")],
            body: Array(try JSONSerialization.data(withJSONObject: body)))
        try Crypto.load()
        SigV4Signer(credentials: Credentials(accessKeyID: "AKIDSETUP", secretAccessKey: "setup", source: "test"), region: region, service: "kms")
            .sign(&request)
        let response = try await HTTPClient().send(request)
        guard response.status == 200 else { throw TestServerError("KMS \(operation) answered HTTP \(response.status): \(response.text)") }
        if response.body.isEmpty || response.text == "null" { return [:] }
        guard let document = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] else {
            throw TestServerError("KMS \(operation) answered HTTP \(response.status): \(response.text)")
        }
        return document
    }
}
