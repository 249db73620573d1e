import BerthAWS

extension SignaturePolicy {
    /// The KMS signing algorithms whose signatures Berth verifies.
    static let sha256SigningAlgorithms = ["ECDSA_SHA_256", "RSASSA_PKCS1_V1_5_SHA_256"]

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
                throw ImageGateError.unusableKMSKey(arn: arn, reason: error.summary)
            }
            if let usage = key.keyUsage, usage != "SIGN_VERIFY" {
                throw ImageGateError.unusableKMSKey(arn: arn, reason: "its key usage is \(usage), not SIGN_VERIFY")
            }
            // Cosign signs with the hash the key's spec implies (SHA-384 for ECC_NIST_P384, …);
            // Berth verifies SHA-256 signatures (ECDSA, RSA PKCS #1 v1.5) only.
            if !key.signingAlgorithms.isEmpty, !key.signingAlgorithms.contains(where: Self.sha256SigningAlgorithms.contains) {
                throw ImageGateError.unusableKMSKey(
                    arn: arn,
                    reason: "it signs with \(key.signingAlgorithms.joined(separator: ", ")), and Berth verifies SHA-256 signatures only "
                        + "(ECDSA_SHA_256 or RSASSA_PKCS1_V1_5_SHA_256): use an ECC_NIST_P256 key")
            }
            if let problem = Crypto.publicKeyKind(key.publicKey).cosignProblem {
                throw ImageGateError.unusableKMSKey(arn: arn, reason: "the key GetPublicKey answered \(problem)")
            }
            return .key(SignatureKey(publicKey: key.publicKey, source: arn))
        case .keyless(let file, let identity):
            return .keyless(try KeylessTrust.read(file, identity: identity))
        }
    }
}
