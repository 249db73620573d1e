import BerthAWS
import BerthModel

/// Which image of each repository each environment runs: the tag and digest its deployed
/// service stacks of the app were deployed with (another app's stack of the same name runs
/// nothing of the repository's). Read once for all the repositories a command asks about:
/// each service stack is described once, and each account and region's stacks are listed once.
struct RunningImages {
    /// An environment that runs an image of the repository, by tag and digest as its stack says.
    typealias Running = (environment: String, tag: String?, digest: String?)

    private let byRepository: [String: [Running]]

    /// The environments that run an image of `repository`: the named ones in stack-name order,
    /// then the ones the files do not name.
    func of(_ repository: String) -> [Running] { byRepository[repository] ?? [] }

    static func read(
        of repositories: Set<String>, in plan: DeployPlan, clients: @Sendable (ClientTarget) throws -> AppDeployer.Clients
    ) async throws -> RunningImages {
        var byRepository: [String: [Running]] = [:]
        let serviceStacks = plan.app.values
            .filter { $0.phase == .ecs && $0.service != nil && $0.imageRepository.map(repositories.contains) == true }
            .sorted { $0.name < $1.name }
        for service in serviceStacks {
            guard let repository = service.imageRepository, let environment = service.environment,
                let deployed = try await clients(service.target).cloudFormation.describeStack(service.name),
                deployed.status.holdsDeployment, StackOwnership.foreign(deployed, tags: service.tags) == nil
            else { continue }
            byRepository[repository, default: []].append(
                (environment, service.deployedValue(of: .imageGate(.tag), in: deployed.parameters),
                 service.deployedValue(of: .imageGate(.digest), in: deployed.parameters)))
        }
        for (repository, running) in try await unnamedEnvironments(running: serviceStacks, clients: clients) {
            byRepository[repository, default: []].append(contentsOf: running)
        }
        return RunningImages(byRepository: byRepository)
    }

    /// The images run by the app's environments the files do not name, where the named ones
    /// run, by repository: previews (`pr-51`, made from a template only for the command that
    /// names it) and environments whose file is gone. Their service stacks are found by their
    /// tags, named as the tags say and not nested, and read with the parameter names of the
    /// same service's stack in a named environment.
    private static func unnamedEnvironments(
        running serviceStacks: [PlannedStack], clients: @Sendable (ClientTarget) throws -> AppDeployer.Clients
    ) async throws -> [String: [Running]] {
        guard let app = serviceStacks.first?.appName else { return [:] }
        let named = Set(serviceStacks.map(\.name))
        var looked = Set<ClientTarget>()
        var found: [(name: String, repository: String, running: Running)] = []
        for stack in serviceStacks where looked.insert(stack.target).inserted {
            for try await description in try clients(stack.target).cloudFormation.describeStacks() where !named.contains(description.name) {
                let tags = description.tags
                guard tags[StackTags.appKey] == app, tags[StackTags.phaseKey] == Phase.ecs.name,
                    let environment = tags[StackTags.environmentKey], let service = tags[StackTags.serviceKey],
                    let sibling = serviceStacks.first(where: { $0.service == service }), let repository = sibling.imageRepository,
                    description.parentID == nil, description.status.holdsDeployment,
                    LeftBehindStacks.isNamedByItsTags(description, app: app, environment: environment),
                    !found.contains(where: { $0.name == description.name })
                else { continue }
                found.append(
                    (description.name, repository,
                     (environment, sibling.deployedValue(of: .imageGate(.tag), in: description.parameters),
                      sibling.deployedValue(of: .imageGate(.digest), in: description.parameters))))
            }
        }
        return Dictionary(grouping: found.sorted { $0.name < $1.name }, by: \.repository).mapValues { $0.map(\.running) }
    }
}
