import BerthAWS
import BerthModel

/// A repository stack of the app (phase 1) that the plan has no repository for: its service is
/// no longer in the files, or now runs another service's image. Found by the tags Berth gives
/// its stacks and the name they give (`StackName.repository`). Berth never deletes a
/// repository, so it stays, with its images, until someone deletes it on purpose.
public struct RepositoryLeftBehind: Sendable, Hashable {
    public let stack: String
    public let region: String
    /// The service it holds the repository of (its `berth:service` tag).
    public let service: String
    /// The repository's name, as the stack's `RepositoryName` output says it; `nil` when it does not.
    public let repository: String?
    /// Whether the files still name the service, which now runs another service's image (a job
    /// with `image: {service: …}`).
    public let serviceRemains: Bool
    /// The phase-2 stacks of the service that the same listing still finds (an environment not
    /// deployed since, a preview), but those that now pull from another repository: their tasks
    /// still pull from this one. Environments in other accounts or regions are not listed here.
    public let stillRunBy: [String]

    /// `shop-mailer-ecr (eu-west-1) holds repository shop/mailer of service mailer, which the files no longer name; …`
    public var summary: String {
        let held = "\(stack) (\(region)) holds \(repository.map { "repository \($0)" } ?? "the repository") of service \(service), "
            + (serviceRemains ? "which now runs another service's image" : "which the files no longer name")
        guard stillRunBy.isEmpty else {
            return held + "; \(stillRunBy.joined(separator: ", ")) still \(stillRunBy.count == 1 ? "runs" : "run") its images: it stays, with them, as Berth deletes no repository"
        }
        return held + "; it stays, with its images, as Berth deletes no repository; delete the stack and the repository yourself "
            + "once no environment runs its images and they are not needed"
    }

    /// The app's repository stacks that the plan has none of, in the regions its repository
    /// stacks are in, sorted by name; none when the plan has no repository stack. One being
    /// deleted is not one.
    public static func look(in plan: DeployPlan, clients: @Sendable (ClientTarget) throws -> AppDeployer.Clients) async throws -> [RepositoryLeftBehind] {
        var regions: [(region: String, app: String, target: ClientTarget)] = []
        for stack in plan.stacks where stack.phase == .ecr {
            guard let app = stack.appName, !regions.contains(where: { $0.region == stack.region }) else { continue }
            regions.append((stack.region, app, stack.target))
        }
        let services = Set(plan.app.values.compactMap(\.service))
        var found: [RepositoryLeftBehind] = []
        for region in regions {
            let stacks = try await clients(region.target).cloudFormation.describeStacks().collect().filter { description in
                description.tags[StackTags.appKey] == region.app && description.status != .deleteComplete && description.status != .deleteInProgress
            }
            for description in stacks where plan.app[description.name] == nil {
                guard description.tags[StackTags.phaseKey] == Phase.ecr.name, let service = description.tags[StackTags.serviceKey],
                    description.name == StackName.repository(service, app: region.app)
                else { continue }
                let repository = description.outputs[OutputName.repositoryName]
                // A stack of the service that pulls from another repository now (a job redeployed on
                // another service's image) does not run these images.
                let running = stacks.filter { stack in
                    stack.tags[StackTags.phaseKey] == Phase.ecs.name && stack.tags[StackTags.serviceKey] == service
                        && stack.tags[StackTags.environmentKey].map { LeftBehindStacks.isNamedByItsTags(stack, app: region.app, environment: $0) } == true
                        && (repository == nil || stack.parameters[ParameterName.repositoryName].map { $0 == repository } ?? true)
                }
                found.append(
                    RepositoryLeftBehind(
                        stack: description.name, region: region.region, service: service, repository: repository,
                        serviceRemains: services.contains(service), stillRunBy: running.map(\.name).sorted()))
            }
        }
        return found.sorted { $0.stack < $1.stack }
    }
}
