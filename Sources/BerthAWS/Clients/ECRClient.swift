import Foundation

/// The ECR calls Berth makes (JSON 1.1).
public struct ECRClient: Sendable {
    static let target = "AmazonEC2ContainerRegistry_V20150921"
    let client: ServiceClient

    /// The region the client calls.
    public var region: String { client.configuration.region }

    public init(configuration: AWSConfiguration) {
        client = ServiceClient(service: .ecr, configuration: configuration)
    }

    /// A repository.
    public struct Repository: Sendable, Hashable, Decodable {
        public let repositoryName: String
        public let repositoryArn: String
        public let repositoryUri: String
        public let registryId: String?
        public let imageTagMutability: String?
        /// With `IMMUTABLE_WITH_EXCLUSION` (or `MUTABLE_WITH_EXCLUSION`), the tags that are the
        /// exception: mutable in an immutable repository, immutable in a mutable one.
        public let imageTagMutabilityExclusionFilters: [TagMutabilityExclusionFilter]?
        /// Whether images are scanned when pushed.
        public let imageScanningConfiguration: ScanningConfiguration?
        /// How images are encrypted at rest (ECR cannot change it).
        public let encryptionConfiguration: EncryptionConfiguration?
    }

    /// An image: its digest, tags and when it was pushed.
    public struct Image: Sendable, Hashable, Decodable {
        public let imageDigest: String
        public let imageTags: [String]?
        /// Seconds since 1970.
        public let imagePushedAt: Double?
        public let imageSizeInBytes: Int?

        public var pushedAt: Date? { imagePushedAt.map { Date(timeIntervalSince1970: $0) } }
    }

    private struct RepositoriesRequest: Encodable {
        let repositoryNames: [String]?
        let nextToken: String?
    }

    private struct RepositoriesResponse: Decodable {
        let repositories: [Repository]?
        let nextToken: String?
    }

    /// The named repositories (or all of them), a page at a time.
    public func describeRepositories(names: [String]? = nil) -> Paginated<Repository> {
        Paginated { token in
            let answer = try await client.json(
                targetPrefix: Self.target, operation: "DescribeRepositories",
                request: RepositoriesRequest(repositoryNames: names, nextToken: token), as: RepositoriesResponse.self)
            return (answer.repositories ?? [], answer.nextToken)
        }
    }

    private struct ImagesRequest: Encodable {
        struct ImageID: Encodable { let imageTag: String }
        let repositoryName: String
        let imageIds: [ImageID]?
        let nextToken: String?
        let maxResults: Int?
    }

    private struct ImagesResponse: Decodable {
        let imageDetails: [Image]?
        let nextToken: String?
    }

    /// The image tagged `tag`, or `nil` when the repository has no such tag.
    public func describeImage(repository: String, tag: String) async throws -> Image? {
        do {
            let answer = try await client.json(
                targetPrefix: Self.target, operation: "DescribeImages",
                request: ImagesRequest(repositoryName: repository, imageIds: [.init(imageTag: tag)], nextToken: nil, maxResults: nil),
                as: ImagesResponse.self)
            return answer.imageDetails?.first
        } catch let error as AWSServiceError where error.code == "ImageNotFoundException" {
            return nil
        }
    }

    /// Every image of the repository, a page at a time.
    public func describeImages(repository: String) -> Paginated<Image> {
        Paginated { token in
            let answer = try await client.json(
                targetPrefix: Self.target, operation: "DescribeImages",
                request: ImagesRequest(repositoryName: repository, imageIds: nil, nextToken: token, maxResults: 1000),
                as: ImagesResponse.self)
            return (answer.imageDetails ?? [], answer.nextToken)
        }
    }

    private struct LifecycleRequest: Encodable { let repositoryName: String }
    private struct LifecycleResponse: Decodable { let lifecyclePolicyText: String? }

    /// The repository's lifecycle policy text, or `nil` when it has none.
    public func getLifecyclePolicy(repository: String) async throws -> String? {
        do {
            return try await client.json(
                targetPrefix: Self.target, operation: "GetLifecyclePolicy",
                request: LifecycleRequest(repositoryName: repository), as: LifecycleResponse.self
            ).lifecyclePolicyText
        } catch let error as AWSServiceError where error.code == "LifecyclePolicyNotFoundException" {
            return nil
        }
    }

    private struct RepositoryPolicyResponse: Decodable { let policyText: String? }

    /// The repository's policy text, or `nil` when it has none.
    public func getRepositoryPolicy(repository: String) async throws -> String? {
        do {
            return try await client.json(
                targetPrefix: Self.target, operation: "GetRepositoryPolicy",
                request: LifecycleRequest(repositoryName: repository), as: RepositoryPolicyResponse.self
            ).policyText
        } catch let error as AWSServiceError where error.code == "RepositoryPolicyNotFoundException" {
            return nil
        }
    }

    private struct SetPolicyRequest: Encodable {
        let repositoryName: String
        let policyText: String
    }
    private struct SetPolicyResponse: Decodable { let repositoryName: String? }

    /// Sets the repository's policy (`SetRepositoryPolicy`).
    public func setRepositoryPolicy(repository: String, policyText: String) async throws {
        _ = try await client.json(
            targetPrefix: Self.target, operation: "SetRepositoryPolicy",
            request: SetPolicyRequest(repositoryName: repository, policyText: policyText), as: SetPolicyResponse.self)
    }

    private struct TagsRequest: Encodable { let resourceArn: String }
    private struct TagsResponse: Decodable {
        struct Tag: Decodable {
            let Key: String
            let Value: String?
        }
        let tags: [Tag]?
    }

    /// The tags of a repository, by key.
    public func listTags(resourceArn: String) async throws -> [String: String] {
        let answer = try await client.json(
            targetPrefix: Self.target, operation: "ListTagsForResource", request: TagsRequest(resourceArn: resourceArn), as: TagsResponse.self)
        var tags: [String: String] = [:]
        for tag in answer.tags ?? [] { tags[tag.Key] = tag.Value ?? "" }
        return tags
    }
}
