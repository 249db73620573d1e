import BerthModel
import BerthTemplate

/// An ECR repository for one service's images: immutable tags (with the exceptions
/// `mutableTags` names), scan on push, a lifecycle policy, and retained when it leaves the stack or is replaced, so no image is ever lost by a
/// stack change.
public struct ImageRepository: Sendable {
    /// Whether a tag, once pushed, can be moved to another image.
    public enum TagMutability: String, Sendable, Hashable {
        case immutable = "IMMUTABLE"
        case mutable = "MUTABLE"
    }

    /// The repository's logical ID in its stack.
    public var logicalID = "Repository"
    /// The repository name, such as `shop/api`.
    public var name: String
    public var tagMutability: TagMutability = .immutable
    /// Tags that stay mutable in an immutable repository, such as `latest` or `*-latest` (`*`
    /// stands for any characters): ECR's `IMMUTABLE_WITH_EXCLUSION` with these as its filters.
    /// Every other tag stays immutable. Empty: no exception.
    public var mutableTags: [String] = []
    /// Whether ECR scans each image for vulnerabilities as it is pushed.
    public var scanOnPush = true
    public var lifecyclePolicy: LifecyclePolicy
    /// A KMS key (ARN) the repository encrypts images with; ECR's AES-256 when `nil`. ECR sets it
    /// only when a repository is created: the deploy refuses to replace an existing one for it.
    public var kmsKeyArn: String?
    /// Accounts whose environments pull the repository's images (`account:`, or the account of
    /// `roleArn:`, of an environment outside the repositories' account): the repository policy grants each exactly what a task
    /// execution role needs to pull. No policy when empty.
    public var pullAccounts: [String] = []
    /// The AWS partition the repository is in (`aws`, `aws-cn`, `aws-us-gov`), for the pull
    /// policy's principals.
    public var partition = "aws"

