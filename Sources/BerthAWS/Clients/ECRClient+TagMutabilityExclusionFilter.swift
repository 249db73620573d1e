extension ECRClient {
    /// One of a repository's `imageTagMutabilityExclusionFilters`: a tag pattern (`filter`, where
    /// `*` stands for any characters) of type `filterType` (ECR knows only `WILDCARD`).
    public struct TagMutabilityExclusionFilter: Sendable, Hashable, Decodable {
        public let filter: String
        public let filterType: String?

        public init(filter: String, filterType: String? = "WILDCARD") {
            self.filter = filter
            self.filterType = filterType
        }
    }
}
