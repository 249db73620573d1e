import BerthAWS

/// Keeps a repository policy that a phase-1 template does not declare (one set outside Berth,
/// or kept with `deploy --adopt --keep-repository-policy`) across every update of the stack.
///
/// CloudFormation's update of an `AWS::ECR::Repository` removes a repository policy its template
/// does not declare. So before a change set that modifies the repository runs, the keeper reads
/// the policy, and once the stack settles, puts it back if it is gone. A change set that leaves
/// the repository alone costs no call.
public struct RepositoryPolicyKeeper: Sendable {
    let ecr: ECRClient
    /// The repository's name.
    public let repository: String

    /// A keeper of `repository`'s policy, read and put back with `ecr` (the repositories' side).
    public init(ecr: ECRClient, repository: String) {
        self.ecr = ecr
        self.repository = repository
    }

    /// The policy to put back after `changes` run: the repository's policy when a change
    /// modifies the repository, `nil` when none does (without a call) or it has no policy.
    func policy(before changes: [ResourceChange]) async throws -> String? {
        guard changes.contains(where: { $0.resourceType == "AWS::ECR::Repository" && $0.action == "Modify" }) else { return nil }
        return try await ecr.getRepositoryPolicy(repository: repository)
    }

    /// Puts `policy` back when the repository has none now; whether it did.
    func restore(_ policy: String) async throws -> Bool {
        guard try await ecr.getRepositoryPolicy(repository: repository) == nil else { return false }
        try await ecr.setRepositoryPolicy(repository: repository, policyText: policy)
        return true
    }
}
