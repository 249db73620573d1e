extension ECRClient {
    /// An artifact that refers to an image (OCI 1.1 `subject`): a signature, an attestation, an SBOM.
    public struct Referrer: Sendable, Hashable, Decodable {
        /// `sha256:<hex>` of the artifact's manifest.
        public let digest: String
        public let mediaType: String?
        public let artifactType: String?
        public let size: Int?
        public let annotations: [String: String]?
        /// `ACTIVE`, `ARCHIVED` or `ACTIVATING`.
        public let artifactStatus: String?
    }

    private struct ReferrersRequest: Encodable {
        struct Subject: Encodable { let imageDigest: String }
        struct Filter: Encodable { let artifactTypes: [String] }
        let repositoryName: String
        let subjectId: Subject
        let filter: Filter?
        let nextToken: String?
    }

    private struct ReferrersResponse: Decodable {
        let referrers: [Referrer]?
        let nextToken: String?
    }

    /// The active artifacts whose manifests name `digest` as their subject (ListImageReferrers,
    /// ECR's form of the OCI 1.1 referrers API), of `artifactTypes` when given, a page at a time.
    public func listImageReferrers(repository: String, digest: String, artifactTypes: [String]? = nil) -> Paginated<Referrer> {
        Paginated("ListImageReferrers") { token in
            let answer = try await client.json(
                targetPrefix: Self.target, operation: "ListImageReferrers",
                request: ReferrersRequest(
                    repositoryName: repository, subjectId: .init(imageDigest: digest), filter: artifactTypes.map { .init(artifactTypes: $0) },
                    nextToken: token),
                as: ReferrersResponse.self)
            return (answer.referrers ?? [], answer.nextToken)
        }
    }
}
