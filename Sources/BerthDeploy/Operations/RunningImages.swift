import BerthAWS
import BerthModel

/// Which image of a repository each environment runs: the tag and digest its deployed service
/// stacks of the app were deployed with (another app's stack of the same name runs nothing of
/// the repository's).
enum RunningImages {
    static func read(
        of repository: String, in plan: DeployPlan, clients: @Sendable (ClientTarget) throws -> AppDeployer.Clients
    ) async throws -> [(environment: String, tag: String?, digest: String?)] {
        var running: [(environment: String, tag: String?, digest: String?)] = []
        let serviceStacks = plan.app.values.filter { $0.phase == .ecs && $0.service != nil && $0.imageRepository == repository }
            .sorted { $0.name < $1.name }
        for service in serviceStacks {
            guard let environment = service.environment,
                let deployed = try await clients(service.target).cloudFormation.describeStack(service.name),
                deployed.status.holdsDeployment, StackOwnership.foreign(deployed, tags: service.tags) == nil
            else { continue }
            running.append(
                (environment, service.deployedValue(of: .imageGate(.tag), in: deployed.parameters),
                 service.deployedValue(of: .imageGate(.digest), in: deployed.parameters)))
        }
        return running + (try await unnamedEnvironments(running: serviceStacks, clients: clients))
    }

    /// The images run by the app's environments the files do not name, where the named ones
    /// run: previews (`pr-51`, made from a template only for the command that names it) and
    /// environments whose file is gone. Their service stacks are found by their tags, named
    /// as the tags say and not nested, and read with the parameter names of the same
    /// service's stack in a named environment.
    private static func unnamedEnvironments(
        running serviceStacks: [PlannedStack], clients: @Sendable (ClientTarget) throws -> AppDeployer.Clients
    ) async throws -> [(environment: String, tag: String?, digest: String?)] {
        guard let app = serviceStacks.first?.appName else { return [] }
        let named = Set(serviceStacks.map(\.name))
        var looked = Set<ClientTarget>()
        var found: [(name: String, environment: String, tag: String?, digest: String?)] = []
        for stack in serviceStacks where looked.insert(stack.target).inserted {
            for try await description in try clients(stack.target).cloudFormation.describeStacks() where !named.contains(description.name) {
                let tags = description.tags
                guard tags[StackTags.appKey] == app, tags[StackTags.phaseKey] == Phase.ecs.name,
                    let environment = tags[StackTags.environmentKey], let service = tags[StackTags.serviceKey],
                    let sibling = serviceStacks.first(where: { $0.service == service }),
                    description.parentID == nil, description.status.holdsDeployment,
                    LeftBehindStacks.isNamedByItsTags(description, app: app, environment: environment),
                    !found.contains(where: { $0.name == description.name })
                else { continue }
                found.append(
                    (description.name, environment, sibling.deployedValue(of: .imageGate(.tag), in: description.parameters),
                     sibling.deployedValue(of: .imageGate(.digest), in: description.parameters)))
            }
        }
        return found.sorted { $0.name < $1.name }.map { ($0.environment, $0.tag, $0.digest) }
    }
}
