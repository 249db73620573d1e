import BerthAWS
import Foundation

/// What the app's repositories hold, which environment runs which image, and what each
/// repository's lifecycle policy will expire: the images action.
public struct RepositoryInventory: Sendable {
    let plan: DeployPlan
    let clients: @Sendable (ClientTarget) throws -> AppDeployer.Clients
    let now: @Sendable () -> Date

    /// `plan` selects the repository stacks to list; every service stack of the app that runs
    /// their images is read for "runs in".
    public init(
        plan: DeployPlan, clients: @escaping @Sendable (ClientTarget) throws -> AppDeployer.Clients,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.plan = plan
        self.clients = clients
        self.now = now
    }

    /// The repository stacks selected, with the repository each holds.
    public var repositories: [(stack: PlannedStack, repository: PlannedStack.HeldRepository)] {
        plan.stacks.compactMap { stack in stack.heldRepository.map { (stack, $0) } }
    }

    /// One listing per repository, in the plan's order.
    public func listings() async throws -> [RepositoryListing] {
        var listings: [RepositoryListing] = []
        var running: RunningImages?
        for (stack, repository) in repositories {
            let clients = try clients(stack.target)
            let images: [ECRClient.Image]
            let deployedPolicy: String?
            do {
                images = try await clients.ecr.checkedImages(of: repository.name)
                deployedPolicy = try await clients.ecr.getLifecyclePolicy(repository: repository.name)
            } catch let error as AWSServiceError where error.code == "RepositoryNotFoundException" {
                throw InventoryError.repositoryMissing(repository: repository.name, region: clients.ecr.region, stack: stack.name)
            }
            // ECR's own policy when it has one; else the one the repository stack will set.
            let templatePolicy = repository.lifecyclePolicyText
            if running == nil {
                running = try await RunningImages.read(of: Set(repositories.map(\.repository.name)), in: plan, clients: self.clients)
            }
            let serviceStacks = plan.app.values.filter { $0.phase == .ecs && $0.service != nil && $0.imageRepository == repository.name }
            listings.append(
                try RepositoryListing(
                    repository: repository.name, images: images, policyText: deployedPolicy ?? templatePolicy,
                    policySource: deployedPolicy != nil ? .deployed : templatePolicy != nil ? .template : .none,
                    running: running?.of(repository.name) ?? [],
                    now: now(), referrers: serviceStacks.contains { $0.signatures != nil }
                        ? try await signatureReferrers(of: images, in: repository.name, ecr: clients.ecr) : [:]))
        }
        return listings
    }

    /// The signature referrers (cosign's OCI 1.1 forms) of each tagged image that has no `.sig`
    /// tag, by the image's digest: one ListImageReferrers per such image, so only for
    /// repositories whose services require signatures.
    private func signatureReferrers(of images: [ECRClient.Image], in repository: String, ecr: ECRClient) async throws -> [String: [String]] {
        let tags = images.flatMap { $0.imageTags ?? [] }
        let signedByTag = Set(tags.compactMap(RepositoryListing.signedDigest))
        var found: [String: [String]] = [:]
        for image in images where !(image.imageTags ?? []).isEmpty && !signedByTag.contains(image.imageDigest) {
            // A signature image itself (its tag is sha256-<hex>.sig) has no signature of its own to look for.
            guard !(image.imageTags ?? []).contains(where: { RepositoryListing.signedDigest($0) != nil }) else { continue }
            let referrers = try await ecr.listImageReferrers(
                repository: repository, digest: image.imageDigest, artifactTypes: ReferrerManifest.signatureArtifactTypes
            ).collect()
            let signatures = referrers.filter { $0.artifactType.map(ReferrerManifest.signatureArtifactTypes.contains) ?? false }.map(\.digest)
            if !signatures.isEmpty { found[image.imageDigest] = signatures }
        }
        return found
    }
}
