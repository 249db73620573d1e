import BerthAWS
import BerthModel

/// A repository stack of the app (phase 1) whose service the app no longer has: found by the
/// tags Berth gives its stacks and the name they give (`StackName.repository`). Berth never
/// deletes a repository, so it stays, with its images, until someone deletes it on purpose.
public struct RepositoryLeftBehind: Sendable, Hashable {
    public let stack: String
    public let region: String
    /// The service it holds the repository of (its `berth:service` tag).
    public let service: String
    /// The repository's name, as the stack's `RepositoryName` output says it; `nil` when it does not.
    public let repository: String?

    /// `shop-mailer-ecr (eu-west-1) holds repository shop/mailer of service mailer, which the app no longer has: …`
    public var summary: String {
        "\(stack) (\(region)) holds \(repository.map { "repository \($0)" } ?? "the repository") of service \(service), which the app no longer has: "
            + "it stays, with its images, as Berth deletes no repository; delete the stack and the repository yourself once the images are not needed"
    }

    /// The plan's app's repository stacks that the plan does not have, in the regions its
    /// repository stacks are in, sorted by name; none when the plan has no repository stack.
    /// One being deleted is not one.
    public static func look(in plan: DeployPlan, clients: @Sendable (ClientTarget) throws -> AppDeployer.Clients) async throws -> [RepositoryLeftBehind] {
        var regions: [(region: String, app: String, target: ClientTarget)] = []
        for stack in plan.stacks where stack.phase == .ecr {
            guard let app = stack.appName, !regions.contains(where: { $0.region == stack.region }) else { continue }
            regions.append((stack.region, app, stack.target))
        }
        var found: [RepositoryLeftBehind] = []
        for region in regions {
            for try await description in try clients(region.target).cloudFormation.describeStacks() where plan.app[description.name] == nil {
                let tags = description.tags
                guard tags[StackTags.appKey] == region.app, tags[StackTags.phaseKey] == Phase.ecr.name, let service = tags[StackTags.serviceKey],
                    description.name == StackName.repository(service, app: region.app),
                    description.status != .deleteComplete, description.status != .deleteInProgress
                else { continue }
                found.append(
                    RepositoryLeftBehind(
                        stack: description.name, region: region.region, service: service, repository: description.outputs[OutputName.repositoryName]))
            }
        }
        return found.sorted { $0.stack < $1.stack }
    }
}
