import BerthAWS
import BerthTemplate

/// Keeps what a phase-1 stack's templates do not declare of its repository (its own tags, and
/// a repository policy set outside Berth, or kept when its repository was adopted)
/// across every update of the stack.
///
/// CloudFormation's update of an `AWS::ECR::Repository` removes a policy and the tags its
/// template and stack do not declare (AWS's ECR resource provider, `UpdateHandler`). So before
/// a change set that modifies the repository runs, the keeper reads them, and once the stack
/// settles puts back what is gone. What Berth itself declared in the deployed template (its pull
/// policy, a tag an override set) is Berth's to remove, and is not kept; nor are Berth's own tags
/// (`berth:`) and AWS's (`aws:`). A change set that leaves the repository alone costs no call.
public struct RepositoryKeeper: Sendable {
    let ecr: ECRClient
    /// The repository's name.
    public let repository: String
    /// The repository's region.
    public var region: String { ecr.region }
    /// The template being deployed: what it declares is not kept, it is set.
    let template: JSONValue

    /// A keeper of `repository`, read and put back with `ecr` (the repositories' side), for an
    /// update to `template`.
    public init(ecr: ECRClient, repository: String, template: JSONValue) {
        self.ecr = ecr
        self.repository = repository
        self.template = template
    }

    /// What the repository had before an update that neither template declares.
    public struct Kept: Sendable, Equatable {
        /// The repository's ARN.
        public let arn: String
        /// The region of the repository, for the commands.
        public var region: String
        /// Its own tags, by key.
        public var tags: [String: String]
        /// Its policy.
        public var policy: String?

        /// The repository's name: the end of its ARN.
        public var repository: String { arn.split(separator: "/", maxSplits: 1).last.map(String.init) ?? arn }

        /// The `aws ecr` commands that set these again.
        public var commands: [String] {
            func quoted(_ text: String) -> String { "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'" }
            var commands: [String] = []
            if !tags.isEmpty {
                let pairs = tags.sorted { $0.key < $1.key }.map { quoted("Key=\($0.key),Value=\($0.value)") }
                commands.append("aws ecr tag-resource --region \(region) --resource-arn \(arn) --tags " + pairs.joined(separator: " "))
            }
            if let policy {
                let account = arn.split(separator: ":").dropFirst(4).first.map { " --registry-id \($0)" } ?? ""
                commands.append(
                    "aws ecr set-repository-policy --region \(region)\(account) --repository-name \(repository) --policy-text \(quoted(RepositoryAdoption.oneLine(policy)))")
            }
            return commands
        }

        /// What it is: `tags` and/or `repository policy`.
        public var what: String { [tags.isEmpty ? nil : "tags", policy == nil ? nil : "repository policy"].compactMap { $0 }.joined(separator: " and ") }
    }

    /// What was put back after an update, and what could not be.
    public struct Restored: Sendable, Equatable {
        /// The keys of the tags put back.
        public var tags: [String] = []
        /// Whether the policy was put back.
        public var policy = false
        /// What could not be put back, and why.
        public var left: Kept?
        public var reason: String?
    }

    /// What to put back after `changes` run: `nil` when no change modifies the repository
    /// (without a call) or it has nothing the update could remove. `deployedTemplate` gives the
    /// stack's template before the update (read only when a change modifies the repository).
    func kept(before changes: [ResourceChange], deployedTemplate: () async throws -> String) async throws -> Kept? {
        guard changes.contains(where: { $0.resourceType == "AWS::ECR::Repository" && $0.action == "Modify" }),
            let arn = try await ecr.describeRepositories(names: [repository]).collect().first?.repositoryArn
        else { return nil }
        let deployedText = try await deployedTemplate()
        let deployed = Self.repositoryProperties(ofTemplate: deployedText)
        let wanted = RepositoryAdoption.repositoryProperties(template)
        let declaredTags = Set([deployed, wanted].flatMap { ($0?["Tags"]?.elements ?? []).compactMap { $0["Key"]?.stringValue } })
        let tags = try await ecr.listTags(resourceArn: arn).filter { !Self.isStacks($0.key) && !declaredTags.contains($0.key) }
        let declaresPolicy = [deployed, wanted].contains { $0?["RepositoryPolicyText"] != nil }
        if let replaced = try await policyReplaced(from: deployed, arn: { arn }) { throw replaced }
        let policy = declaresPolicy ? nil : try await ecr.getRepositoryPolicy(repository: repository)
        guard !tags.isEmpty || policy != nil else { return nil }
        return Kept(arn: arn, region: ecr.region, tags: tags, policy: policy)
    }

