/// The tags `berth rollback` deploys: per service, the one named, else the last tag that
/// completed before the current one (the stack's `ImageTag`), in the service's history.
public struct RollbackChoice: Sendable {
    /// The tag each service goes back to, by service.
    public let tags: [String: String]
    /// The image each service's tag named when it last ran, where the history recorded one: a
    /// mutable tag (`latest`) may name another image since.
    public let ran: [String: RanImage]

    /// The image a tag named when it ran.
    public struct RanImage: Sendable, Hashable {
        public let digest: String
        /// Whether it is the digest the task definition pinned (ECR's, as the gate read it), not
        /// ECS's resolution of the tag.
        public let isPinned: Bool

        public init(digest: String, isPinned: Bool) {
            self.digest = digest
            self.isPinned = isPinned
        }
    }

    /// Chooses from `history` (each service's deploys, newest first); `requested` holds `--to`'s
    /// tags: `TAG` for every service, `SERVICE=TAG` for one. A tag named whose every recorded
    /// deploy failed (`DeployOutcome.isFailure`) is refused.
    /// Another app's stack (or an untagged one) of a service's name refuses the rollback as it
    /// would refuse the deploy (`DeployError.foreignStacks`).
    /// Refuses a `--to SERVICE=TAG` whose service is not among `services` (the services rolled
    /// back), before anything is read.
    public static func check(_ requested: ImageSelection, services: [String]) throws(RollbackError) {
        if let unknown = requested.byService.keys.sorted().first(where: { !services.contains($0) }) {
            throw RollbackError.unknownService(unknown, known: services)
        }
    }

    public init(history: DeployHistory, requested: ImageSelection) throws {
        let foreign = history.services.compactMap(\.foreign)
        if !foreign.isEmpty, let app = history.app { throw DeployError.foreignStacks(foreign, app: app) }
        try Self.check(requested, services: history.services.map(\.service))
        var tags: [String: String] = [:]
        var ran: [String: RanImage] = [:]
        // A service whose image is not in one of the app's repositories has no tag to go back to.
        for service in history.services where service.repository != nil {
            // The deploy whose image is gone back to: the one chosen, or for a tag named, its
            // newest that completed (a tag that moved named another image in each).
            let records = service.records
            func newestRecorded(_ tag: String) -> Int? {
                let named = records.indices.filter { records[$0].imageTag == tag && records[$0].imageDigest != nil }
                return named.first { records[$0].outcome == .completed } ?? named.first
            }
            // Rollback goes back on a deployed service, a tag named or not: it makes no stack.
            guard service.isDeployed else { throw RollbackError.notDeployed(service: service.service, stack: service.stack) }
            let chosen: Int?
            if let tag = requested.tag(for: service.service) {
                // A tag every recorded deploy of which failed is no way back.
                let deploys = records.filter { $0.imageTag == tag.value }
                if let newest = deploys.first, deploys.allSatisfy(\.outcome.isFailure) {
                    throw RollbackError.onlyFailed(service: service.service, tag: tag.value, deploys: deploys.count, newest: newest.outcome)
                }
                tags[service.service] = tag.value
                chosen = newestRecorded(tag.value)
            } else {
                guard let index = Self.previous(service), let tag = records[index].imageTag else {
                    throw RollbackError.nothingEarlier(service: service.service, current: service.deployedTag)
                }
                tags[service.service] = tag
                // That deploy's own image, or if it recorded none, the tag's newest recorded one.
                chosen = records[index].imageDigest != nil ? index : newestRecorded(tag)
            }
            if let chosen, let digest = records[chosen].imageDigest {
                ran[service.service] = RanImage(digest: digest, isPinned: records[chosen].imageDigestIsPinned)
            }
        }
        self.tags = tags
        self.ran = ran
    }

    /// The deploy (its index in the records) of the last tag that completed before the current
    /// one first ran: the newest completed deploy older than the oldest completed deploy of the
    /// current tag, whose tag is another. So after A, B, then a rollback to A, the next rollback
    /// goes back past A, not to B, which was just left.
    static func previous(_ service: DeployHistory.Service) -> Int? {
        let current = service.deployedTag ?? service.records.first?.imageTag
        let records = service.records
        let start = records.lastIndex { $0.imageTag == current && $0.outcome == .completed }.map { $0 + 1 } ?? 0
        return records.indices[start...].first { records[$0].outcome == .completed && records[$0].imageTag != nil && records[$0].imageTag != current }
    }

    /// Refuses a tag its repository no longer holds, one that names another image than the
    /// one that ran under it (`ran`), and one that can move but never ran (which image it named
    /// then is unknown). The recorded digest is compared whenever it is the pinned one (ECR's, as
    /// now), or the tag can move; an immutable tag with ECS's resolution only is not (ECS may
    /// record a platform's digest of a multi-platform image). `image` asks ECR what a tag names
    /// (DescribeImages) and whether it can move (DescribeRepositories). An immutable tag can name
    /// another image too, once the first was deleted and the tag pushed again.
    ///
    /// Returns the digest each service's tag names now, by service: the deploy's gate must read
    /// the same (`ImageSelection.requiring(digests:)`), so that a tag pushed again in between is
    /// refused rather than deployed.
    ///
    /// `expiring` gives what a repository's lifecycle policy expires or archives at its next run,
    /// by digest, with the rule's priority (`LifecyclePreview.removals`): a tag whose image is among them
    /// is refused too, since the service could not replace its tasks once ECR removed it.
    public func checkStillThere(
        _ history: DeployHistory, image: (_ repository: String, _ tag: String) async throws -> (digest: String, tagCanMove: Bool)?,
        expiring: (_ repository: String) async throws -> [String: Int] = { _ in [:] }
    ) async throws -> [String: String] {
        var checked: [String: String] = [:]
        for service in history.services {
            guard let tag = tags[service.service], let repository = service.repository else { continue }
            guard let current = try await image(repository, tag) else {
                // A tag that ran was pushed: gone since, its lifecycle policy expired it.
                guard service.records.contains(where: { $0.imageTag == tag }) else {
                    throw RollbackError.notInRepository(service: service.service, tag: tag, repository: repository)
                }
                throw RollbackError.expired(service: service.service, tag: tag, repository: repository)
            }
            if let image = ran[service.service], current.tagCanMove || image.isPinned, image.digest != current.digest {
                throw RollbackError.moved(service: service.service, tag: tag, ran: image.digest, now: current.digest)
            }
            if current.tagCanMove && ran[service.service] == nil {
                throw RollbackError.movableTagNeverRan(service: service.service, tag: tag, repository: repository)
            }
            if let rule = try await expiring(repository)[current.digest] {
                throw RollbackError.expiring(service: service.service, tag: tag, repository: repository, rule: rule)
            }
            checked[service.service] = current.digest
        }
        return checked
    }

    /// `--image-tag`'s arguments for the deploy: `SERVICE=TAG`, sorted.
    public var imageTagArguments: [String] { tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } }
}
