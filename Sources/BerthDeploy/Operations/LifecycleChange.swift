import BerthAWS
import BerthModel

/// What a phase-1 deploy's new lifecycle policy for a repository its stack already holds would
/// expire that the current policy keeps: removing an environment, a service from one, or
/// lowering `keepImages` hands those images to another rule's count, and ECR expires them
/// within a day. A deploy lists them and goes on only when they are agreed to by their number.
public struct LifecycleChange: Sendable, Hashable {
    public let stack: String
    public let repository: String
    /// The images the new policy expires, sooner or later, and the current one does not, with
    /// the rule of the new policy that would, in the order ECR lists them.
    public let expiring: [Expiring]
    /// Why what the new policy would expire cannot be worked out; the deploy is refused then.
    public let problem: String?

    /// One image the change would expire.
    public struct Expiring: Sendable, Hashable {
        public let image: ECRClient.Image
        public let rule: LifecycleRule
    }

    /// The change `stack` (a phase-1 stack) makes to the lifecycle policy of the repository it
    /// holds: `nil` when it holds none yet (a new repository, or one to adopt), when the policy
    /// stays as it is, or when the new one expires nothing the current one keeps.
    public static func inspect(_ stack: PlannedStack, ecr: ECRClient, cloudFormation: CloudFormationClient) async throws -> LifecycleChange? {
        guard stack.phase == .ecr, let held = stack.heldRepository, let wanted = held.lifecyclePolicyText,
            let deployed = try await cloudFormation.describeStack(stack.name), deployed.status.holdsDeployment
        else { return nil }
        let current: String?
        let images: [ECRClient.Image]
        do {
            current = try await ecr.getLifecyclePolicy(repository: held.name)
            if let current, RepositoryAdoption.normalized(current) == RepositoryAdoption.normalized(wanted) { return nil }
            images = try await ecr.describeImages(repository: held.name).collect()
        } catch let error as AWSServiceError where error.code == "RepositoryNotFoundException" {
            return nil
        }
        let newly: [String: LifecycleRule]
        do {
            newly = try LifecyclePreview(policyText: wanted).eventualExpirations(of: images)
        } catch {
            return LifecycleChange(
                stack: stack.name, repository: held.name, expiring: [],
                problem: "the images the new lifecycle policy would expire cannot be worked out: \(error)")
        }
        // A current policy that cannot be read is taken to expire nothing: every image the new
        // one expires is listed.
        let before = current.flatMap { try? LifecyclePreview(policyText: $0).eventualExpirations(of: images) } ?? [:]
        let expiring = images.compactMap { image in
            newly[image.imageDigest].flatMap { rule in before[image.imageDigest] == nil ? Expiring(image: image, rule: rule) : nil }
        }
        guard !expiring.isEmpty else { return nil }
        return LifecycleChange(stack: stack.name, repository: held.name, expiring: expiring, problem: nil)
    }
}
