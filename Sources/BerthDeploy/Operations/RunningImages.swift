import BerthAWS

/// Which image of a repository each environment runs: the tag and digest its deployed service
/// stacks of the app were deployed with (another app's stack of the same name runs nothing of
/// the repository's).
enum RunningImages {
    static func read(
        of repository: String, in plan: DeployPlan, clients: @Sendable (ClientTarget) throws -> AppDeployer.Clients
    ) async throws -> [(environment: String, tag: String?, digest: String?)] {
        var running: [(environment: String, tag: String?, digest: String?)] = []
        let serviceStacks = plan.app.values.filter { $0.phase == .ecs && $0.service != nil && $0.imageRepository == repository }
        for service in serviceStacks.sorted(by: { $0.name < $1.name }) {
            guard let environment = service.environment,
                let deployed = try await clients(service.target).cloudFormation.describeStack(service.name),
                deployed.status.holdsDeployment, StackOwnership.foreign(deployed, tags: service.tags) == nil
            else { continue }
            running.append(
                (environment, service.deployedValue(of: .imageGate(.tag), in: deployed.parameters),
                 service.deployedValue(of: .imageGate(.digest), in: deployed.parameters)))
        }
        return running
    }
}
