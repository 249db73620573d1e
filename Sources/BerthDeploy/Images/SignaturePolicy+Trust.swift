import BerthAWS

extension SignaturePolicy {
    /// Reads what checking needs: the key file, the KMS key's public half (GetPublicKey), or the
    /// trusted root. What makes the requirement unusable is an `ImageGateError`.
    public func trust(kms: KMSClient) async throws -> SignatureTrust {
        switch self {
        case .publicKeyFile(let file):
            return .key(try SignatureKey.read(file))
        case .kmsKey(let arn):
            let key: KMSClient.PublicKey
            do {
                key = try await kms.getPublicKey(keyID: arn)
            } catch let error as AWSServiceError where error.code == "NotFoundException" || error.code == "DisabledException" {
                throw ImageGateError.unusableKMSKey(arn: arn, reason: "\(error.code): \(error.message)")
            }
            if let usage = key.keyUsage, usage != "SIGN_VERIFY" {
                throw ImageGateError.unusableKMSKey(arn: arn, reason: "its key usage is \(usage), not SIGN_VERIFY")
            }
            guard Crypto.isReadablePublicKey(key.publicKey) else {
                throw ImageGateError.unusableKMSKey(arn: arn, reason: "GetPublicKey answered a key libcrypto does not read")
            }
            return .key(SignatureKey(publicKey: key.publicKey, source: arn))
        case .keyless(let file, let identity):
            return .keyless(try KeylessTrust.read(file, identity: identity))
        }
    }
}
