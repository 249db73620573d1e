import BerthAWS

/// Keeps what a phase-1 template does not declare of its repository (its own tags, and a
/// repository policy when the template declares none: set outside Berth, or kept with
/// `deploy --adopt --keep-repository-policy`) across every update of the stack.
///
/// CloudFormation's update of an `AWS::ECR::Repository` removes a policy and the tags its
/// template and stack do not declare (AWS's ECR resource provider, `UpdateHandler`). So before
/// a change set that modifies the repository runs, the keeper reads them, and once the stack
/// settles puts back what is gone. Berth's own tags (`berth:`) and AWS's (`aws:`) are the stack's
/// to set, and are left as the update leaves them. A change set that leaves the repository alone
/// costs no call.
public struct RepositoryKeeper: Sendable {
    let ecr: ECRClient
    /// The repository's name.
    public let repository: String
    /// Whether its policy is kept: the template declares none.
    public let keepsPolicy: Bool

    /// A keeper of `repository`, read and put back with `ecr` (the repositories' side).
    public init(ecr: ECRClient, repository: String, keepsPolicy: Bool) {
        self.ecr = ecr
        self.repository = repository
        self.keepsPolicy = keepsPolicy
    }

    /// What the repository had before an update: the tags it may lose and its policy.
    public struct Kept: Sendable, Equatable {
        /// The repository's ARN.
        public let arn: String
        /// The repository's own tags (not `berth:` nor `aws:`), by key.
        public let tags: [String: String]
        /// Its policy, when the template declares none.
        public let policy: String?
    }

    /// What was put back after an update.
    public struct Restored: Sendable, Equatable {
        public var tags: [String] = []
        public var policy = false
    }

    /// What to put back after `changes` run: `nil` when no change modifies the repository
    /// (without a call) or it has nothing the update could remove.
    func kept(before changes: [ResourceChange]) async throws -> Kept? {
        guard changes.contains(where: { $0.resourceType == "AWS::ECR::Repository" && $0.action == "Modify" }),
            let arn = try await ecr.describeRepositories(names: [repository]).collect().first?.repositoryArn
        else { return nil }
        let tags = try await ecr.listTags(resourceArn: arn).filter { !Self.isStacks($0.key) }
        let policy = keepsPolicy ? try await ecr.getRepositoryPolicy(repository: repository) : nil
        guard !tags.isEmpty || policy != nil else { return nil }
        return Kept(arn: arn, tags: tags, policy: policy)
    }

    /// Puts back each of `kept`'s tags whose key the repository no longer has, and its policy
    /// when it has none now; what it put back.
    func restore(_ kept: Kept) async throws -> Restored {
        var restored = Restored()
        if !kept.tags.isEmpty {
            let now = try await ecr.listTags(resourceArn: kept.arn)
            let lost = kept.tags.filter { now[$0.key] == nil }.sorted { $0.key < $1.key }
            if !lost.isEmpty {
                try await ecr.tagResource(resourceArn: kept.arn, tags: lost.map { ($0.key, $0.value) })
                restored.tags = lost.map(\.key)
            }
        }
        if let policy = kept.policy, try await ecr.getRepositoryPolicy(repository: repository) == nil {
            try await ecr.setRepositoryPolicy(repository: repository, policyText: policy)
            restored.policy = true
        }
        return restored
    }

    /// Whether a tag is the stack's or AWS's to set, not the repository's own.
    static func isStacks(_ key: String) -> Bool {
        key.hasPrefix("berth:") || key.hasPrefix("aws:")
    }
}
