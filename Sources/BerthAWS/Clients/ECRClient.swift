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
        Paginated("DescribeRepositories") { token in
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
        Paginated("DescribeImages") { token in
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

    /// An answer without the policy is no answer: a repository without one is an error
    /// (RepositoryPolicyNotFoundException), never an empty success.
    private struct RepositoryPolicyResponse: Decodable { let policyText: String }

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
        /// Required: ECR lists no tags as `[]`, so an answer without the list is not one.
        let tags: [Tag]
    }

    /// The tags of a repository, by key.
    public func listTags(resourceArn: String) async throws -> [String: String] {
        let answer = try await client.json(
            targetPrefix: Self.target, operation: "ListTagsForResource", request: TagsRequest(resourceArn: resourceArn), as: TagsResponse.self)
        var tags: [String: String] = [:]
        for tag in answer.tags { tags[tag.Key] = tag.Value ?? "" }
        return tags
    }

    private struct TagResourceRequest: Encodable {
        struct Tag: Encodable {
            let Key: String
            let Value: String
        }
        let resourceArn: String
        let tags: [Tag]
    }
    private struct TagResourceResponse: Decodable {}

    /// Adds or overwrites tags of a repository (`TagResource`); `tags` in the order given.
    public func tagResource(resourceArn: String, tags: [(key: String, value: String)]) async throws {
        _ = try await client.json(
            targetPrefix: Self.target, operation: "TagResource",
            request: TagResourceRequest(resourceArn: resourceArn, tags: tags.map { .init(Key: $0.key, Value: $0.value) }), as: TagResourceResponse.self)
    }

    private struct BatchGetRequest: Encodable {
        struct ImageID: Encodable {
            let imageTag: String?
            let imageDigest: String?
        }
        let repositoryName: String
        let imageIds: [ImageID]
        let acceptedMediaTypes: [String]
    }

    private struct BatchGetResponse: Decodable {
        struct Found: Decodable {
            let imageManifest: String?
            let imageManifestMediaType: String?
        }
        let images: [Found]?
    }

    /// The manifest (JSON text) of the image tagged `tag`, or `nil` when the repository has no
    /// such tag.
    public func imageManifest(repository: String, tag: String) async throws -> String? {
        try await manifest(repository: repository, id: .init(imageTag: tag, imageDigest: nil))
    }

    /// The manifest (JSON text) of the image whose digest is `digest` (a referrer, which has no
    /// tag), or `nil` when the repository has no such image. ECR returns the manifest as it was
    /// pushed; whether its sha256 is `digest` is the caller's check.
    public func imageManifest(repository: String, digest: String) async throws -> String? {
        try await manifest(repository: repository, id: .init(imageTag: nil, imageDigest: digest))
    }

    private func manifest(repository: String, id: BatchGetRequest.ImageID) async throws -> String? {
        do {
            let answer = try await client.json(
                targetPrefix: Self.target, operation: "BatchGetImage",
                request: BatchGetRequest(
                    repositoryName: repository, imageIds: [id],
                    acceptedMediaTypes: [
                        "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
                    ]),
                as: BatchGetResponse.self)
            return answer.images?.first?.imageManifest
        } catch let error as AWSServiceError where error.code == "ImageNotFoundException" {
            return nil
        }
    }

    private struct LayerURLRequest: Encodable {
        let repositoryName: String
        let layerDigest: String
    }

    private struct LayerURLResponse: Decodable { let downloadUrl: String? }

    /// The pre-signed URL the layer (or blob) `digest` of the repository can be downloaded from.
    public func layerDownloadURL(repository: String, digest: String) async throws -> String? {
        try await client.json(
            targetPrefix: Self.target, operation: "GetDownloadUrlForLayer",
            request: LayerURLRequest(repositoryName: repository, layerDigest: digest), as: LayerURLResponse.self,
            // The URL is pre-signed: its query holds a credential and, from a role, a session token.
            holdsSecrets: true
        ).downloadUrl
    }

    /// Downloads a pre-signed `url` (GetDownloadUrlForLayer's answer), unsigned, through the
    /// client's HTTP settings; at most `limit` bytes are kept.
    public func download(url: String, limit: Int = 1 << 20) async throws -> [UInt8] {
        guard let endpoint = Endpoint(url: url) else {
            throw Self.downloadError(0, "InvalidDownloadURL", "ECR answered with a download URL Berth cannot use")
        }
        // Sent as given: the query is signed, and re-encoding it could break the signature.
        guard !url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value >= 0x7F }) else {
            throw Self.downloadError(0, "InvalidDownloadURL", "ECR answered with a download URL Berth cannot use")
        }
        var request = HTTPRequest(method: "GET", endpoint: endpoint)
        request.verbatimURL = url
        // Stopped at the limit, not read whole and then refused.
        request.maximumBodyBytes = limit
        let response: HTTPResponse
        do {
            response = try await client.configuration.http.send(request)
        } catch {
            if error.kind == .stopped { throw CancellationError() }
            guard error.kind == .tooLarge else { throw error }
            throw Self.downloadError(200, "LayerTooLarge", "the layer is larger than \(limit) bytes")
        }
        guard response.status == 200 else {
            // Throttled or failing storage (429, 5xx) says nothing of the layer: try again later.
            let unavailable = response.status == 429 || response.status >= 500
            throw Self.downloadError(
                response.status, unavailable ? "LayerDownloadUnavailable" : "LayerDownloadFailed",
                "downloading the layer answered HTTP \(response.status)\(unavailable ? "; try again later" : "")")
        }
        guard response.body.count <= limit else {
            throw Self.downloadError(response.status, "LayerTooLarge", "the layer is larger than \(limit) bytes")
        }
        return response.body
    }

    /// The codes of a failure of the layer itself: ECR's (GetDownloadUrlForLayer) and the
    /// download's own (`download(url:limit:)`). Any other (denied, throttled, or the storage's
    /// `LayerDownloadUnavailable`) is a failed call like any other.
    public static let layerFailureCodes: Set<String> = [
        "LayerInaccessibleException", "LayersNotFoundException", "LayerTooLarge", "LayerDownloadFailed", "InvalidDownloadURL",
    ]

    private static func downloadError(_ status: Int, _ code: String, _ message: String) -> AWSServiceError {
        AWSServiceError(service: "ecr", operation: "GetDownloadUrlForLayer", status: status, code: code, message: message, requestID: nil)
    }
}