    /// Puts back each of `kept`'s tags whose key the repository no longer has, and its policy
    /// when it has none now: what it put back, and what it could not.
    func restore(_ kept: Kept) async -> Restored {
        var restored = Restored()
        var left = Kept(arn: kept.arn, region: kept.region, tags: [:], policy: nil)
        var reasons: [String] = []
        if !kept.tags.isEmpty {
            do {
                let now = try await ecr.listTags(resourceArn: kept.arn)
                let lost = kept.tags.filter { now[$0.key] == nil }.sorted { $0.key < $1.key }
                if !lost.isEmpty {
                    try await ecr.tagResource(resourceArn: kept.arn, tags: lost.map { ($0.key, $0.value) })
                    restored.tags = lost.map(\.key)
                }
            } catch {
                left.tags = kept.tags
                reasons.append("\(error)")
            }
        }
        if let policy = kept.policy {
            do {
                if try await ecr.getRepositoryPolicy(repository: repository) == nil {
                    try await ecr.setRepositoryPolicy(repository: repository, policyText: policy)
                    restored.policy = true
                }
            } catch {
                left.policy = policy
                reasons.append("\(error)")
            }
        }
        if !reasons.isEmpty {
            restored.left = left
            restored.reason = reasons.joined(separator: "; ")
        }
        return restored
    }

    /// Berth's pull policy, declared for the first time (the deployed repository properties,
    /// `deployed`, have none), would replace one the repository has, set by hand or kept at
    /// adoption: such an update is refused, as adopting it is, never dropped silently.
    /// `arn` gives the repository's ARN, asked for only when the templates' policies call for a look.
    func policyReplaced(from deployed: JSONValue?, arn: () async throws -> String?) async throws -> PolicyWouldBeReplaced? {
        guard deployed?["RepositoryPolicyText"] == nil, let declared = RepositoryAdoption.repositoryProperties(template)?["RepositoryPolicyText"],
            let arn = try await arn(), let current = try await ecr.getRepositoryPolicy(repository: repository),
            RepositoryAdoption.canonical(current) != RepositoryAdoption.canonical(declared)
        else { return nil }
        return PolicyWouldBeReplaced(policy: current, account: arn.split(separator: ":").dropFirst(4).first.map(String.init))
    }

    /// The repository's policy, which the update would replace with the one the template now
    /// declares.
    struct PolicyWouldBeReplaced: Error {
        let policy: String
        /// The repository's account, from its ARN.
        let account: String?

        /// The deploy's refusal of `stack`'s update, which holds `keeper`'s repository.
        func refusal(of stack: String, by keeper: RepositoryKeeper) -> DeployError {
            .repositoryPolicyReplaced(stack: stack, repository: keeper.repository, region: keeper.region, account: account, policy: policy)
        }
    }

    /// The repository properties of a deployed template's text, when it reads and declares a repository.
    static func repositoryProperties(ofTemplate text: String) -> JSONValue? {
        (try? JSONValue.parseTemplate(text, file: "deployed template")).flatMap(RepositoryAdoption.repositoryProperties)
    }

    /// Whether a tag is the stack's or AWS's to set, not the repository's own.
    static func isStacks(_ key: String) -> Bool {
        key.hasPrefix("berth:") || key.hasPrefix("aws:")
    }
}
