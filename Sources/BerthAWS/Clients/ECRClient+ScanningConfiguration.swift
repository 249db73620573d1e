extension ECRClient {
    /// A repository's scan-on-push setting.
    public struct ScanningConfiguration: Sendable, Hashable, Decodable {
        public let scanOnPush: Bool?
    }
}
