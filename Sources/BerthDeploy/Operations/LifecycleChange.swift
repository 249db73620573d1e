import BerthAWS
import BerthDiff
import BerthTemplate
import Foundation
import BerthModel

/// What a phase-1 deploy's new lifecycle policy for a repository its stack already holds would
/// expire that the current policy keeps, or keeps for longer: removing an environment, a
/// service from one, or lowering `keepImages` hands those images to another rule's count, and
/// ECR expires them within a day. A deploy lists them and goes on only when they are agreed to
/// by their number.
public struct LifecycleChange: Sendable, Hashable {
    public let stack: String
    public let repository: String
    /// The images the new policy expires sooner than the current one does (or at all), with the
    /// rule of the new policy that would, in the order ECR lists them.
    public internal(set) var expiring: [Expiring]
    /// Why what the new policy would expire cannot be worked out; the deploy is refused then.
    public let problem: String?

    /// One image the change would expire.
    public struct Expiring: Sendable, Hashable {
        public let image: ECRClient.Image
        public let rule: LifecycleRule
        /// The environments that run the image now (by its digest, else its tag): new tasks
        /// there could not pull it once it expires.
        public internal(set) var runsIn: [String] = []
    }

    /// The change `stack` (a phase-1 stack) makes to the lifecycle policy of the repository it
    /// holds: `nil` when it holds none yet (a new repository, or one to adopt), when the stack is
    /// another's (the deploy refuses it), when the update leaves the repository alone (its
    /// template declares the repository's properties as deployed, and the stack's tags are the same: the
    /// repository's policy stays as it is, a hand edit included, unless `revertingDrift`), or when
    /// the new policy expires nothing sooner than ECR's current one. Any update of the repository
    /// puts the template's policy back (AWS's ECR resource provider sets it whenever the template
    /// has one), so a hand edit counts then, even when the template's policy is unchanged.
    public static func inspect(
        _ stack: PlannedStack, ecr: ECRClient, cloudFormation: CloudFormationClient, revertingDrift: Bool = false, now: Date = Date()
    ) async throws -> LifecycleChange? {
        guard stack.phase == .ecr, let held = stack.heldRepository, let wanted = held.lifecyclePolicyText,
            let deployed = try await cloudFormation.describeStack(stack.name), deployed.status.holdsDeployment,
            StackOwnership.foreign(deployed, tags: stack.tags) == nil
        else { return nil }
        // The repository's properties as CloudFormation compares them (key order aside): what
        // else the resource holds (Metadata, DeletionPolicy) reaches no ECR call.
        if !revertingDrift,
            let deployedProperties = Self.repositoryResource(try await cloudFormation.getTemplate(stackName: stack.name))?["Properties"],
            let plannedProperties = Self.repositoryResource(stack.template)?["Properties"], deployedProperties.means(plannedProperties),
            deployed.tags == Dictionary(stack.tags.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
        {
            return nil
        }
        let current: String?
        let images: [ECRClient.Image]
        do {
            current = try await ecr.getLifecyclePolicy(repository: held.name)
            if let current, RepositoryAdoption.normalized(current) == RepositoryAdoption.normalized(wanted) { return nil }
            images = try await ecr.checkedImages(of: held.name)
        } catch let error as AWSServiceError where error.code == "RepositoryNotFoundException" {
            return nil
        }
        let newly: [String: (rule: LifecycleRule, date: Date)]
        do {
            newly = try LifecyclePreview(policyText: wanted).expiryDates(of: images, now: now)
        } catch {
            return LifecycleChange(
                stack: stack.name, repository: held.name, expiring: [],
                problem: "the images the new lifecycle policy would expire cannot be worked out: \(error)")
        }
        // A current policy that cannot be read is taken to expire nothing: every image the new
        // one expires is listed. An image both expire is listed when the new one does it sooner
        // (a count where there was an age: tomorrow instead of in 90 days).
        let before = current.flatMap { try? LifecyclePreview(policyText: $0).expiryDates(of: images, now: now) } ?? [:]
        let expiring = images.compactMap { image -> Expiring? in
            guard let after = newly[image.imageDigest] else { return nil }
            if let earlier = before[image.imageDigest], earlier.date <= after.date { return nil }
            return Expiring(image: image, rule: after.rule)
        }
        guard !expiring.isEmpty else { return nil }
        return LifecycleChange(stack: stack.name, repository: held.name, expiring: expiring, problem: nil)
    }

    /// The repository resource a template (JSON, or YAML as GetTemplate may answer for a stack
    /// another tool made) declares, if it reads and declares one.
    static func repositoryResource(_ templateBody: String) -> JSONValue? {
        (try? JSONValue.parseTemplate(templateBody, file: "template")).flatMap(repositoryResource)
    }

    static func repositoryResource(_ template: JSONValue) -> JSONValue? {
        template["Resources"]?.members?.first { $0.value["Type"]?.stringValue == "AWS::ECR::Repository" }?.value
    }
}
