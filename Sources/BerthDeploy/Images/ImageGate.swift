import BerthAWS
import BerthModel
import Foundation

/// The image-existence gate between the phases: the ECS phase changes nothing until the image
/// tag is really in ECR.
public struct ImageGate: Sendable {
    /// What the gate found.
    public struct Result: Sendable, Hashable {
        public let repositoryName: String
        public let repositoryURI: String
        public let tag: ImageTag
        public let digest: String
        public let pushedAt: Date?
        /// Whether the repository lets this tag move (a `MUTABLE` repository, or a tag matching
        /// the exclusion filters of an `IMMUTABLE_WITH_EXCLUSION` one); the service then pins the digest.
        public let tagCanMove: Bool
        /// The exclusion filter that makes the tag mutable, if one does.
        public let matchingFilter: String?
        /// Whether a signature the requirement accepts was verified for `digest`.
        public var signatureVerified = false
        /// Whose verified signature it was: `the key <file>`, `the KMS key <ARN>`, or the keyless
        /// identity required.
        public var signedBy: String?

        /// The digest to pin, or `nil` when the tag is immutable and enough. The digest whose
        /// signature was verified is always pinned.
        public var pinnedDigest: String? { tagCanMove || signatureVerified ? digest : nil }
    }

    let ecr: ECRClient
    let clock: PollClock

    public init(
        ecr: ECRClient, clock: PollClock = .system
    ) {
        self.ecr = ecr
        self.clock = clock
    }

    /// Looks the tag up in `repositoryName`; when it is missing, polls every `pollInterval` for
    /// up to `waitFor` (the push may still be running), then refuses with the newest tags that exist.
    ///
    /// A tag that matches the repository's exclusion filters can move like one in a `MUTABLE`
    /// repository: it is refused unless `allowMutable`, and then its digest is pinned.
    ///
    /// With `signatures`, the image's digest must carry a Cosign signature that it accepts (by
    /// its key, or keyless by its identity) which names exactly this digest; the digest verified is then always pinned, so that the service runs
    /// the image whose signature was checked even if the tag moves.
    ///
    /// With `pullingAccount` (a service in another account than the repository's), the
    /// repository's policy must let that account pull (`RepositoryPullGrant`): otherwise the
    /// service's tasks could not start.
    public func check(
        repositoryName: String, tag: ImageTag, allowMutable: Bool = false, waitFor: Duration = .zero,
        pollInterval: Duration = .seconds(5), signatures: SignatureTrust? = nil, pullingAccount: String? = nil
    ) async throws -> Result {
        let repository: ECRClient.Repository
        do {
            guard let found = try await ecr.describeRepositories(names: [repositoryName]).collect().first else {
                throw ImageGateError.repositoryMissing(repositoryName)
            }
            repository = found
        } catch let error as AWSServiceError where error.code == "RepositoryNotFoundException" {
            throw ImageGateError.repositoryMissing(repositoryName)
        }
        let mutability = TagMutability(repository)
        let matchingFilter = mutability.setting == "IMMUTABLE_WITH_EXCLUSION" ? mutability.matchingFilter(tag.value) : nil
        if let matchingFilter, !allowMutable {
            throw ImageGateError.tagMovesInRepository(tag: tag.value, repository: repositoryName, filter: matchingFilter)
        }
        if let pullingAccount {
            let policy = try await ecr.getRepositoryPolicy(repository: repositoryName)
            if !(policy.map { RepositoryPullGrant.grants($0, pullTo: pullingAccount) } ?? false) {
                throw ImageGateError.pullNotGranted(repository: repositoryName, account: pullingAccount, hasPolicy: policy != nil)
            }
        }
        let deadline = clock.now() + waitFor
        while true {
            if let image = try await ecr.describeImage(repository: repositoryName, tag: tag.value) {
                // Pinned in the task definition and put in the signature tag's name: never a
                // registry's answer of another shape.
                guard ImageDigest.isValid(image.imageDigest) else {
                    throw ImageGateError.malformedDigest(repository: repositoryName, tag: tag.value)
                }
                var result = Result(
                    repositoryName: repositoryName, repositoryURI: repository.repositoryUri, tag: tag, digest: image.imageDigest,
                    pushedAt: image.pushedAt, tagCanMove: mutability.tagCanMove(tag.value), matchingFilter: matchingFilter)
                if let signatures {
                    result.signedBy = try await CosignVerifier(ecr: ecr, trust: signatures).verify(
                        repositoryName: repositoryName, repositoryURI: repository.repositoryUri, tag: tag.value, digest: image.imageDigest)
                    result.signatureVerified = true
                }
                return result
            }
            guard clock.now() + pollInterval <= deadline else { break }
            try await clock.sleep(pollInterval)
        }
        // Only their tags are named, as a hint: no digest of theirs is used, so an image of
        // another digest shape does not hide that this one is missing.
        let images = try await ecr.describeImages(repository: repositoryName).collect()
        let recent = images.sorted { ($0.imagePushedAt ?? 0) > ($1.imagePushedAt ?? 0) }
            .flatMap { $0.imageTags ?? [] }.filter { !CosignSignatureManifest.isCosignTag($0) && (try? ImageTag($0)) != nil }.prefix(5)
        throw ImageGateError.imageMissing(
            repository: repositoryName, tag: tag.value, recentTags: Array(recent), waited: waitFor > .zero)
    }
}