    /// What pulling an image takes of a repository; `ecr:GetAuthorizationToken` is not a
    /// repository action, and the execution role's own policy grants it.
    public static let pullActions = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]

    public init(name: String, lifecyclePolicy: LifecyclePolicy) {
        self.name = name
        self.lifecyclePolicy = lifecyclePolicy
    }

    /// Adds the repository and its outputs to `stack`, and reports what is invalid.
    public func add(to stack: inout Stack) {
        if let problem = Self.nameProblem(name) {
            stack.report("Resources.\(logicalID).Properties.RepositoryName", problem)
        }
        for problem in Self.mutableTagsProblems(mutableTags) {
            stack.report("Resources.\(logicalID).Properties.ImageTagMutabilityExclusionFilters", problem)
        }
        // A filter of `*` alone matches every tag: nothing stays immutable, and the image gate
        // refuses every tag unless mutable ones are allowed. Said once, with the repository.
        if let filter = mutableTags.first(where: { !$0.isEmpty && $0.allSatisfy { $0 == "*" } }) {
            stack.warn(
                "mutableTags",
                "\"\(filter)\" matches every tag: no tag of repository \(name) stays immutable, and the image gate refuses every tag unless "
                    + "mutable ones are allowed (then pins each by digest); list the tags that move (latest, \"*-latest\")")
        }
        if !mutableTags.isEmpty && tagMutability == .mutable {
            stack.report(
                "Resources.\(logicalID).Properties.ImageTagMutabilityExclusionFilters",
                "mutableTags are the exceptions of an immutable repository; in a mutable one every tag moves already")
        }
        let policyText = lifecyclePolicy.policyText
        for problem in lifecyclePolicy.validate(policyText: policyText) {
            stack.report(problem.location, problem.message)
        }
        let repository = stack.template.add(
            logicalID,
            ECR.Repository(
                encryptionConfiguration: kmsKeyArn.map { .init(encryptionType: "KMS", kmsKey: .literal($0)) },
                imageScanningConfiguration: .init(scanOnPush: .literal(scanOnPush)),
                imageTagMutability: .literal(mutableTags.isEmpty ? tagMutability.rawValue : "\(tagMutability.rawValue)_WITH_EXCLUSION"),
                imageTagMutabilityExclusionFilters: mutableTags.isEmpty
                    ? nil
                    : .items(
                        mutableTags.map {
                            .init(imageTagMutabilityExclusionFilterType: .literal("WILDCARD"), imageTagMutabilityExclusionFilterValue: .literal($0))
                        }),
                lifecyclePolicy: .init(lifecyclePolicyText: .literal(policyText)),
                repositoryName: .literal(name), repositoryPolicyText: pullPolicy),
            deletionPolicy: .retain, updateReplacePolicy: .retain,
            metadata: SuppressedControl.metadata(checkov: acceptedFindings, controls: suppressedControls))
        stack.template.addOutput(
            OutputName.repositoryName, Output(repository.ref, description: "The name of the image repository"))
        stack.template.addOutput(
            OutputName.repositoryArn, Output(repository.getAtt("Arn"), description: "The ARN of the image repository"))
        stack.template.addOutput(
            OutputName.repositoryUri,
            Output(repository.getAtt("RepositoryUri"), description: "The URI that images are pushed to and pulled from"))
    }

    /// The repository policy that lets `pullAccounts` pull, or `nil` when there are none.
    var pullPolicy: JSONValue? {
        guard !pullAccounts.isEmpty else { return nil }
        let principals = Set(pullAccounts).sorted().map { JSONValue.string("arn:\(partition):iam::\($0):root") }
        return [
            "Version": "2012-10-17",
            "Statement": [
                [
                    "Sid": "PullFromEnvironmentAccounts",
                    "Effect": "Allow",
                    "Principal": ["AWS": .array(principals)],
                    "Action": .array(Self.pullActions.map { .string($0) }),
                ]
            ],
        ]
    }

    /// The checkov findings the repository keeps on purpose, each with its reason.
    private var acceptedFindings: [AcceptedFinding] {
        var findings: [AcceptedFinding] = []
        if kmsKeyArn == nil {
            findings.append(
                .init(
                    checkID: "CKV_AWS_136",
                    reason: "ECR encrypts images at rest (AES-256); repositoryKmsKeyArn chooses a KMS key before the repositories are created"))
        }
        if !mutableTags.isEmpty && tagMutability == .immutable {
            findings.append(
                .init(
                    checkID: "CKV_AWS_51",
                    reason: "only the tags mutableTags names (\(mutableTags.joined(separator: ", "))) move, on purpose; every other tag is immutable, and the image gate refuses a moving tag unless --allow-mutable-tag, then pins its digest"))
        }
        return findings
    }

    /// The controls the repository does not meet, with the key that makes it meet them.
    private var suppressedControls: [SuppressedControl] {
        guard tagMutability == .mutable || !mutableTags.isEmpty else { return [] }
        return [
            .init(
                control: .repositoryTagImmutability,
                reason: tagMutability == .mutable
                    ? "Every tag of the repository may move"
                    : "The tags mutableTags names (\(mutableTags.joined(separator: ", "))) may move",
                key: "mutableTags",
                fix: tagMutability == .mutable
                    ? "make the repository's tags immutable (ImageRepository.tagMutability)"
                    : "name no tag in mutableTags (a signed app's repository keeps \(SignatureRequirement.signatureTagFilter), which re-signing rewrites)")
        ]
    }

    /// The most exclusion filters ECR takes for a repository.
    public static let maximumMutableTags = 5

    /// What ECR would refuse in `mutableTags` as exclusion filters: at most five, each 1 to 128
    /// letters, digits, `.`, `_`, `-` and `*` wildcards, none twice. Empty when they are valid.
    public static func mutableTagsProblems(_ mutableTags: [String]) -> [String] {
        var problems: [String] = []
        if mutableTags.count > maximumMutableTags {
            problems.append("lists \(mutableTags.count) tags; ECR takes at most \(maximumMutableTags) (a * wildcard can cover several, such as *-latest)")
        }
        var seen: Set<String> = []
        for tag in mutableTags {
            let valid = (1...128).contains(tag.utf8.count)
                && tag.utf8.allSatisfy { byte in
                    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                        || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                        || [UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "*")].contains(byte)
                }
            if !valid {
                problems.append("\"\(tag)\" is not a tag filter: 1 to 128 letters, digits, . _ - and * (any characters), such as latest or *-latest")
            } else if !seen.insert(tag).inserted {
                problems.append("\(tag) is listed twice")
            }
        }
        return problems
    }

    /// Why `name` is not a valid ECR repository name, or `nil` when it is: 2 to 256 characters,
    /// lowercase letters and digits in components separated by `.`, `_`, `-` or `/`.
    public static func nameProblem(_ name: String) -> String? {
        let expectation = "a repository name is 2 to 256 lowercase letters and digits, separated by single . _ - or / (e.g. shop/api)"
        guard (2...256).contains(name.utf8.count) else { return "\"\(name)\" is not valid: \(expectation)" }
        for component in name.split(separator: "/", omittingEmptySubsequences: false) {
            var previousWasSeparator = true
            for byte in component.utf8 {
                let isAlphanumeric = (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                let isSeparator = byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                guard isAlphanumeric || (isSeparator && !previousWasSeparator) else {
                    return "\"\(name)\" is not valid: \(expectation)"
                }
                previousWasSeparator = isSeparator
            }
            if previousWasSeparator { return "\"\(name)\" is not valid: \(expectation)" }
        }
        return nil
    }
}

extension ImageRepository {
    /// The partition of `region`: `aws-cn` for China's regions, `aws-us-gov` for GovCloud,
    /// `aws` for the rest (Berth's region rule admits no other).
    public static func partition(ofRegion region: String) -> String {
        if region.hasPrefix("cn-") { return "aws-cn" }
        if region.hasPrefix("us-gov-") { return "aws-us-gov" }
        return "aws"
    }
}
