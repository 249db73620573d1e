import BerthModel
import BerthTemplate

/// An ECR repository for one service's images: immutable tags, scan on push, a lifecycle
/// policy, and retained when it leaves the stack or is replaced, so no image is ever lost by a
/// stack change.
public struct ImageRepository: Sendable {
    /// Whether a tag, once pushed, can be moved to another image.
    public enum TagMutability: String, Sendable, Hashable {
        case immutable = "IMMUTABLE"
        case mutable = "MUTABLE"
    }

    public var logicalID = "Repository"
    /// The repository name, such as `shop/api`.
    public var name: String
    public var tagMutability: TagMutability = .immutable
    public var scanOnPush = true
    public var lifecyclePolicy: LifecyclePolicy
    /// A KMS key (ARN) the repository encrypts images with; ECR's AES-256 when `nil`. ECR sets it
    /// only when a repository is created: the deploy refuses to replace an existing one for it.
    public var kmsKeyArn: String?

    public init(name: String, lifecyclePolicy: LifecyclePolicy) {
        self.name = name
        self.lifecyclePolicy = lifecyclePolicy
    }

    /// Adds the repository and its outputs to `stack`, and reports what is invalid.
    public func add(to stack: inout Stack) {
        if let problem = Self.nameProblem(name) {
            stack.report("Resources.\(logicalID).Properties.RepositoryName", problem)
        }
        for problem in lifecyclePolicy.validate() {
            stack.report(problem.location, problem.message)
        }
        let repository = stack.template.add(
            logicalID,
            ECR.Repository(
                encryptionConfiguration: kmsKeyArn.map { .init(encryptionType: "KMS", kmsKey: .literal($0)) },
                imageScanningConfiguration: .init(scanOnPush: .literal(scanOnPush)),
                imageTagMutability: .literal(tagMutability.rawValue),
                lifecyclePolicy: .init(lifecyclePolicyText: .literal(lifecyclePolicy.policyText)),
                repositoryName: .literal(name)),
            deletionPolicy: .retain, updateReplacePolicy: .retain,
            metadata: AcceptedFinding.metadata(
                kmsKeyArn == nil
                    ? [
                        .init(
                            checkID: "CKV_AWS_136",
                            reason: "ECR encrypts images at rest (AES-256); repositoryKmsKeyArn chooses a KMS key before the repositories are created")
                    ] : []))
        stack.template.addOutput(
            OutputName.repositoryName, Output(repository.ref, description: "The name of the image repository"))
        stack.template.addOutput(
            OutputName.repositoryArn, Output(repository.getAtt("Arn"), description: "The ARN of the image repository"))
        stack.template.addOutput(
            OutputName.repositoryUri,
            Output(repository.getAtt("RepositoryUri"), description: "The URI that images are pushed to and pulled from"))
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
