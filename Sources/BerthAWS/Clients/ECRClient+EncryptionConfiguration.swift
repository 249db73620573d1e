extension ECRClient {
    /// A repository's encryption: `AES256` or `KMS` (with its key).
    public struct EncryptionConfiguration: Sendable, Hashable, Decodable {
        public let encryptionType: String?
        public let kmsKey: String?
    }
}
